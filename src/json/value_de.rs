//! Typed decoding of a parsed JSON [`Value`] that knows where it failed.
//!
//! [`Node`] is a serde `Deserializer` over a borrowed [`Value`]. A failure inside an object
//! member or an array element comes back up with that member's key or element's index added,
//! so the error ends with the full path of the offending value ([`DeError::pointer`]); an
//! unknown or duplicate key points at the key itself. Each wire type's `Deserialize` is
//! compiled once, for this deserializer alone: no wrapper type per visitor and no second
//! deserializer backend (which is what keeps the wasm small).
//!
//! The accepted shapes are `serde_json`'s own for a `Value`: a number reaches the visitor as
//! `u64` when it is a non-negative integer, `i64` when it is a negative one and `f64`
//! otherwise; a struct may also be read from an array (serde's positional form); an enum is a
//! string (unit variant) or an object with exactly one key. Messages are serde's.
//!
//! [`parse_strict`] reads JSON text into a [`Value`] and rejects a key repeated in one object
//! (`serde_json` would keep the last one silently).

use crate::error::pointer_join;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde_json::{Map, Value};
use std::fmt;

/// A decoding failure: serde's message and where it happened.
///
/// Boxed, so that every `Result` of the derived decoders is two words and each `?` moves one
/// pointer (the whole error was copied at every level: about −20 KB of wasm).
#[derive(Debug)]
pub struct DeError(Box<Failure>);

#[derive(Debug)]
struct Failure {
    /// serde's message (`invalid type: …, expected …`, `missing field …`, or a type's own).
    message: String,
    /// The path's tokens, innermost first (added on the way up).
    rev_path: Vec<String>,
}

impl DeError {
    fn at(mut self, token: impl ToString) -> Self {
        self.0.rev_path.push(token.to_string());
        self
    }

    /// serde's message (`invalid type: …, expected …`, `missing field …`, or a type's own).
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The JSON pointer of the value that failed (`""` for the root).
    pub fn pointer(&self) -> String {
        self.0
            .rev_path
            .iter()
            .rev()
            .fold(String::new(), |p, t| pointer_join(&p, t))
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError(Box::new(Failure {
            message: msg.to_string(),
            rev_path: Vec::new(),
        }))
    }

    /// serde's message (`invalid type: floating point `1.5`, expected …`), with the
    /// unexpected value written by `Unexpectedly` rather than serde's `Display`, whose float
    /// arm links core's float formatting into the wasm.
    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Self::custom(format_args!(
            "invalid type: {}, expected {}",
            Unexpectedly(unexp),
            exp
        ))
    }

    /// `unknown value `x`, expected `a` or `b``: serde says "variant", a word of Rust's.
    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Self::custom(format_args!(
            "unknown value `{variant}`, expected {}",
            OneOf(expected)
        ))
    }

    /// `unknown field `x`, expected …`, the names listed as `unknown_variant` lists them.
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Self::custom(format_args!(
            "unknown field `{field}`, expected {}",
            OneOf(expected)
        ))
    }

    /// As `invalid_type`, for `invalid value: …`.
    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Self::custom(format_args!(
            "invalid value: {}, expected {}",
            Unexpectedly(unexp),
            exp
        ))
    }
}

/// Names a value may take, as serde lists them: `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` ``
/// (`nothing` for none).
struct OneOf(&'static [&'static str]);

impl fmt::Display for OneOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        if n > 2 {
            f.write_str("one of ")?;
        }
        for (i, name) in self.0.iter().enumerate() {
            f.write_str(match i {
                0 => "`",
                _ if n == 2 => " or `",
                _ => ", `",
            })?;
            f.write_str(name)?;
            f.write_str("`")?;
        }
        if n == 0 {
            f.write_str("nothing")?;
        }
        Ok(())
    }
}

/// serde's `Display` of [`Unexpected`], word for word (`floating point `1.0``, `string "x"`,
/// `map`, …), with floats written by [`Brief`](super::float::Brief) (serde appends `.0` to a
/// finite float without a decimal point, as here; unlike serde, a magnitude beyond 10¹⁶ or below
/// 10⁻⁴ is in exponent form, `1e308`, not 309 digits).
struct Unexpectedly<'a>(Unexpected<'a>);

impl fmt::Display for Unexpectedly<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Unexpected as U;
        match self.0 {
            U::Bool(b) => write!(f, "boolean `{b}`"),
            U::Unsigned(i) => write!(f, "integer `{i}`"),
            U::Signed(i) => write!(f, "integer `{i}`"),
            U::Float(x) => {
                let text = super::float::Brief(x).to_string();
                let point = if x.is_finite() && !text.contains(['.', 'e']) {
                    ".0"
                } else {
                    ""
                };
                write!(f, "floating point `{text}{point}`")
            }
            U::Char(c) => write!(f, "character `{c}`"),
            U::Str(s) => write!(f, "string {s:?}"),
            U::Bytes(_) => f.write_str("byte array"),
            U::Unit => f.write_str("unit value"),
            U::Option => f.write_str("Option value"),
            U::NewtypeStruct => f.write_str("newtype struct"),
            U::Seq => f.write_str("sequence"),
            U::Map => f.write_str("map"),
            U::Enum => f.write_str("enum"),
            U::UnitVariant => f.write_str("unit variant"),
            U::NewtypeVariant => f.write_str("newtype variant"),
            U::TupleVariant => f.write_str("tuple variant"),
            U::StructVariant => f.write_str("struct variant"),
            U::Other(other) => f.write_str(other),
        }
    }
}

/// Decodes `T` from `value`.
///
/// # Errors
/// [`DeError`] with serde's message and the path of the offending value.
pub fn decode<T: de::DeserializeOwned>(value: &Value) -> Result<T, DeError> {
    T::deserialize(Node(value))
}

/// A deserializer over one borrowed JSON value.
#[derive(Clone, Copy)]
pub struct Node<'a>(pub &'a Value);

fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// `deserialize_<int or float>` methods that all read a number (the visitor converts it, or
/// says it is out of its range).
macro_rules! number_methods {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            self.number(visitor)
        })*
    };
}

// Each `deserialize_*` hands the visitor only the kind of value it asks for (anything else is
// the visitor's own "invalid type" error), so a type's decoder is compiled with just the visitor
// methods it needs: a struct's positional (array) form, for one, is never built.
impl<'de> Deserializer<'de> for Node<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(_) => self.number(visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(_) => self.seq(visitor),
            Value::Object(_) => self.map(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(*b),
            other => Err(wrong_kind(other, &visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::String(s) => visitor.visit_borrowed_str(s),
            other => Err(wrong_kind(other, &visitor)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            other => Err(wrong_kind(other, &visitor)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            Value::Object(map) => {
                let mut it = map.iter();
                match (it.next(), it.next()) {
                    (Some((key, value)), None) => visitor.visit_enum(Variant { key, value }),
                    _ => Err(de::Error::invalid_value(
                        Unexpected::Map,
                        &"map with a single key",
                    )),
                }
            }
            other => Err(de::Error::invalid_type(unexpected(other), &"string or map")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.map(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.map(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.number(visitor)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.number(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.seq(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    number_methods! { deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
    deserialize_u8 deserialize_u16 deserialize_u32 deserialize_f32 }

    serde::forward_to_deserialize_any! { i128 u128 bytes byte_buf }
}

impl<'de> Node<'de> {
    /// A number: `u64` for a non-negative integer, `i64` for a negative one, else `f64`.
    fn number<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => visitor.visit_u64(u),
                (None, Some(i)) => visitor.visit_i64(i),
                _ => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            other => Err(wrong_kind(other, &visitor)),
        }
    }

    /// An array, every element consumed.
    fn seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let Value::Array(items) = self.0 else {
            return Err(wrong_kind(self.0, &visitor));
        };
        let mut seq = Elements {
            items: items.iter(),
            index: 0,
        };
        let out = visitor.visit_seq(&mut seq)?;
        match seq.items.len() {
            0 => Ok(out),
            _ => Err(de::Error::invalid_length(
                items.len(),
                &"fewer elements in array",
            )),
        }
    }

    /// An object, every member consumed.
    fn map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let Value::Object(map) = self.0 else {
            return Err(wrong_kind(self.0, &visitor));
        };
        let mut members = Members {
            entries: map.iter(),
            pending: None,
        };
        let out = visitor.visit_map(&mut members)?;
        match members.entries.len() {
            0 => Ok(out),
            _ => Err(de::Error::invalid_length(
                map.len(),
                &"fewer elements in map",
            )),
        }
    }
}

/// The visitor's `invalid type: <found>, expected <what it expects>`.
fn wrong_kind(found: &Value, expected: &dyn de::Expected) -> DeError {
    de::Error::invalid_type(unexpected(found), expected)
}

struct Elements<'a> {
    items: std::slice::Iter<'a, Value>,
    index: usize,
}

impl<'de> SeqAccess<'de> for Elements<'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(Node(item))
            .map(Some)
            .map_err(|e| e.at(index))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Members<'a> {
    entries: serde_json::map::Iter<'a>,
    pending: Option<(&'a String, &'a Value)>,
}

impl<'de> MapAccess<'de> for Members<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.pending = Some((key, value));
        seed.deserialize(de::value::BorrowedStrDeserializer::<DeError>::new(key))
            .map(Some)
            .map_err(|e| e.at(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match self.pending.take() {
            Some((key, value)) => seed.deserialize(Node(value)).map_err(|e| e.at(key)),
            None => Err(de::Error::custom("a value was read before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct Variant<'a> {
    key: &'a String,
    value: &'a Value,
}

impl<'de> EnumAccess<'de> for Variant<'de> {
    type Error = DeError;
    type Variant = Self;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self), DeError> {
        let tag = seed
            .deserialize(de::value::BorrowedStrDeserializer::<DeError>::new(self.key))
            .map_err(|e| e.at(self.key))?;
        Ok((tag, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'de> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        match self.value {
            Value::Null => Ok(()),
            other => {
                let e: DeError = de::Error::invalid_type(unexpected(other), &"unit variant");
                Err(e.at(self.key))
            }
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        seed.deserialize(Node(self.value))
            .map_err(|e| e.at(self.key))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        Node(self.value)
            .deserialize_any(visitor)
            .map_err(|e| e.at(self.key))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        Node(self.value)
            .deserialize_any(visitor)
            .map_err(|e| e.at(self.key))
    }
}

/// What [`parse_strict`] reports.
#[derive(Debug)]
pub enum ParseError {
    /// Not JSON text (or trailing data): `serde_json`'s error, with its line and column.
    Syntax(serde_json::Error),
    /// A key given twice in one object: the pointer of the second one, and the key.
    DuplicateKey(String, String),
}

/// Reads JSON text into a [`Value`], refusing a key repeated within one object.
///
/// # Errors
/// [`ParseError::Syntax`] for text that is not exactly one JSON value,
/// [`ParseError::DuplicateKey`] with the pointer of the repeated key.
pub fn parse_strict(bytes: &[u8]) -> Result<Value, ParseError> {
    let dup = std::cell::RefCell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = StrictValue {
        dup: &dup,
        at: None,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v));
    match (value, dup.into_inner()) {
        (_, Some((pointer, key))) => Err(ParseError::DuplicateKey(pointer, key)),
        (Ok(v), None) => Ok(v),
        (Err(e), None) => Err(ParseError::Syntax(e)),
    }
}

/// A position in the document being read: the parent's position and this value's token.
struct At<'p> {
    parent: Option<&'p At<'p>>,
    token: Token<'p>,
}

enum Token<'p> {
    Key(&'p str),
    Index(usize),
}

impl At<'_> {
    fn pointer(&self) -> String {
        let head = self.parent.map(At::pointer).unwrap_or_default();
        match self.token {
            Token::Key(k) => pointer_join(&head, k),
            Token::Index(i) => pointer_join(&head, i),
        }
    }
}

/// A `Value` visitor that records the first duplicate key (and the pointer to it) in `dup`.
#[derive(Clone, Copy)]
struct StrictValue<'p> {
    dup: &'p std::cell::RefCell<Option<(String, String)>>,
    at: Option<&'p At<'p>>,
}

impl<'de> DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            let at = At {
                parent: self.at,
                token: Token::Index(out.len()),
            };
            let child = StrictValue {
                dup: self.dup,
                at: Some(&at),
            };
            match seq.next_element_seed(child)? {
                Some(v) => out.push(v),
                None => return Ok(Value::Array(out)),
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let at = At {
                parent: self.at,
                token: Token::Key(&key),
            };
            if out.contains_key(&key) {
                *self.dup.borrow_mut() = Some((at.pointer(), key.clone()));
                return Err(de::Error::custom("duplicate key"));
            }
            let child = StrictValue {
                dup: self.dup,
                at: Some(&at),
            };
            let value = map.next_value_seed(child)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        x: u32,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        items: Vec<Inner>,
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Plain,
        Scaled(f64),
    }

    /// The messages this reader's `invalid_type`/`invalid_value` write are serde's own,
    /// float ones included (written by `Brief`, not core's `Display`), except that a float
    /// beyond 10¹⁶ or below 10⁻⁴ is in exponent form (serde writes every digit).
    #[test]
    fn unexpected_values_read_as_serde_writes_them() {
        let mut cases = vec![
            Unexpected::Bool(true),
            Unexpected::Unsigned(7),
            Unexpected::Signed(-7),
            Unexpected::Char('x'),
            Unexpected::Str("a \"b\"\n"),
            Unexpected::Bytes(b"x"),
            Unexpected::Unit,
            Unexpected::Option,
            Unexpected::NewtypeStruct,
            Unexpected::Seq,
            Unexpected::Map,
            Unexpected::Enum,
            Unexpected::UnitVariant,
            Unexpected::NewtypeVariant,
            Unexpected::TupleVariant,
            Unexpected::StructVariant,
            Unexpected::Other("something else"),
        ];
        for x in [
            0.0,
            -0.0,
            1.0,
            -1.5,
            1e15,
            1e-4,
            5_699_815_695_124_825_f64 / 4.0, // 1424953923781206.25, an exact tie
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            cases.push(Unexpected::Float(x));
        }
        for u in cases {
            let ours = <DeError as de::Error>::invalid_type(u, &"a thing");
            assert_eq!(
                ours.message(),
                format!("invalid type: {u}, expected a thing"),
                "{u:?}"
            );
            let ours = <DeError as de::Error>::invalid_value(u, &"a thing");
            assert_eq!(
                ours.message(),
                format!("invalid value: {u}, expected a thing")
            );
        }
        for (x, text) in [
            (1e300, "1e300"),
            (-1e16, "-1e16"),
            (1e-7, "1e-7"),
            (5e-324, "5e-324"),
        ] {
            let ours = <DeError as de::Error>::invalid_type(Unexpected::Float(x), &"a thing");
            assert_eq!(
                ours.message(),
                format!("invalid type: floating point `{text}`, expected a thing")
            );
        }
        // A float where a struct is expected, through a derived reader.
        assert_eq!(
            fail(r#"{"items":[1.5]}"#),
            (
                "/items/0".to_string(),
                "invalid type: floating point `1.5`, expected struct Inner".to_string()
            )
        );
    }

    fn fail(json: &str) -> (String, String) {
        let v: Value = serde_json::from_str(json).unwrap();
        let e = decode::<Outer>(&v).unwrap_err();
        (e.pointer(), e.message().to_string())
    }

    #[test]
    fn paths_reach_the_offending_value() {
        assert_eq!(
            fail(r#"{"items":[{"x":1},{"x":"a"}]}"#),
            (
                "/items/1/x".into(),
                "invalid type: string \"a\", expected u32".into()
            )
        );
        assert_eq!(
            fail(r#"{"items":[{"x":1,"tags":[1]}]}"#).0,
            "/items/0/tags/0"
        );
        let (path, msg) = fail(r#"{"items":[{"x":1,"y":2}]}"#);
        assert_eq!(path, "/items/0/y");
        assert!(msg.starts_with("unknown field `y`"), "{msg}");
        assert_eq!(
            fail(r#"{"items":[{}]}"#),
            ("/items/0".into(), "missing field `x`".into())
        );
        assert_eq!(
            fail(r#"{"items":[],"kind":{"scaled":"x"}}"#).0,
            "/kind/scaled"
        );
        assert_eq!(
            fail(r#"{"items":[{"x":-1}]}"#).1,
            "invalid value: integer `-1`, expected u32"
        );
        assert_eq!(
            fail(r#"{"items":[{"x":1.5}]}"#).1,
            "invalid type: floating point `1.5`, expected u32"
        );
    }

    #[test]
    fn accepted_shapes_match_serde_json() {
        let v: Value =
            serde_json::from_str(r#"{"items":[{"x":4294967295}],"kind":{"scaled":2}}"#).unwrap();
        let ours: Outer = decode(&v).unwrap();
        let theirs: Outer = serde_json::from_value(v).unwrap();
        assert_eq!(ours, theirs);
        let v: Value = serde_json::from_str(r#"{"items":[],"kind":"plain"}"#).unwrap();
        assert_eq!(decode::<Outer>(&v).unwrap().kind, Some(Kind::Plain));
        let v: Value = serde_json::from_str(r#"{"items":[],"kind":null}"#).unwrap();
        assert_eq!(decode::<Outer>(&v).unwrap().kind, None);
    }

    #[test]
    fn strict_parse_names_the_repeated_key() {
        match parse_strict(br#"{"a":[{"b":1,"b":2}]}"#) {
            Err(ParseError::DuplicateKey(p, k)) => {
                assert_eq!((p.as_str(), k.as_str()), ("/a/0/b", "b"))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(parse_strict(b"{} x"), Err(ParseError::Syntax(_))));
        let v = parse_strict(br#"{"a":[1,-2,2.5,"s",null,true]}"#).unwrap();
        assert_eq!(v, serde_json::json!({"a":[1,-2,2.5,"s",null,true]}));
    }
}
