//! Struct decoders written from a field table instead of `#[derive(Deserialize)]`.
//!
//! serde's derive compiles, for every struct, a field-identifier visitor, an `Option` slot per
//! field moved into the value at the end, a missing-field check per field and the drops of
//! every slot on every error path: about 1.5 KB of wasm per struct, 11 KB for the metric
//! bundle with its blocks inlined. [`table_struct!`] writes the same reader as one loop over
//! the object's members that stores each value straight into its field, with the shared
//! [`FieldIndex`] and [`check`] doing the rest (BENCHMARKS.size.md, session 7).
//!
//! What a reader written this way accepts and answers is what the derived one does for
//! `#[serde(deny_unknown_fields)]` structs whose optional fields are `#[serde(default)]` (the
//! field type's `Default`): the same `expecting` text (`struct Name`), `unknown field` with the
//! same list, `duplicate field`, `missing field` in declaration order after the members are
//! read, and each member's own failure at its key. The one difference: the derived reader also
//! took a struct's members by position from an array, which no wire document does; this one
//! answers `invalid type: sequence, expected struct Name`.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use std::fmt;

/// A member name looked up in a struct's fields: its index, or serde's `unknown field`
/// naming the expected ones (what `#[serde(deny_unknown_fields)]` answers).
pub struct FieldIndex(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldIndex {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|f| *f == v)
            .ok_or_else(|| E::unknown_field(v, self.0))
    }
}

/// The next member's field index, `None` after the last; `duplicate field` when `seen`
/// already has it.
///
/// # Errors
/// The key's or the map's own failure, `unknown field`, `duplicate field`.
pub fn next_field<'de, A: MapAccess<'de>>(
    map: &mut A,
    fields: &'static [&'static str],
    seen: &mut u64,
) -> Result<Option<usize>, A::Error> {
    let Some(i) = map.next_key_seed(FieldIndex(fields))? else {
        return Ok(None);
    };
    let bit = 1u64 << (i & 63);
    if *seen & bit != 0 {
        let name = fields.get(i).copied().unwrap_or_default();
        return Err(de::Error::duplicate_field(name));
    }
    *seen |= bit;
    Ok(Some(i))
}

/// The value of the member whose key was just read. Not inlined: the reader of each field type
/// is then compiled once, not once per field of that type (a block of a dozen `Option<Num>`
/// fields had a dozen copies).
///
/// # Errors
/// The value's own failure, at its key.
#[inline(never)]
pub fn value<'de, A: MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
) -> Result<T, A::Error> {
    map.next_value()
}

/// `missing field` for the first of `required` (in declaration order) that `seen` lacks.
///
/// # Errors
/// That `missing field`.
pub fn check<E: de::Error>(
    seen: u64,
    fields: &'static [&'static str],
    required: &'static [&'static str],
) -> Result<(), E> {
    for r in required {
        if let Some(i) = fields.iter().position(|f| f == r)
            && seen & (1u64 << (i & 63)) == 0
        {
            return Err(E::missing_field(r));
        }
    }
    Ok(())
}

/// `impl Deserialize` for a `#[serde(deny_unknown_fields)]` struct from its fields in
/// declaration order (each serialized under its own name) and the required ones (no
/// `#[serde(default)]`). A field absent from the object keeps its initial value: its type's
/// `Default`, or the expression after `=` (a `#[serde(default = "f")]` field's `f()`, or a
/// placeholder for a required field whose type has no `Default`); `field => read` reads the
/// member with `read(&mut map)` instead of the field type's reader. `Type default { … }` is a
/// struct under `#[serde(default)]`: an absent field keeps the struct's `Default` value, none is
/// required. At most 64 fields.
macro_rules! table_struct {
    (@init) => { Default::default() };
    (@init $e:expr) => { $e };
    // `#[serde(default)]` on the struct: an absent field keeps the struct's `Default` value.
    ($ty:ident default { $($f:ident),* $(,)? }) => {
        $crate::json::fields::table_struct!(@impl $ty [<$ty as Default>::default()] { $($f []),* } []);
    };
    ($ty:ident { $($f:ident $(= $init:expr)? $(=> $read:path)?),* $(,)? } required [$($r:ident),* $(,)?]) => {
        $crate::json::fields::table_struct!(@impl $ty
            [$ty { $($f: $crate::json::fields::table_struct!(@init $($init)?)),* }]
            { $($f [$($read)?]),* } [$($r),*]);
    };
    (@read $map:ident) => { $crate::json::fields::value(&mut $map) };
    (@read $map:ident $read:path) => { $read(&mut $map) };
    (@impl $ty:ident [$start:expr] { $($f:ident [$($read:path)?]),* } [$($r:ident),*]) => {
        impl $ty {
            /// The member names this type reads, in declaration order.
            #[allow(dead_code)]
            pub(crate) const WIRE_FIELDS: &'static [&'static str] = &[$(stringify!($f)),*];
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                const FIELDS: &[&str] = &[$(stringify!($f)),*];
                const REQUIRED: &[&str] = &[$(stringify!($r)),*];
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($ty)))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$ty, A::Error> {
                        let mut out = $start;
                        let mut seen = 0u64;
                        while let Some(i) = $crate::json::fields::next_field(&mut map, FIELDS, &mut seen)? {
                            let mut n = 0usize;
                            $(
                                if i == n {
                                    out.$f = $crate::json::fields::table_struct!(@read map $($read)?)?;
                                    continue;
                                }
                                n += 1;
                            )*
                            let _ = n;
                        }
                        $crate::json::fields::check(seen, FIELDS, REQUIRED)?;
                        Ok(out)
                    }
                }
                d.deserialize_struct(stringify!($ty), FIELDS, V)
            }
        }
    };
}
pub(crate) use table_struct;

/// A variant name looked up in an enum's variants: its index, or serde's `unknown variant`
/// naming the expected ones.
pub struct VariantIndex(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for VariantIndex {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for VariantIndex {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|f| *f == v)
            .ok_or_else(|| E::unknown_variant(v, self.0))
    }
}

/// `impl Deserialize` for an enum of unit variants from its variants and their wire names, in
/// declaration order: what the derived reader accepts (a name, or an object whose one key is
/// the name and whose value is `null`) with its messages (`expected enum Name`, `unknown
/// variant`, `expected unit variant`).
macro_rules! table_enum {
    ($ty:ident { $($v:ident = $name:literal),* $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                const VARIANTS: &[&str] = &[$($name),*];
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("enum ", stringify!($ty)))
                    }
                    fn visit_enum<A: serde::de::EnumAccess<'de>>(
                        self,
                        data: A,
                    ) -> Result<$ty, A::Error> {
                        use serde::de::VariantAccess;
                        let (i, variant) =
                            data.variant_seed($crate::json::fields::VariantIndex(VARIANTS))?;
                        variant.unit_variant()?;
                        let mut n = 0usize;
                        $(
                            if i == n {
                                return Ok($ty::$v);
                            }
                            n += 1;
                        )*
                        let _ = n;
                        Err(serde::de::Error::custom("variant index out of range"))
                    }
                }
                d.deserialize_enum(stringify!($ty), VARIANTS, V)
            }
        }

        #[cfg(test)]
        impl $ty {
            /// The variants with their wire names, as the table gives them (tests compare them
            /// with what `Serialize` writes; the enum of this module's own tests does not use it).
            #[allow(dead_code)]
            pub(crate) fn table_variants() -> Vec<(&'static str, $ty)> {
                vec![$(($name, $ty::$v)),*]
            }
        }
    };
}
pub(crate) use table_enum;

/// Test helper: each `(name, variant)` of a [`table_enum!`] table is what the variant's
/// `Serialize` writes, and reads back (as a name and as a one-key object) to the variant.
#[cfg(test)]
pub(crate) fn check_enum_table<T>(variants: Vec<(&'static str, T)>)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    use serde_json::json;
    for (name, v) in variants {
        assert_eq!(serde_json::to_value(&v).unwrap(), json!(name));
        assert_eq!(super::value_de::decode::<T>(&json!(name)).unwrap(), v);
        assert_eq!(
            super::value_de::decode::<T>(&json!({ name: null })).unwrap(),
            v
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::json::Num;
    use crate::json::value_de::decode;
    use serde::Deserialize;
    use serde_json::{Value, json};

    /// The derived reader, to compare with.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Derived {
        code: String,
        #[serde(default)]
        metric: Option<String>,
        #[serde(default)]
        observed: Option<Num>,
        #[serde(default)]
        tags: Vec<String>,
        count: u32,
        #[serde(default)]
        inner: Option<DerivedInner>,
    }
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct DerivedInner {
        k: u64,
        #[serde(default)]
        on: bool,
    }

    #[derive(Debug, PartialEq)]
    struct Table {
        code: String,
        metric: Option<String>,
        observed: Option<Num>,
        tags: Vec<String>,
        count: u32,
        inner: Option<TableInner>,
    }
    #[derive(Debug, PartialEq)]
    struct TableInner {
        k: u64,
        on: bool,
    }
    table_struct!(Table { code, metric, observed, tags, count, inner } required [code, count]);
    table_struct!(TableInner { k, on } required [k]);

    fn same(v: &Value) {
        let d = decode::<Derived>(v).map(|d| format!("{d:?}").replace("Derived", ""));
        let t = decode::<Table>(v).map(|t| format!("{t:?}").replace("Table", ""));
        match (d, t) {
            (Ok(d), Ok(t)) => assert_eq!(d, t, "{v}"),
            (Err(d), Err(t)) => {
                let msg = |m: &str| m.replace("Derived", "Table");
                assert_eq!(msg(d.message()), t.message(), "{v}");
                assert_eq!(d.pointer(), t.pointer(), "{v}");
            }
            (d, t) => panic!("{v}: derived {d:?}, table {t:?}"),
        }
    }

    #[test]
    fn reads_and_fails_like_the_derived_reader() {
        let cases = [
            json!({"code": "a", "count": 1}),
            json!({"count": 3, "code": "b", "metric": "m", "observed": "+inf", "tags": ["x"],
                   "inner": {"k": 4, "on": true}}),
            json!({"code": "a", "count": 1, "metric": null, "observed": null, "inner": null}),
            json!({"code": "a"}),
            json!({"count": 1}),
            json!({}),
            json!({"code": "a", "count": 1, "extra": 1}),
            json!({"extra": 1, "code": 5}),
            json!({"code": 5, "count": 1}),
            json!({"code": "a", "count": -1}),
            json!({"code": "a", "count": 1.5}),
            json!({"code": "a", "count": 4294967296u64}),
            json!({"code": "a", "count": 1, "observed": "x"}),
            json!({"code": "a", "count": 1, "tags": [1]}),
            json!({"code": "a", "count": 1, "inner": {}}),
            json!({"code": "a", "count": 1, "inner": {"k": 1, "x": 2}}),
            json!({"code": "a", "count": 1, "inner": {"k": "1"}}),
            json!({"code": "a", "count": 1, "inner": []}),
            json!({"code": null, "count": 1}),
            json!(["a", 1]),
            json!("text"),
            json!(null),
            json!(2.5),
        ];
        for v in &cases {
            same(v);
        }
    }

    #[test]
    fn a_repeated_member_is_a_duplicate_field_from_text() {
        let text = r#"{"code": "a", "count": 1, "code": "b"}"#;
        let d = serde_json::from_str::<Derived>(text)
            .unwrap_err()
            .to_string();
        let t = serde_json::from_str::<Table>(text).unwrap_err().to_string();
        assert_eq!(d, t);
        assert!(t.starts_with("duplicate field `code`"), "{t}");
    }

    /// The derived reader of a unit enum, to compare with.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum DerivedKind {
        First,
        SecondOne,
    }
    #[derive(Debug, PartialEq)]
    enum TableKind {
        First,
        SecondOne,
    }
    super::table_enum!(TableKind { First = "first", SecondOne = "second_one" });

    #[test]
    fn enums_read_and_fail_like_the_derived_reader() {
        let cases = [
            json!("first"),
            json!("second_one"),
            json!({"second_one": null}),
            json!("third"),
            json!({"third": null}),
            json!({"first": 1}),
            json!({"first": null, "second_one": null}),
            json!({}),
            json!(1),
            json!(null),
            json!(["first"]),
        ];
        for v in &cases {
            let d = decode::<DerivedKind>(v).map(|d| format!("{d:?}"));
            let t = decode::<TableKind>(v).map(|t| format!("{t:?}"));
            match (d, t) {
                (Ok(d), Ok(t)) => assert_eq!(d, t, "{v}"),
                (Err(d), Err(t)) => {
                    assert_eq!(
                        d.message().replace("DerivedKind", "TableKind"),
                        t.message(),
                        "{v}"
                    );
                    assert_eq!(d.pointer(), t.pointer(), "{v}");
                }
                (d, t) => panic!("{v}: derived {d:?}, table {t:?}"),
            }
        }
        let text = r#"{"third": null}"#;
        let d = serde_json::from_str::<DerivedKind>(text)
            .unwrap_err()
            .to_string();
        let t = serde_json::from_str::<TableKind>(text)
            .unwrap_err()
            .to_string();
        assert_eq!(d, t);
    }
}
