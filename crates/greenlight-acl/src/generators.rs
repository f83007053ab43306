//! The fixed generators, derived by hashing versioned labels so nobody knows a discrete
//! logarithm relation between them (`docs/spec.md` §2).
//!
//! * `g`  = the ristretto255 base point (= `bulletproofs::PedersenGens::default().B`);
//! * `B~` = `PedersenGens::default().B_blinding` (the range proof's blinding base);
//! * `h, h_R, h_k, h_st, h_ts, h_tr, h_id` = `RistrettoPoint::hash_from_bytes::<Sha512>(label)`
//!   with the labels in `greenlight_wire::labels`.
//!
//! Built once per process; scalar multiplications by the bases used on hot paths go through
//! precomputed tables (the issuer multiplies by `g` three times and by `h` once per token).

use std::sync::OnceLock;

use bulletproofs::PedersenGens;
use curve25519_dalek::constants::{RISTRETTO_BASEPOINT_POINT, RISTRETTO_BASEPOINT_TABLE};
use curve25519_dalek::ristretto::{RistrettoBasepointTable, RistrettoPoint};
use greenlight_sigma::labels;
use sha2::{Digest, Sha512};

/// All fixed generators of Greenlight v1.
pub struct Generators {
    pub g: RistrettoPoint,
    pub b_blinding: RistrettoPoint,
    pub h: RistrettoPoint,
    pub h_r: RistrettoPoint,
    pub h_k: RistrettoPoint,
    pub h_st: RistrettoPoint,
    pub h_ts: RistrettoPoint,
    pub h_tr: RistrettoPoint,
    pub h_id: RistrettoPoint,
    /// Constant-time fixed-base table for `h`.
    pub h_table: RistrettoBasepointTable,
    /// `SHA-512(PARAMS ‖ g ‖ B~ ‖ h ‖ h_R ‖ h_k ‖ h_st ‖ h_ts ‖ h_tr ‖ h_id)[..32]`, bound
    /// into every presentation transcript so a verifier with different parameters rejects.
    pub params_digest: [u8; 32],
}

/// Index of each generator in [`Generators::ordered`] (and in the parameter digest).
pub mod idx {
    pub const G: usize = 0;
    pub const B_BLINDING: usize = 1;
    pub const H: usize = 2;
    pub const H_R: usize = 3;
    pub const H_K: usize = 4;
    pub const H_ST: usize = 5;
    pub const H_TS: usize = 6;
    pub const H_TR: usize = 7;
    pub const H_ID: usize = 8;
    pub const COUNT: usize = 9;
}

fn hash_to_point(label: &[u8]) -> RistrettoPoint {
    RistrettoPoint::hash_from_bytes::<Sha512>(label)
}

impl Generators {
    fn derive() -> Self {
        let pc = PedersenGens::default();
        let g = RISTRETTO_BASEPOINT_POINT;
        debug_assert_eq!(pc.B, g);
        let h = hash_to_point(labels::GEN_H);
        let h_r = hash_to_point(labels::GEN_H_R);
        let h_k = hash_to_point(labels::GEN_H_K);
        let h_st = hash_to_point(labels::GEN_H_ST);
        let h_ts = hash_to_point(labels::GEN_H_TS);
        let h_tr = hash_to_point(labels::GEN_H_TR);
        let h_id = hash_to_point(labels::GEN_H_ID);
        let ordered = [g, pc.B_blinding, h, h_r, h_k, h_st, h_ts, h_tr, h_id];
        let mut hasher = Sha512::new();
        hasher.update(labels::PARAMS);
        for p in &ordered {
            hasher.update(p.compress().as_bytes());
        }
        let mut params_digest = [0u8; 32];
        params_digest.copy_from_slice(&hasher.finalize()[..32]);
        Generators {
            g,
            b_blinding: pc.B_blinding,
            h,
            h_r,
            h_k,
            h_st,
            h_ts,
            h_tr,
            h_id,
            h_table: RistrettoBasepointTable::create(&h),
            params_digest,
        }
    }

    /// The constant-time table for `g` (the library's static one).
    pub fn g_table(&self) -> &'static RistrettoBasepointTable {
        RISTRETTO_BASEPOINT_TABLE
    }

    /// The generators in the order of [`idx`], for known-answer tests and the spec.
    pub fn ordered(&self) -> [(&'static str, RistrettoPoint); idx::COUNT] {
        [
            ("g", self.g),
            ("B_blinding", self.b_blinding),
            ("h", self.h),
            ("h_R", self.h_r),
            ("h_k", self.h_k),
            ("h_st", self.h_st),
            ("h_ts", self.h_ts),
            ("h_tr", self.h_tr),
            ("h_id", self.h_id),
        ]
    }
}

/// The process-wide generators (derived on first use).
pub fn generators() -> &'static Generators {
    static GENS: OnceLock<Generators> = OnceLock::new();
    GENS.get_or_init(Generators::derive)
}

/// `z = H2G(GEN_Z ‖ y)`: the issuer's tag generator, recomputed by every holder from `y` so
/// an issuer cannot hand one holder a personal `z` (which would tag its tokens).
pub fn tag_generator(y_compressed: &[u8; 32]) -> RistrettoPoint {
    let mut input = Vec::with_capacity(labels::GEN_Z.len() + 32);
    input.extend_from_slice(labels::GEN_Z);
    input.extend_from_slice(y_compressed);
    hash_to_point(&input)
}
