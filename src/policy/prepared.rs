//! An evaluation input with its strategies' metrics viewed once, for many evaluations over the
//! same strategies (a sweep over candidate policies): the Rust side of the package's
//! `StrategyBatch`.

use super::eval::{Given, Strategies};
use super::{Dialect, EvaluationInput};

/// An [`EvaluationInput`] and its strategies' metrics viewed in one dialect (what every
/// evaluation otherwise builds from `input.metrics` first). The `*_prepared` writers of
/// [`super::wire`] evaluate it; each gives what the same writer gives over the input, byte for
/// byte. A policy of another dialect views the input's metrics afresh, as over the input.
#[derive(Debug)]
pub struct PreparedInput {
    input: EvaluationInput,
    strategies: Strategies,
}

impl PreparedInput {
    /// Views the metrics of `input` in `dialect` (the dialect of the policies it will meet).
    pub fn new(input: EvaluationInput, dialect: Dialect) -> Self {
        let strategies = Strategies::of(&input.metrics, dialect);
        PreparedInput { input, strategies }
    }

    /// The input as given.
    pub fn input(&self) -> &EvaluationInput {
        &self.input
    }

    /// The input and what stands for its metrics.
    pub(crate) fn parts(&self) -> (&EvaluationInput, Given<'_>) {
        let given = Given {
            strategies: Some(&self.strategies),
            ..Given::default()
        };
        (&self.input, given)
    }
}
