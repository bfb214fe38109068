//! worldgate: the metric schema and world policy engine of a strategy-evaluation service.
//!
//! One pure-Rust core, run natively (library, `worldgate` CLI) and as WebAssembly (browser
//! viewer, edge functions, the `worldgate` npm package).
//!
//! | module | holds |
//! |---|---|
//! | [`schema`] | wire types: metric bundle, snapshot, run status, error; JSON Schema + TS |
//! | [`metrics`] | returns → metric blocks and PnL |
//! | [`policy`] | world policy: parse (two dialects), resolve, evaluate, explain |
//! | [`bundle`] | uploaded bundles: limits, verify, sanitize, digest, gate |
//! | [`run`] | the evaluation-run state machine, run ids and links |
//! | [`world`] | a world's rules: uploads in its activation state, the next state, superseding, the active set, the publish path |
//! | [`error`] | [`Error`]: code, JSON-pointer path, message, help |
//!
//! The wasm-bindgen shims live in `src/js/` behind the `wasm` feature and only translate.
//! `policy`, `bundle`, `run` and `world` (and their shims and documents) sit behind the default
//! `engine` feature; without it the crate is issue 2's foundation (schema, validation, metrics),
//! the npm package's smaller `worldgate/core` wasm.

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
#[cfg(feature = "engine")]
pub mod world;

#[cfg(feature = "wasm")]
#[doc(hidden)] // public only so tests/wasm.rs can call the shims
pub mod js;

pub use error::{Code, Error};

/// The crate version, as in `Cargo.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
