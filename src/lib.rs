//! worldgate: the metric schema and world policy engine of a strategy-evaluation service.
//!
//! One pure-Rust core, run natively (library, `worldgate` CLI) and as WebAssembly (browser
//! viewer, edge functions, the `worldgate` npm package).
//!
//! Layers only point down (`tests/layering.rs` fails on an upward import):
//!
//! | layer | module | holds |
//! |---|---|---|
//! | 1 | [`json`], [`digest`], [`time`] | strict reader + limits, RFC 8785 canonical JSON, [`json::Num`], number formatting; SHA-256 and the platform hook; RFC 3339 timestamps, civil dates, regular indexes |
//! | 2 | [`schema`] | every wire type (documents, options, answers), JSON Schema + TS embedded |
//! | 3 | [`metrics`] | returns → metric blocks and PnL |
//! | 4 | [`policy`] | world policy: parse (two dialects), resolve, evaluate, explain |
//! | 5 | [`bundle`], [`run`], [`world`] | the gate (read, sanitize, digest, evaluate) and diffs; the run state machine; a world's activation state |
//! | 6 | [`api`] | one function per operation, the shared decoding (dialect, policy text, documents) |
//! | 7 | `js/`, `bin/` | wasm-bindgen shims and the CLI: conversions and I/O over [`api`] |
//!
//! [`error`] ([`Error`]: code, JSON-pointer path, message, help) and [`suggest`] sit under all.
//!
//! The wasm-bindgen shims (`src/js/`) sit behind the `wasm` feature, the CLI behind `cli`.
//! `digest`, `policy`, `bundle`, `run` and `world` (and their shims and operations) sit behind
//! the default `engine` feature; without it the crate is the schema, validation and metrics
//! foundation: the npm package's smaller `worldgate/core` wasm.

pub mod api;
#[cfg(feature = "engine")]
pub mod bundle;
#[cfg(feature = "engine")]
pub mod digest;
pub mod error;
pub mod json;
pub mod metrics;
#[cfg(feature = "engine")]
pub mod policy;
#[cfg(feature = "engine")]
pub mod run;
pub mod schema;
pub mod suggest;
pub mod time;
#[cfg(feature = "engine")]
pub mod world;

#[cfg(feature = "wasm")]
#[doc(hidden)] // public only so tests/wasm.rs can call the shims
pub mod js;

pub use error::{Code, Error, ErrorFields};

/// The crate version, as in `Cargo.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
