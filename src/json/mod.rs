//! JSON primitives, knowing nothing of bundles or policies: the strict byte reader with limits
//! ([`reader`]), RFC 8785 canonical JSON ([`canonical`], `canonical_text`), the wire encoding
//! of non-finite numbers ([`Num`]) and number formatting (`numfmt`), and the
//! engine's shared sorts of ids, keys and rankings ([`order`]).
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
/// compact JSON text and reading that back with the crate's own reader ([`parse`], the one
/// bundles go through). Every wire type's `Serialize` is then compiled for one serializer, the
/// text writer that results leave wasm through, not also for serde_json's tree builder
/// (BENCHMARKS.size.md, session 6), and the text is read by the reader the engine already has,
/// not by serde_json's. Numbers come back as they went: integers as integers, floats as the
/// same `f64` (shortest round-trip digits, read back exactly).
///
/// # Errors
/// What `serde_json::to_value` reports: a map key that is not a string, or a type's own error;
/// and a value nested deeper than [`DEPTH_CEILING`] (serde_json's own reader stops at 128).
#[cfg(feature = "engine")]
pub fn to_value<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<serde_json::Value> {
    let text = serde_json::to_vec(value)?;
    parse(&text, &Limits::UNBOUNDED).map_err(|e| serde::ser::Error::custom(&e.message))
}
#[cfg(feature = "engine")]
pub use reader::{DEPTH_CEILING, Limits, Series, SeriesSpec, parse, parse_with_series};

#[cfg(all(test, feature = "engine"))]
mod tests {
    use super::to_value;
    use serde_json::json;

    /// The crate's reader gives serde_json's own tree for the text serde_json writes: the same
    /// variants (integer or float) and the same bits, in the same member order.
    #[test]
    fn to_value_is_serde_jsons_tree() {
        let cases = [
            json!({"z": 1, "a": [u64::MAX, i64::MIN, -0.0, 0.1, 1e300, 5e-324, 1e21, 123456789.0]}),
            json!({"nested": {"k": [true, false, null, "é\n\"\u{1}"]}, "": {}, "x": []}),
            json!([
                2.5e-8,
                -1.7976931348623157e308,
                9007199254740993u64,
                -9007199254740993i64
            ]),
        ];
        for v in cases {
            let ours = to_value(&v).expect("tree");
            let theirs = serde_json::to_value(&v).expect("tree");
            assert_eq!(ours, theirs);
            let (a, b) = (ours.to_string(), theirs.to_string());
            assert_eq!(a, b);
        }
    }
}
