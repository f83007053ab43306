//! One module per statement. Each builds a [`greenlight_sigma::LinearRelation`] from public
//! values and proves/verifies it on the presentation transcript, then appends whatever else
//! it needs (v1: a range proof) to the same transcript.

pub mod green_recent;
pub mod range;
