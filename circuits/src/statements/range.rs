//! The recency range proof. Version 1: Bulletproofs over `V' = V − t_min·g`, proving
//! `ts − t_min ∈ [0, 2^8)`. Version 2: one aggregated proof over `V − t_min·g` and
//! `slot·g − V`, proving also `slot − ts ∈ [0, 2^8)` (`docs/spec.md` §5.4).

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

/// Values of the version-2 range proof: `ts − t_min` and `slot − ts` (`docs/spec.md` §5.4).
pub const VALUES_V2: usize = greenlight_wire::lengths::RANGE_VALUES_V2;

/// The version-2 range proof's generators (8 bits, two values aggregated), built once.
/// Party 0's generators are those of [`bp_gens`]: `bulletproofs` derives each party's chain
/// from its index alone.
pub fn bp_gens_v2() -> &'static BulletproofGens {
    static GENS: OnceLock<BulletproofGens> = OnceLock::new();
    GENS.get_or_init(|| BulletproofGens::new(BITS, VALUES_V2))
}

/// The Pedersen generators (`B = g`, `B_blinding = B~`).
pub fn pc_gens() -> &'static PedersenGens {
    static GENS: OnceLock<PedersenGens> = OnceLock::new();
    GENS.get_or_init(PedersenGens::default)
}
