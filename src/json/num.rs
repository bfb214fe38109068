//! [`Num`]: an `f64` whose non-finite values have one explicit JSON encoding.
//!
//! JSON has no NaN or infinity, and `serde_json` would silently write them as `null`. On the
//! wire a `Num` is a JSON number when finite and one of three strings otherwise:
//!
//! | value | JSON |
//! |---|---|
//! | finite `x` | `x` (shortest round-trip form) |
//! | `+∞` | `"+inf"` |
//! | `−∞` | `"-inf"` |
//! | NaN | `"nan"` |
//!
//! No other string is accepted. A metric that is *undefined* (for example a Sharpe ratio of fewer
//! than two samples) is not NaN: it is `null` with a reason beside it (see
//! [`ReturnsMetrics::reasons`](crate::schema::ReturnsMetrics::reasons)).

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A 64-bit float with an explicit JSON encoding for `+inf`, `-inf` and `nan`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(ts_rs::TS),
    ts(type = "number | \"+inf\" | \"-inf\" | \"nan\"")
)]
pub struct Num(pub f64);

impl Num {
    /// The wrapped value.
    pub const fn get(self) -> f64 {
        self.0
    }

    /// `true` unless NaN or infinite.
    pub fn is_finite(self) -> bool {
        self.0.is_finite()
    }
}

impl From<f64> for Num {
    fn from(v: f64) -> Self {
        Num(v)
    }
}

impl From<Num> for f64 {
    fn from(v: Num) -> Self {
        v.0
    }
}

/// The wire string of a non-finite value, or `None` when finite.
pub fn non_finite_str(v: f64) -> Option<&'static str> {
    if v.is_nan() {
        Some("nan")
    } else if v == f64::INFINITY {
        Some("+inf")
    } else if v == f64::NEG_INFINITY {
        Some("-inf")
    } else {
        None
    }
}

/// Parses one of the three non-finite wire strings.
pub fn parse_non_finite(s: &str) -> Option<f64> {
    match s {
        "nan" => Some(f64::NAN),
        "+inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match non_finite_str(self.0) {
            Some(text) => s.serialize_str(text),
            None => s.serialize_f64(self.0),
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NumVisitor;
        impl Visitor<'_> for NumVisitor {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or one of \"+inf\", \"-inf\", \"nan\"")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
                Ok(Num(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
                parse_non_finite(v).map(Num).ok_or_else(|| {
                    E::invalid_value(de::Unexpected::Str(v), &"\"+inf\", \"-inf\" or \"nan\"")
                })
            }
        }
        d.deserialize_any(NumVisitor)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl schemars::JsonSchema for Num {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Num".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A number; non-finite values are the strings \"+inf\", \"-inf\" and \"nan\".",
            "anyOf": [
                { "type": "number" },
                { "type": "string", "enum": ["+inf", "-inf", "nan"] }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_class_of_value() {
        for (v, json) in [
            (1.5, "1.5"),
            (-0.12, "-0.12"),
            (f64::INFINITY, "\"+inf\""),
            (f64::NEG_INFINITY, "\"-inf\""),
        ] {
            assert_eq!(serde_json::to_string(&Num(v)).unwrap(), json);
            assert_eq!(serde_json::from_str::<Num>(json).unwrap(), Num(v));
        }
        assert_eq!(serde_json::to_string(&Num(f64::NAN)).unwrap(), "\"nan\"");
        assert!(serde_json::from_str::<Num>("\"nan\"").unwrap().0.is_nan());
        assert_eq!(serde_json::from_str::<Num>("3").unwrap(), Num(3.0));
    }

    #[test]
    fn rejects_other_strings_and_types() {
        for bad in [
            "\"inf\"",
            "\"NaN\"",
            "\"Infinity\"",
            "\"1.0\"",
            "true",
            "null",
            "[]",
        ] {
            assert!(serde_json::from_str::<Num>(bad).is_err(), "{bad}");
        }
    }
}
