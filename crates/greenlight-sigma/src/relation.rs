//! Describing a statement: a list of linear equations over ristretto255.
//!
//! Equation `j` reads `lhs_j = Σ_{(i, G) ∈ terms_j} x_i · G` where `x_i` is secret number `i`.
//! A base may be any public point: a fixed generator, an issuer key, or a value the prover
//! sent (such as `ζ1`). The verifier must build exactly the same relation as the prover;
//! everything in it is bound into the transcript before the commitments (see
//! `LinearRelation::append_shape`).

use curve25519_dalek::ristretto::RistrettoPoint;
use merlin::Transcript;

use crate::labels;

/// One term `x_i · G` of an equation.
#[derive(Clone, Copy, Debug)]
pub struct Term {
    /// Index of the secret `x_i`.
    pub secret: usize,
    /// The public base `G`.
    pub base: RistrettoPoint,
}

/// One equation `lhs = Σ terms`.
#[derive(Clone, Debug)]
pub struct Equation {
    pub lhs: RistrettoPoint,
    pub terms: Vec<Term>,
}

/// A statement: `secrets` unknowns and the equations they satisfy.
#[derive(Clone, Debug)]
pub struct LinearRelation {
    secrets: usize,
    equations: Vec<Equation>,
}

impl LinearRelation {
    /// A relation over `secrets` unknowns and no equations yet.
    pub fn new(secrets: usize) -> Self {
        Self {
            secrets,
            equations: Vec::new(),
        }
    }

    /// Add the equation `lhs = Σ x_i · base_i`.
    ///
    /// # Panics
    /// If a term names a secret index out of range: relations are built by code, never
    /// from input, so this is a programming error.
    pub fn equation(
        &mut self,
        lhs: RistrettoPoint,
        terms: &[(usize, RistrettoPoint)],
    ) -> &mut Self {
        for (i, _) in terms {
            assert!(*i < self.secrets, "secret index {i} out of range");
        }
        self.equations.push(Equation {
            lhs,
            terms: terms
                .iter()
                .map(|&(secret, base)| Term { secret, base })
                .collect(),
        });
        self
    }

    pub fn secrets(&self) -> usize {
        self.secrets
    }

    pub fn equations(&self) -> &[Equation] {
        &self.equations
    }

    /// Bind the statement's shape into the transcript: the number of secrets and, per
    /// equation, the number of terms and which secret each term uses.
    ///
    /// The points are *not* appended here. Fixed generators are bound once through the
    /// parameter digest, and every other point (issuer key, prover-supplied values) must be
    /// appended by the protocol that builds the relation, under its own label, before it
    /// proves or verifies. That keeps the hot path free of needless compressions and makes
    /// each protocol's transcript readable in the spec.
    pub(crate) fn append_shape(&self, transcript: &mut Transcript) {
        transcript.append_message(labels::SIGMA_DOMAIN, b"linear");
        transcript.append_u64(labels::SIGMA_SECRETS, self.secrets as u64);
        transcript.append_u64(labels::SIGMA_EQUATIONS, self.equations.len() as u64);
        for eq in &self.equations {
            transcript.append_u64(labels::SIGMA_EQUATIONS, eq.terms.len() as u64);
            for t in &eq.terms {
                transcript.append_u64(labels::SIGMA_SECRETS, t.secret as u64);
            }
        }
    }
}
