//! Placeholder until the pages' tables are generated (next step).
fn main() {}
