//! The operation layer: one function per operation that the JavaScript bindings (`js/`), the
//! CLI (`bin/`) and the tests call. Each takes typed input and gives typed output; the shared
//! decoding (dialects, options, policy text, returns from JSON or CSV) is written here once.
//!
//! | operation | where |
//! |---|---|
//! | the calendar block of a dated returns series | [`calendar`] |
//! | classify / validate any document, read a bundle's series | [`document`] |
//! | the metric blocks, with the report, or QMTL's v1.5 set (`computeMetrics`, `worldgate metrics`) | [`metrics`] |
//! | read a returns series strictly (JSON or CSV: column, delimiter, dates, percent) | [`returns_input`] |
//! | the dialect option, compiling a policy from text, bytes or a document, presets, a policy's verdicts (`CompiledPolicy.verdicts`) | [`policy`] |
//! | a run's state transitions, diffs of snapshots and runs | [`runs`] |
//! | QMTL's evaluation-run documents from stored runs | [`qmtl`] |
//! | the quant's report of a returns series (distribution, drawdowns, rolling, relative) | [`report`] |
//! | JSON Schema and TypeScript of the wire types (native) | [`generate`] |

pub mod calendar;
#[cfg(feature = "engine")]
pub mod document;
#[cfg(all(not(target_arch = "wasm32"), feature = "engine"))]
pub mod generate;
pub mod metrics;
#[cfg(feature = "engine")]
pub mod policy;
#[cfg(feature = "engine")]
pub mod qmtl;
#[cfg(feature = "engine")]
pub mod report;
#[cfg(feature = "engine")]
pub mod returns_input;
#[cfg(feature = "engine")]
pub mod runs;
