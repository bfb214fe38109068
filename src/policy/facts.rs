//! What the evaluation pipeline ([`super::eval`]) learns about each strategy, stage by stage,
//! and the rule results ([`super::rules`]) read.

use super::hysteresis::{Blocked, Held};
use super::thresholds::Failure;
use crate::schema::Explanation;

/// Why the correlation pass dropped or flagged a candidate.
#[derive(Debug, Default, Clone)]
pub(crate) struct CorrOutcome {
    pub(crate) blocked_by: Vec<(String, f64)>,
    pub(crate) unknown: Vec<(String, &'static str)>,
    pub(crate) unknown_count: usize,
    /// Largest |ρ| met against kept strategies (signed ρ).
    pub(crate) max_seen: Option<f64>,
    pub(crate) dropped: bool,
    pub(crate) reached: bool,
    /// How computed correlations paired the series: `date`, `position` or `mixed`; `None`
    /// when no pair was computed from series.
    pub(crate) alignment: Option<&'static str>,
}

/// Per-strategy facts gathered by the pipeline.
#[derive(Debug, Default, Clone)]
pub(crate) struct Facts<'r> {
    pub(crate) failures: Vec<Failure<'r>>,
    pub(crate) blocking: bool,
    pub(crate) rank: Option<usize>,
    pub(crate) in_top_k: bool,
    pub(crate) corr: CorrOutcome,
    pub(crate) blocked: Option<Blocked>,
    pub(crate) held: Option<Held>,
    pub(crate) explanations: Vec<Explanation>,
}
