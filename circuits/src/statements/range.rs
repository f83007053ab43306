//! The recency range proof: Bulletproofs over `V' = V − t_min·g`, proving
//! `ts − t_min ∈ [0, 2^8)`.

use std::sync::OnceLock;

use bulletproofs::{BulletproofGens, PedersenGens};

/// Bits of the range proof. Windows are at most 168 h, so 8 bits cover every window while
/// also bounding how far in the future a token could be dated (< 256 h past `t_min`).
pub const BITS: usize = greenlight_wire::lengths::RANGE_BITS;

/// The range proof's Bulletproofs generators (8 bits, one party), built once.
pub fn bp_gens() -> &'static BulletproofGens {
    static GENS: OnceLock<BulletproofGens> = OnceLock::new();
    GENS.get_or_init(|| BulletproofGens::new(BITS, 1))
}

/// The Pedersen generators (`B = g`, `B_blinding = B~`).
pub fn pc_gens() -> &'static PedersenGens {
    static GENS: OnceLock<PedersenGens> = OnceLock::new();
    GENS.get_or_init(PedersenGens::default)
}
