//! JSON primitives, knowing nothing of bundles or policies: the strict byte reader with limits
//! ([`reader`]), RFC 8785 canonical JSON ([`canonical`], [`canonical_text`]), the wire encoding
//! of non-finite numbers ([`Num`]) and number formatting ([`numfmt`]), and the one
//! stable sort of the engine's ids and rankings ([`order`]).
//!
//! This is the bottom layer with [`crate::digest`]: it imports only [`crate::error`].

#[cfg(feature = "engine")]
pub mod canonical;
#[cfg(feature = "engine")]
pub(crate) mod canonical_text;
#[cfg(feature = "engine")]
mod decimal;
pub(crate) mod fields;
pub mod float;
pub mod num;
#[cfg(feature = "engine")]
pub(crate) mod numfmt;
#[cfg(feature = "engine")]
pub mod order;
#[cfg(feature = "engine")]
pub mod reader;
#[cfg(feature = "engine")]
mod series;
pub mod value_de;

pub use num::{Num, non_finite_str, parse_non_finite};

/// `value` as a JSON tree: the same tree as `serde_json::to_value`, built by writing `value` as
/// compact JSON text and reading that back. Every wire type's `Serialize` is then compiled for
/// one serializer, the text writer that results leave wasm through, not also for serde_json's
/// tree builder (BENCHMARKS.size.md, session 6). Numbers come back as they went: integers as
/// integers, floats as the same `f64` (shortest round-trip digits, read back exactly).
///
/// # Errors
/// What `serde_json::to_value` reports: a map key that is not a string, or a type's own error.
#[cfg(feature = "engine")]
pub fn to_value<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<serde_json::Value> {
    serde_json::from_slice(&serde_json::to_vec(value)?)
}
#[cfg(feature = "engine")]
pub use reader::{DEPTH_CEILING, Limits, Series, SeriesSpec, parse, parse_with_series};
