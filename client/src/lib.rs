//! Greenlight wallet and venue tools (skeleton, being written).
