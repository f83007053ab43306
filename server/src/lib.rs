//! Greenlight issuer and revocation service (skeleton, being written).
