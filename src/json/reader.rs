//! A strict JSON reader over raw bytes, with size limits, for untrusted uploads.
//!
//! [`parse`] turns bytes into a [`serde_json::Value`] (object key order preserved) or one
//! [`Error`] with a JSON pointer. Stricter than `serde_json`:
//!
//! | input | code |
//! |---|---|
//! | a repeated object key (never "last wins") | `E_DUPLICATE_KEY`, path of the repeated key |
//! | `NaN`, `Infinity`, `-Infinity` literals; numbers overflowing to ±∞ (`1e400`) | `E_NOT_FINITE` |
//! | more bytes, nesting, array elements, string bytes or object keys than [`Limits`] allow | `E_TOO_LARGE` |
//! | invalid UTF-8, lone surrogate escapes, control characters in strings, trailing data, truncation, any syntax error | `E_PARSE` (message gives line and column) |
//!
//! The parser is iterative (an explicit stack), so 10,000-deep nesting costs no native stack and
//! fails with `E_TOO_LARGE` as soon as the depth limit is crossed. Paths and line/column are
//! computed only when an error is reported, so the success path pays nothing for them.

use super::decimal::Decimal;
use super::num::{Num, parse_non_finite};
pub use super::series::{Series, SeriesSpec};
use crate::error::{Code, Error, pointer_join};
use serde::Serialize;
use serde_json::{Map, Number, Value};

/// Size limits for one uploaded document. Every field has a safe default
/// ([`Limits::default`]); a field left out of the JSON form takes its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Total input size in bytes (default 16 MiB).
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<u64>"))]
    pub max_bytes: u64,
    /// Nesting depth of arrays and objects; the top-level value is depth 1 (default 64; values
    /// above [`DEPTH_CEILING`] act as the ceiling, so later recursive passes stay shallow).
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<u32>"))]
    pub max_depth: u32,
    /// Submissions in one bundle (default 1,000).
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<u32>"))]
    pub max_submissions: u32,
    /// Elements of any one array, series included (default 2,000,000).
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<u64>"))]
    pub max_series_len: u64,
    /// Bytes of any one string or object key, after unescaping (default 64 KiB).
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<u64>"))]
    pub max_string_len: u64,
    /// Keys of any one object (default 10,000).
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, as = "Option<u32>"))]
    pub max_map_keys: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 64,
            max_submissions: 1000,
            max_series_len: 2_000_000,
            max_string_len: 64 * 1024,
            max_map_keys: 10_000,
        }
    }
}

/// The deepest nesting ever accepted, whatever [`Limits::max_depth`] says.
pub const DEPTH_CEILING: u32 = 256;

impl Limits {
    /// No limit but the depth ceiling: for text the engine wrote itself and reads back (a
    /// decision's text), never for input.
    pub const UNBOUNDED: Limits = Limits {
        max_bytes: u64::MAX,
        max_depth: DEPTH_CEILING,
        max_submissions: u32::MAX,
        max_series_len: u64::MAX,
        max_string_len: u64::MAX,
        max_map_keys: u32::MAX,
    };
}

/// One open container on the parser's stack.
enum Frame {
    Array(Vec<Value>),
    /// The object so far and the key whose value is being parsed (`None` while reading a key).
    Object(Map<String, Value>, Option<String>),
}

struct Parser<'a> {
    bytes: &'a [u8],
    /// The same input as text (checked to be UTF-8 before parsing).
    text: &'a str,
    pos: usize,
    limits: &'a Limits,
    stack: Vec<Frame>,
    /// Collect the series this names into `series`.
    series_spec: Option<&'a SeriesSpec>,
    series: Vec<Series>,
}

/// Where a number's parts are in the input.
struct Span {
    start: usize,
    end: usize,
    negative: bool,
    /// The integer part is `0`.
    int_zero: bool,
    int_len: usize,
    /// Fraction digits `[from, to)` (empty without a `.`).
    frac: (usize, usize),
    exponent: bool,
    /// The digits, for the fast exact conversion.
    decimal: Decimal,
}

impl Span {
    /// Where ECMAScript's shortest form of the value ends when it is a prefix of the text: the
    /// text without trailing fraction zeros (and without a `.` left bare) when that has no
    /// exponent, at most 15 significant digits (so no shorter text denotes the same double), is
    /// in the plain-notation range 1e-6 ≤ |x| < 1e21, and is not `-0`.
    #[inline(always)] // hot per sample; the size-optimized wasm build would not inline it
    fn canonical_end(&self, bytes: &[u8]) -> Option<usize> {
        if self.exponent {
            return None;
        }
        let frac = bytes.get(self.frac.0..self.frac.1).unwrap_or_default();
        let trailing = frac.iter().rev().take_while(|&&b| b == b'0').count();
        let frac = frac.get(..frac.len() - trailing).unwrap_or_default();
        let ok = if self.int_zero {
            if frac.is_empty() {
                !self.negative // `0` yes, `-0` no
            } else {
                let zeros = frac.iter().take_while(|&&b| b == b'0').count();
                zeros <= 5 && frac.len() - zeros <= 15
            }
        } else {
            self.int_len + frac.len() <= 15
        };
        let end = match (frac.is_empty(), self.frac.0 == self.frac.1) {
            (_, true) => self.end,                      // no `.` at all
            (true, false) => self.frac.0 - 1,           // `1.00` → `1`
            (false, false) => self.frac.0 + frac.len(), // `1.50` → `1.5`
        };
        ok.then_some(end)
    }
}

/// Parses one JSON document from `bytes` under `limits`.
///
/// # Errors
/// `E_TOO_LARGE` (size, depth, array length, string length, object keys), `E_DUPLICATE_KEY`,
/// `E_NOT_FINITE` (NaN/Infinity literals, overflowing numbers), `E_PARSE` (anything else that
/// is not exactly one JSON value, with line and column). Each error's path is the JSON pointer
/// of the offending value.
pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Value, Error> {
    Parser::new(bytes, limits, None)?.run()
}

/// [`parse`] where the numeric series that `spec` names (`/<array>/<i>/<field>`) are read
/// straight into floats (no JSON value per sample) and returned beside the tree, where each
/// stands as an empty array. Elements that are neither numbers nor the strings `"nan"`,
/// `"+inf"`, `"-inf"` are `E_SCHEMA` at their path.
///
/// # Errors
/// As [`parse`], plus that `E_SCHEMA`.
pub fn parse_with_series(
    bytes: &[u8],
    limits: &Limits,
    spec: &SeriesSpec,
) -> Result<(Value, Vec<Series>), Error> {
    let mut p = Parser::new(bytes, limits, Some(spec))?;
    let v = p.run()?;
    Ok((v, p.series))
}

fn check_input<'a>(bytes: &'a [u8], limits: &Limits) -> Result<&'a str, Error> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(Error::new(
            Code::TooLarge,
            "",
            format!(
                "input is {} bytes, more than the limit of {}",
                bytes.len(),
                limits.max_bytes
            ),
        )
        .with_help("raise `max_bytes` or upload a smaller document"));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let (line, col) = line_col(bytes, at);
        Error::new(
            Code::Parse,
            "",
            format!("invalid utf-8 at byte {at} (line {line}, column {col})"),
        )
        .at_line(line, Some(col))
    })
}

/// 1-based line and column (in bytes) of byte offset `at`.
fn line_col(bytes: &[u8], at: usize) -> (usize, usize) {
    let head = bytes.get(..at).unwrap_or(bytes);
    let line = 1 + head.iter().filter(|&&b| b == b'\n').count();
    let col = 1 + head.iter().rev().take_while(|&&b| b != b'\n').count();
    (line, col)
}

/// The canonical text of a series being read: `out`, then the input from byte `from` on, which
/// is canonical up to the reader's position.
struct CanonicalRun {
    out: String,
    from: usize,
}

impl CanonicalRun {
    /// Copies the pending input run up to `to`.
    fn flush(&mut self, text: &str, to: usize) {
        self.out
            .push_str(text.get(self.from..to).unwrap_or_default());
        self.from = to;
    }

    /// Replaces the input `[start, end)` by what `write` appends.
    fn rewrite(&mut self, text: &str, start: usize, end: usize, write: impl FnOnce(&mut String)) {
        self.flush(text, start);
        write(&mut self.out);
        self.from = end;
    }
}

impl<'a> Parser<'a> {
    /// A parser at the start of `bytes`, once they pass [`check_input`].
    fn new(
        bytes: &'a [u8],
        limits: &'a Limits,
        series_spec: Option<&'a SeriesSpec>,
    ) -> Result<Self, Error> {
        Ok(Parser {
            bytes,
            text: check_input(bytes, limits)?,
            pos: 0,
            limits,
            stack: Vec::new(),
            series_spec,
            series: Vec::new(),
        })
    }

    #[inline(always)] // hot; the size-optimized wasm build would not inline it
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline(always)]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    /// The JSON pointer of the value being parsed now.
    fn path(&self) -> String {
        let mut path = String::new();
        for frame in &self.stack {
            path = match frame {
                Frame::Array(items) => pointer_join(&path, items.len()),
                Frame::Object(_, Some(key)) => pointer_join(&path, key),
                Frame::Object(_, None) => path,
            };
        }
        path
    }

    fn err(&self, code: Code, msg: impl Into<String>) -> Error {
        Error::new(code, self.path(), msg)
    }

    fn syntax(&self, what: &str) -> Error {
        let (line, col) = line_col(self.bytes, self.pos);
        let found = match self.peek() {
            None => "end of input".to_string(),
            Some(b) if b.is_ascii_graphic() => format!("`{}`", b as char),
            Some(b) => format!("byte 0x{b:02x}"),
        };
        let mut e = self
            .err(
                Code::Parse,
                format!("expected {what}, found {found} (line {line}, column {col})"),
            )
            .at_line(line, Some(col));
        if self.peek().is_none() {
            e = e.with_help("the document is truncated");
        }
        e
    }

    fn run(&mut self) -> Result<Value, Error> {
        'value: loop {
            self.skip_ws();
            let mut value = match self.peek() {
                Some(b'{') => {
                    self.open()?;
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        Value::Object(Map::new())
                    } else {
                        let key = self.key()?;
                        self.stack.push(Frame::Object(Map::new(), Some(key)));
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    self.open()?;
                    if let Some(slot) = self.series_slot() {
                        self.series_array(slot)?;
                        Value::Array(Vec::new())
                    } else {
                        self.skip_ws();
                        if self.peek() == Some(b']') {
                            self.pos += 1;
                            Value::Array(Vec::new())
                        } else {
                            self.stack.push(Frame::Array(Vec::new()));
                            continue 'value;
                        }
                    }
                }
                Some(b'"') => Value::String(self.string()?),
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(b't') => self.literal("true", Value::Bool(true))?,
                Some(b'f') => self.literal("false", Value::Bool(false))?,
                Some(b'n') => self.literal("null", Value::Null)?,
                Some(b'N' | b'I' | b'+') => return Err(self.non_finite_literal()),
                _ => return Err(self.syntax("a value")),
            };
            // Attach the finished value to its parent, closing containers as they end.
            loop {
                let Some(frame) = self.stack.last_mut() else {
                    self.skip_ws();
                    if self.pos < self.bytes.len() {
                        return Err(self.syntax("end of input after the document"));
                    }
                    return Ok(value);
                };
                match frame {
                    Frame::Array(items) => {
                        if items.len() as u64 >= self.limits.max_series_len {
                            return Err(self.array_too_long());
                        }
                        items.push(value);
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                continue 'value;
                            }
                            Some(b']') => {
                                self.pos += 1;
                                value = match self.stack.pop() {
                                    Some(Frame::Array(items)) => Value::Array(items),
                                    _ => return Err(self.internal()),
                                };
                            }
                            _ => return Err(self.syntax("`,` or `]`")),
                        }
                    }
                    Frame::Object(map, key) => {
                        match key.take() {
                            Some(key) => map.insert(key, value),
                            None => return Err(self.internal()),
                        };
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                let next = self.key()?;
                                self.add_key(next)?;
                                continue 'value;
                            }
                            Some(b'}') => {
                                self.pos += 1;
                                value = match self.stack.pop() {
                                    Some(Frame::Object(map, _)) => Value::Object(map),
                                    _ => return Err(self.internal()),
                                };
                            }
                            _ => return Err(self.syntax("`,` or `}`")),
                        }
                    }
                }
            }
        }
    }

    fn internal(&self) -> Error {
        self.err(Code::Internal, "json reader stack out of step")
    }

    fn array_too_long(&self) -> Error {
        let mut path = String::new();
        for frame in self.stack.iter().take(self.stack.len().saturating_sub(1)) {
            path = match frame {
                Frame::Array(items) => pointer_join(&path, items.len()),
                Frame::Object(_, Some(key)) => pointer_join(&path, key),
                Frame::Object(_, None) => path,
            };
        }
        Error::new(
            Code::TooLarge,
            path,
            format!(
                "array has more than {} elements",
                self.limits.max_series_len
            ),
        )
        .with_help("raise `max_series_len` or send fewer samples")
    }

    /// Consumes `{` or `[` after checking the depth limit.
    fn open(&mut self) -> Result<(), Error> {
        let max = self.limits.max_depth.min(DEPTH_CEILING);
        if self.stack.len() as u64 + 1 > u64::from(max) {
            return Err(self.err(Code::TooLarge, format!("nesting deeper than {max} levels")));
        }
        self.pos += 1;
        Ok(())
    }

    /// Reads `"key" :`.
    fn key(&mut self) -> Result<String, Error> {
        self.skip_ws();
        if self.peek() != Some(b'"') {
            return Err(self.syntax("a string key"));
        }
        let key = self.string()?;
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.syntax("`:`"));
        }
        self.pos += 1;
        Ok(key)
    }

    /// Makes `key` the pending key of the open object; rejects a repeated key and too many keys.
    fn add_key(&mut self, key: String) -> Result<(), Error> {
        let max = self.limits.max_map_keys;
        let (duplicate, full) = match self.stack.last() {
            Some(Frame::Object(map, _)) => {
                (map.contains_key(&key), map.len() as u64 >= u64::from(max))
            }
            _ => return Err(self.internal()),
        };
        // The path is built only for an error: the success path pays nothing for it.
        if duplicate {
            return Err(Error::new(
                Code::DuplicateKey,
                pointer_join(&self.path(), &key),
                format!("duplicate key `{key}`"),
            )
            .with_help("each key may appear once per object"));
        }
        if full {
            return Err(Error::new(
                Code::TooLarge,
                self.path(),
                format!("object has more than {max} keys"),
            ));
        }
        match self.stack.last_mut() {
            Some(Frame::Object(_, slot)) => {
                *slot = Some(key);
                Ok(())
            }
            _ => Err(self.internal()),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, Error> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word.as_bytes()) {
            self.pos = end;
            Ok(value)
        } else {
            Err(self.syntax(&format!("`{word}`")))
        }
    }

    fn non_finite_literal(&self) -> Error {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let word: String = rest
            .iter()
            .take(16)
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'+' || **b == b'-')
            .map(|&b| b as char)
            .collect();
        let lower = word.to_ascii_lowercase();
        let lower = lower.trim_start_matches(['+', '-']);
        if lower.starts_with("nan") || lower.starts_with("inf") {
            self.err(
                Code::NotFinite,
                format!("`{word}` is not a JSON number"),
            )
            .with_help("JSON has no NaN or infinity; where a non-finite value is allowed write the string \"nan\", \"+inf\" or \"-inf\"")
        } else {
            self.syntax("a value")
        }
    }

    /// The series slot the array just opened fills, if a spec is given:
    /// `/<array>/<i>/<field>` as (item, field index).
    fn series_slot(&self) -> Option<(usize, usize)> {
        let spec = self.series_spec?;
        match self.stack.as_slice() {
            [
                Frame::Object(_, Some(top)),
                Frame::Array(items),
                Frame::Object(_, Some(key)),
            ] if top == spec.array => {
                Some((items.len(), spec.fields.iter().position(|f| f == key)?))
            }
            _ => None,
        }
    }

    /// Reads the elements of a series array (after its `[`) into floats.
    ///
    /// The canonical text is built by copying runs of the input that already are canonical
    /// (numbers in shortest form and the commas between them) and rewriting only what is not
    /// (whitespace, other number forms, strings), so a canonical array costs one copy.
    fn series_array(&mut self, (item, field): (usize, usize)) -> Result<(), Error> {
        // Capacity hints from the previous series (bundles hold series of similar lengths),
        // bounded by what the rest of the input can hold.
        let rest = self.bytes.len() - self.pos;
        let (len_hint, text_hint) = self
            .series
            .last()
            .map_or((0, 0), |s| (s.values.len(), s.canonical.len()));
        let mut values: Vec<Num> = Vec::with_capacity(len_hint.min(rest / 2));
        let mut canonical = CanonicalRun {
            out: String::with_capacity(text_hint.min(rest)),
            from: self.pos,
        };
        let base = self.path();
        let at = |mut e: Error, i: usize| {
            e.path = pointer_join(&base, i);
            e
        };
        self.series_ws(&mut canonical);
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.series_ws(&mut canonical);
                self.pos = plain_run(
                    self.bytes,
                    self.text,
                    self.pos,
                    &mut values,
                    &mut canonical,
                    self.limits.max_series_len,
                );
                self.series_ws(&mut canonical);
                let i = values.len();
                if i as u64 >= self.limits.max_series_len {
                    return Err(Error::new(
                        Code::TooLarge,
                        base.clone(),
                        format!(
                            "array has more than {} elements",
                            self.limits.max_series_len
                        ),
                    )
                    .with_help("raise `max_series_len` or send fewer samples"));
                }
                let start = self.pos;
                let x = match self.peek() {
                    Some(b'-' | b'0'..=b'9') => {
                        let (x, canonical_end) = match plain_number(self.bytes, start) {
                            Some((x, end, canonical_end)) => {
                                self.pos = end;
                                (x, canonical_end)
                            }
                            None => self.series_number().map_err(|e| at(e, i))?,
                        };
                        match canonical_end {
                            Some(end) if end == self.pos => {} // canonical as it stands
                            Some(end) => {
                                // A canonical prefix (trailing fraction zeros dropped).
                                canonical.flush(self.text, end);
                                canonical.from = self.pos;
                            }
                            None => canonical.rewrite(self.text, start, self.pos, |out| {
                                super::canonical::write_number(x, out);
                            }),
                        }
                        x
                    }
                    Some(b'"') => {
                        let s = self.string().map_err(|e| at(e, i))?;
                        canonical.rewrite(self.text, start, self.pos, |out| {
                            super::canonical::write_string(&s, out);
                        });
                        parse_non_finite(&s).ok_or_else(|| {
                            at(
                                Error::new(
                                    Code::Schema,
                                    "",
                                    format!(
                                        "expected a number or one of \"+inf\", \"-inf\", \"nan\", found the string `{}`",
                                        truncate(&s, 40).escape_debug()
                                    ),
                                ),
                                i,
                            )
                        })?
                    }
                    Some(b'N' | b'I' | b'+') => return Err(at(self.non_finite_literal(), i)),
                    Some(b't') => {
                        self.literal("true", Value::Null).map_err(|e| at(e, i))?;
                        return Err(at(self.not_a_number("`true`"), i));
                    }
                    Some(b'f') => {
                        self.literal("false", Value::Null).map_err(|e| at(e, i))?;
                        return Err(at(self.not_a_number("`false`"), i));
                    }
                    Some(b'n') => {
                        self.literal("null", Value::Null).map_err(|e| at(e, i))?;
                        return Err(at(self.not_a_number("null"), i));
                    }
                    Some(b'[') => return Err(at(self.not_a_number("an array"), i)),
                    Some(b'{') => return Err(at(self.not_a_number("an object"), i)),
                    _ => return Err(at(self.syntax("a number"), i)),
                };
                values.push(Num(x));
                self.series_ws(&mut canonical);
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        canonical.flush(self.text, self.pos);
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(at(self.syntax("`,` or `]`"), i + 1)),
                }
            }
        }
        self.series.push(Series {
            item,
            field,
            values,
            canonical: canonical.out,
        });
        Ok(())
    }

    /// Skips whitespace inside a series, which the canonical text leaves out.
    #[inline]
    fn series_ws(&mut self, canonical: &mut CanonicalRun) {
        if let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            let start = self.pos;
            self.skip_ws();
            canonical.rewrite(self.text, start, self.pos, |_| {});
        }
    }

    /// A series sample: its value and, when a prefix of its text is the RFC 8785 form of that
    /// value, where that prefix ends.
    #[inline(always)] // hot per sample; the size-optimized wasm build would not inline it
    fn series_number(&mut self) -> Result<(f64, Option<usize>), Error> {
        let span = self.scan_number()?;
        let v = self.span_value(&span);
        if !v.is_finite() {
            return Err(self.overflow(self.span_text(&span)));
        }
        Ok((v, span.canonical_end(self.bytes)))
    }

    fn not_a_number(&self, what: &str) -> Error {
        Error::new(
            Code::Schema,
            "",
            format!("expected a number or one of \"+inf\", \"-inf\", \"nan\", found {what}"),
        )
    }

    /// Scans a number's text and leaves `pos` after it, collecting its digits on the way.
    #[inline(always)] // hot per sample; the size-optimized wasm build would not inline it
    fn scan_number(&mut self) -> Result<Span, Error> {
        let start = self.pos;
        let b = self.bytes;
        let at = |i: usize| b.get(i).copied();
        let mut i = self.pos;
        let mut dec = Decimal::default();
        let negative = at(i) == Some(b'-');
        if negative {
            dec.negative = true;
            i += 1;
            if let Some(b'I' | b'N' | b'i' | b'n') = at(i) {
                return Err(self.non_finite_literal());
            }
        }
        let int_start = i;
        match at(i) {
            Some(b'0') => {
                dec.push_digit(0);
                i += 1;
            }
            Some(b'1'..=b'9') => {
                while let Some(c @ b'0'..=b'9') = at(i) {
                    dec.push_digit(c - b'0');
                    i += 1;
                }
            }
            _ => {
                self.pos = i;
                return Err(self.syntax("a digit"));
            }
        }
        let int_len = i - int_start;
        let mut frac = (i, i);
        if at(i) == Some(b'.') {
            i += 1;
            let f0 = i;
            if !matches!(at(i), Some(b'0'..=b'9')) {
                self.pos = i;
                return Err(self.syntax("a digit after `.`"));
            }
            while let Some(c @ b'0'..=b'9') = at(i) {
                dec.push_digit(c - b'0');
                i += 1;
            }
            frac = (f0, i);
            dec.frac_len = u32::try_from(i - f0).unwrap_or(u32::MAX);
        }
        let mut exponent = false;
        if let Some(b'e' | b'E') = at(i) {
            exponent = true;
            i += 1;
            let minus = at(i) == Some(b'-');
            if let Some(b'+' | b'-') = at(i) {
                i += 1;
            }
            if !matches!(at(i), Some(b'0'..=b'9')) {
                self.pos = i;
                return Err(self.syntax("a digit in the exponent"));
            }
            let mut e = 0i32;
            while let Some(c @ b'0'..=b'9') = at(i) {
                e = (e * 10 + i32::from(c - b'0')).min(100_000);
                i += 1;
            }
            dec.exponent = if minus { -e } else { e };
        }
        self.pos = i;
        Ok(Span {
            start,
            end: i,
            negative,
            int_zero: at(int_start) == Some(b'0'),
            int_len,
            frac,
            exponent,
            decimal: dec,
        })
    }

    /// The value of a scanned number: the exact fast path, else the full parser
    /// (NaN only for text that is not a number, which the scan has ruled out).
    #[inline(always)] // hot per sample; the size-optimized wasm build would not inline it
    fn span_value(&self, span: &Span) -> f64 {
        span.decimal
            .fast_value()
            .unwrap_or_else(|| self.span_text(span).parse().unwrap_or(f64::NAN))
    }

    /// The text of a scanned number (ASCII, so valid UTF-8).
    fn span_text(&self, span: &Span) -> &'a str {
        self.str_slice(span.start, span.end)
    }

    fn overflow(&self, text: &str) -> Error {
        self.err(
            Code::NotFinite,
            format!("`{}` overflows a 64-bit float", truncate(text, 40)),
        )
    }

    fn number(&mut self) -> Result<Value, Error> {
        let span = self.scan_number()?;
        let text = self.span_text(&span);
        if !span.exponent && span.frac.0 == span.frac.1 {
            if let Ok(v) = text.parse::<u64>() {
                return Ok(Value::Number(v.into()));
            }
            if let Ok(v) = text.parse::<i64>() {
                return Ok(Value::Number(v.into()));
            }
        }
        let v = self.span_value(&span);
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| self.overflow(text))
    }

    /// Reads a string starting at the opening quote.
    fn string(&mut self) -> Result<String, Error> {
        self.pos += 1; // opening quote
        let max = self.limits.max_string_len;
        let mut out: Option<String> = None; // allocated only when an escape appears
        let mut run_start = self.pos;
        loop {
            // Fast scan to the next quote, backslash or control byte.
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            let skip = rest
                .iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
                .unwrap_or(rest.len());
            self.pos += skip;
            let so_far = out.as_ref().map_or(0, String::len) + (self.pos - run_start);
            if so_far as u64 > max {
                return Err(self
                    .err(Code::TooLarge, format!("string longer than {max} bytes"))
                    .with_help("raise `max_string_len` or shorten the text"));
            }
            let run = self.str_slice(run_start, self.pos);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(match out {
                        Some(mut s) => {
                            s.push_str(run);
                            s
                        }
                        None => run.to_string(),
                    });
                }
                Some(b'\\') => {
                    let s = out.get_or_insert_with(String::new);
                    s.push_str(run);
                    self.pos += 1;
                    let ch = self.escape()?;
                    if let Some(s) = out.as_mut() {
                        s.push(ch);
                    }
                    run_start = self.pos;
                }
                None => return Err(self.syntax("`\"` to close the string")),
                Some(_) => {
                    return Err(self.syntax("a character (control characters must be escaped)"));
                }
            }
        }
    }

    fn str_slice(&self, from: usize, to: usize) -> &'a str {
        // Input was checked to be UTF-8 and the cut points are ASCII bytes.
        let text: &'a str = self.text;
        text.get(from..to).unwrap_or_default()
    }

    /// Reads the escape after a backslash.
    fn escape(&mut self) -> Result<char, Error> {
        let c = self.peek();
        self.pos += 1;
        Ok(match c {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let hi = self.hex4()?;
                if (0xD800..0xDC00).contains(&hi) {
                    if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                        return Err(self.syntax("a low surrogate `\\uDC00`–`\\uDFFF`"));
                    }
                    self.pos += 2;
                    let lo = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err(self.syntax("a low surrogate `\\uDC00`–`\\uDFFF`"));
                    }
                    let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    char::from_u32(cp).ok_or_else(|| self.syntax("a valid code point"))?
                } else {
                    char::from_u32(hi).ok_or_else(|| {
                        self.syntax("a high surrogate before a low one (lone surrogate)")
                    })?
                }
            }
            _ => {
                self.pos -= 1;
                return Err(self.syntax("an escape (`\\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t`, `\\uXXXX`)"));
            }
        })
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(self.syntax("a hex digit")),
            };
            v = v * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(v)
    }
}

/// The common sample `-?int(.frac)?` (no exponent, at most 19 digits, an exact fast-path
/// value) read in one pass: its value, where it ends, and where its canonical prefix ends, exactly
/// as [`Parser::scan_number`] + [`Span::canonical_end`] would give them; `None` for anything else
/// (the general path then reads it and reports any error).
#[inline(always)] // hot per sample; the size-optimized wasm build would not inline it
fn plain_number(b: &[u8], start: usize) -> Option<(f64, usize, Option<usize>)> {
    let mut i = start;
    let negative = b.get(i) == Some(&b'-');
    if negative {
        i += 1;
    }
    let int_start = i;
    let mut m: u64 = 0;
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while let Some(&c @ b'0'..=b'9') = b.get(i) {
                m = m.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
                i += 1;
            }
        }
        _ => return None,
    }
    let int_len = i - int_start;
    let int_zero = m == 0;
    // Fraction digits [frac_start, i): eight at a time while they last, then one by one.
    let mut frac_start = i;
    let dot = b.get(i) == Some(&b'.');
    if dot {
        i += 1;
        frac_start = i;
        while let Some(v) = eight_digits(b, i) {
            m = m.wrapping_mul(100_000_000).wrapping_add(v);
            i += 8;
        }
        while let Some(&c @ b'0'..=b'9') = b.get(i) {
            m = m.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
            i += 1;
        }
        if i == frac_start {
            return None;
        }
    }
    if let Some(b'e' | b'E') = b.get(i) {
        return None;
    }
    let frac_len = i - frac_start;
    // One past the last non-zero fraction digit, and the first one (plain loops: iterator
    // adapters here would stay calls in the size-optimized wasm build).
    let mut last_nz = i;
    while last_nz > frac_start && b.get(last_nz - 1) == Some(&b'0') {
        last_nz -= 1;
    }
    let first_nz = if int_zero && last_nz > frac_start {
        let mut f = frac_start;
        while b.get(f) == Some(&b'0') {
            f += 1;
        }
        Some(f)
    } else {
        None
    };
    let value = Decimal {
        significand: m,
        digits: u32::try_from(int_len + frac_len).ok()?,
        frac_len: u32::try_from(frac_len).ok()?,
        exponent: 0,
        negative,
    }
    .fast_value()?;
    // The canonical text, as Span::canonical_end decides it.
    let kept = last_nz - frac_start; // fraction digits without trailing zeros
    let ok = if int_zero {
        match first_nz {
            None => !negative, // `0` yes, `-0` no
            Some(f) => {
                let zeros = f - frac_start;
                zeros <= 5 && kept - zeros <= 15
            }
        }
    } else {
        int_len + kept <= 15
    };
    let end = if !dot {
        i
    } else if kept == 0 {
        frac_start - 1
    } else {
        last_nz
    };
    Some((value, i, ok.then_some(end)))
}

/// Reads the plain samples ([`plain_number`]) at `pos` that are each followed by a bare `,`
/// while they last (and `values` stays under `max`); returns the position after the last comma
/// consumed. Everything else (whitespace, other forms, the last element) is left to the
/// general loop of [`Parser::series_array`]; this one keeps its state in locals.
#[inline(never)]
fn plain_run(
    b: &[u8],
    text: &str,
    mut pos: usize,
    values: &mut Vec<Num>,
    canonical: &mut CanonicalRun,
    max: u64,
) -> usize {
    while (values.len() as u64) < max {
        let Some((x, end, canonical_end)) = plain_number(b, pos) else {
            break;
        };
        if b.get(end) != Some(&b',') {
            break;
        }
        match canonical_end {
            Some(c) if c == end => {}
            Some(c) => {
                canonical.flush(text, c);
                canonical.from = end;
            }
            None => canonical.rewrite(text, pos, end, |out| {
                super::canonical::write_number(x, out);
            }),
        }
        values.push(Num(x));
        pos = end + 1;
    }
    pos
}

/// The value of the eight ASCII digits at `b[i..i + 8]`, if they all are digits (SWAR: one
/// 64-bit load, a check of all eight bytes, three multiplications).
#[inline(always)]
fn eight_digits(b: &[u8], i: usize) -> Option<u64> {
    let bytes: [u8; 8] = b.get(i..i + 8)?.try_into().ok()?;
    let v = u64::from_le_bytes(bytes);
    // Every byte is 0x30..=0x39: high nibble 3, and adding 6 does not carry into it.
    let all_digits = (v & 0xF0F0_F0F0_F0F0_F0F0) == 0x3030_3030_3030_3030
        && (v.wrapping_add(0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) == 0x3030_3030_3030_3030;
    if !all_digits {
        return None;
    }
    // The first byte in memory is the most significant digit.
    let v = v - 0x3030_3030_3030_3030;
    let v = v.wrapping_mul(10).wrapping_add(v >> 8); // pairs
    let v = ((v & 0x0000_00FF_0000_00FF)
        .wrapping_mul(100 + (1_000_000 << 32))
        .wrapping_add(((v >> 16) & 0x0000_00FF_0000_00FF).wrapping_mul(1 + (10_000 << 32))))
        >> 32;
    Some(v)
}

fn truncate(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => s.get(..i).unwrap_or(s),
        None => s,
    }
}

// Decoders from field tables (`crate::json::fields`); same messages and paths as derived ones.
super::fields::table_struct!(Limits default {
    max_bytes, max_depth, max_submissions, max_series_len, max_string_len, max_map_keys
});

#[cfg(test)]
mod tests {
    /// The bundle's series, as the gate reads them.
    const SPEC: SeriesSpec = SeriesSpec {
        array: "submissions",
        fields: &["returns", "equity", "pnl"],
    };

    fn parse_bundle(bytes: &[u8], limits: &Limits) -> Result<(Value, Vec<Series>), Error> {
        parse_with_series(bytes, limits, &SPEC)
    }

    use super::*;

    fn p(s: &str) -> Result<Value, Error> {
        parse(s.as_bytes(), &Limits::default())
    }

    fn code(s: &str) -> (Code, String) {
        let e = p(s).unwrap_err();
        (e.code, e.path.clone())
    }

    #[test]
    fn parses_like_serde_json_and_keeps_key_order() {
        for doc in [
            r#"{"b":1,"a":[1,2.5,-3e-2,{"x":null}],"c":"h\u00e9\n\ud83d\ude00","d":true,"e":false}"#,
            "[]",
            "{}",
            " 0 ",
            "-0.0",
            "18446744073709551615",
            "-9223372036854775808",
            "123456789012345678901234567890",
            r#""\"\\\/\b\f\n\r\t""#,
        ] {
            let ours = p(doc).unwrap();
            let theirs: Value = serde_json::from_str(doc).unwrap();
            assert_eq!(ours, theirs, "{doc}");
        }
        let v = p(r#"{"z":1,"a":2}"#).unwrap();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["z", "a"]);
    }

    #[test]
    fn duplicate_keys_are_errors_with_the_key_path() {
        assert_eq!(
            code(r#"{"a":{"b":1,"b":2}}"#),
            (Code::DuplicateKey, "/a/b".into())
        );
        assert_eq!(
            code(r#"[{"x":1},{"a/b":1,"a/b":1}]"#),
            (Code::DuplicateKey, "/1/a~1b".into())
        );
    }

    #[test]
    fn non_finite_literals_and_overflow() {
        for doc in ["NaN", "[1, Infinity]", "-Infinity", "+Infinity", "[nan]"] {
            let (c, _) = code(doc);
            assert!(c == Code::NotFinite || c == Code::Parse, "{doc}: {c}");
        }
        assert_eq!(code("[1, NaN]"), (Code::NotFinite, "/1".into()));
        assert_eq!(code(r#"{"a":-Infinity}"#), (Code::NotFinite, "/a".into()));
        assert_eq!(code(r#"{"a":[0,1e400]}"#), (Code::NotFinite, "/a/1".into()));
        assert_eq!(code("-1e309"), (Code::NotFinite, "".into()));
        // Underflow is fine: it rounds to zero like every JSON parser.
        assert_eq!(p("1e-400").unwrap(), serde_json::json!(0.0));
    }

    #[test]
    fn syntax_errors_report_line_and_column() {
        let e = p("{\n  \"a\": [1,\n 2").unwrap_err();
        assert_eq!(e.code, Code::Parse);
        assert!(e.message.contains("line 3"), "{}", e.message);
        assert_eq!(e.help.as_deref(), Some("the document is truncated"));
        for doc in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "01",
            "1.",
            "1e",
            "-",
            "\"abc",
            "\"a\tb\"",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "[1] x",
            "{} {}",
            "tru",
            "'a'",
            "{a:1}",
        ] {
            assert_eq!(p(doc).unwrap_err().code, Code::Parse, "{doc:?}");
        }
        let e = parse(b"[\"\xff\"]", &Limits::default()).unwrap_err();
        assert_eq!(e.code, Code::Parse);
        assert!(e.message.contains("utf-8"));
    }

    #[test]
    fn limits_are_enforced() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let e = p(&deep).unwrap_err();
        assert_eq!(e.code, Code::TooLarge);
        assert_eq!(e.path.matches('/').count(), 64);
        let small = Limits {
            max_bytes: 100,
            max_depth: 3,
            max_series_len: 3,
            max_string_len: 4,
            max_map_keys: 2,
            ..Limits::default()
        };
        let q = |s: &str| parse(s.as_bytes(), &small).map_err(|e| (e.code, e.path.clone()));
        assert!(q("[[[1]]]").is_ok());
        assert_eq!(q("[[[[1]]]]"), Err((Code::TooLarge, "/0/0/0".into())));
        assert!(q("[1,2,3]").is_ok());
        assert_eq!(q(r#"{"s":[1,2,3,4]}"#), Err((Code::TooLarge, "/s".into())));
        assert!(q(r#""abcd""#).is_ok());
        assert_eq!(q(r#"{"k":"abcde"}"#), Err((Code::TooLarge, "/k".into())));
        assert_eq!(
            q(r#"["ab\ncd"]"#).map(|_| ()),
            Err((Code::TooLarge, "/0".into()))
        );
        assert_eq!(
            q(r#"{"a":1,"b":2,"c":3}"#),
            Err((Code::TooLarge, "".into()))
        );
        assert_eq!(q(&" ".repeat(101)), Err((Code::TooLarge, "".into())));
    }

    #[test]
    fn bundle_series_are_read_outside_the_tree() {
        let doc = r#"{"bundle_version":1,"world_id":"w","submissions":[
            {"strategy_id":"a","returns":[0.1,"nan",-2e-3],"meta":{"returns":[1,2]}},
            {"strategy_id":"b","equity":[],"pnl":[1, "+inf"]}],"returns":[5]}"#;
        let (v, series) = parse_bundle(doc.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(v["submissions"][0]["returns"], serde_json::json!([]));
        assert_eq!(
            v["submissions"][0]["meta"]["returns"],
            serde_json::json!([1, 2])
        );
        assert_eq!(v["returns"], serde_json::json!([5]));
        assert_eq!(series.len(), 3);
        assert_eq!((series[0].item, series[0].field), (0, 0));
        assert_eq!(series[0].values[0], Num(0.1));
        assert!(series[0].values[1].0.is_nan());
        assert_eq!(
            (series[1].item, series[1].field, series[1].values.len()),
            (1, 1, 0)
        );
        assert_eq!(series[2].values, vec![Num(1.0), Num(f64::INFINITY)]);
        let full: Value = serde_json::from_str(doc).unwrap();
        assert_eq!(
            super::super::canonical::canonical_with_series(&v, &SPEC, &series),
            super::super::canonical::to_canonical_string(&full)
        );
    }

    #[test]
    fn bundle_series_errors_point_at_the_sample() {
        let q = |series: &str| {
            let doc = format!(r#"{{"submissions":[{{"returns":{series}}}]}}"#);
            let small = Limits {
                max_series_len: 3,
                ..Limits::default()
            };
            parse_bundle(doc.as_bytes(), &small)
                .map(|_| ())
                .map_err(|e| (e.code, e.path.clone()))
        };
        let at = |c: Code, i: &str| Err((c, format!("/submissions/0/returns{i}")));
        assert_eq!(q("[0.1, true]"), at(Code::Schema, "/1"));
        assert_eq!(q("[0.1, null]"), at(Code::Schema, "/1"));
        assert_eq!(q("[[0.1]]"), at(Code::Schema, "/0"));
        assert_eq!(q(r#"[0.1, "inf"]"#), at(Code::Schema, "/1"));
        assert_eq!(q("[0.1, NaN]"), at(Code::NotFinite, "/1"));
        assert_eq!(q("[1e999]"), at(Code::NotFinite, "/0"));
        assert_eq!(q("[1,2,3,4]"), at(Code::TooLarge, ""));
        assert_eq!(q("[1,2,3]"), Ok(()));
        assert_eq!(q("[1,]").unwrap_err().0, Code::Parse);
        assert_eq!(q("[1 2]").unwrap_err().0, Code::Parse);
        assert_eq!(q("[tru]").unwrap_err().0, Code::Parse);
        assert_eq!(q("[1,").unwrap_err().0, Code::Parse);
    }

    /// The general reader's answer for a sample: value, end, canonical end.
    fn general_number(text: &str) -> (u64, usize, Option<usize>) {
        let limits = Limits::default();
        let mut p = Parser {
            bytes: text.as_bytes(),
            text,
            pos: 0,
            limits: &limits,
            stack: Vec::new(),
            series_spec: Some(&SPEC),
            series: Vec::new(),
        };
        let (x, canonical_end) = p.series_number().unwrap();
        (x.to_bits(), p.pos, canonical_end)
    }

    #[test]
    fn eight_digits_at_once() {
        assert_eq!(eight_digits(b"12345678", 0), Some(12_345_678));
        assert_eq!(eight_digits(b"x00000000", 1), Some(0));
        assert_eq!(eight_digits(b"99999999", 0), Some(99_999_999));
        assert_eq!(eight_digits(b"01469110,", 0), Some(1_469_110));
        for bad in [
            &b"1234567"[..],
            b"1234567,",
            b"/2345678",
            b":2345678",
            b"1234 678",
            b"\xff2345678",
        ] {
            assert_eq!(
                eight_digits(bad, 0),
                None,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn plain_numbers_read_like_the_general_path() {
        for t in [
            "0",
            "-0",
            "0.0",
            "-0.0",
            "0.000",
            "1",
            "-1",
            "10",
            "1.0",
            "1.50",
            "-0.00511857",
            "0.01469110",
            "0.000001",
            "0.0000001",
            "0.0000012",
            "123456789012345",
            "1234567890123456",
            "0.123456789012345",
            "0.1234567890123456",
            "12345678.1234567",
            "9007199254740993",
            "12345678901234567890",
            "0.00000000000000000000001",
            "1.25,",
            "7]",
        ] {
            let general = general_number(t);
            let plain = plain_number(t.as_bytes(), 0).map(|(x, e, c)| (x.to_bits(), e, c));
            if let Some(plain) = plain {
                assert_eq!(plain, general, "{t}");
            }
        }
        // The fast path must take the common forms (so the loop above is not vacuous) ...
        for t in [
            "0",
            "-0",
            "1.50",
            "-0.00511857",
            "0.0000001",
            "123456789012345",
        ] {
            assert!(plain_number(t.as_bytes(), 0).is_some(), "{t}");
        }
        // ... and leave exponents, 20+ digits and inexact values to the general path.
        for t in [
            "1e5",
            "1.5E-3",
            "12345678901234567890",
            "9007199254740993",
            "1.",
            "-",
            "-a",
        ] {
            assert!(plain_number(t.as_bytes(), 0).is_none(), "{t}");
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_number_agrees_with_the_general_path(
            m in 0u64..(1 << 54),
            frac in 0usize..22,
            pad in 0usize..4,
            neg in proptest::prelude::any::<bool>(),
        ) {
            let digits = m.to_string();
            let (int, fr) = digits.split_at(digits.len().saturating_sub(frac));
            let mut t = String::from(if neg { "-" } else { "" });
            t.push_str(if int.is_empty() { "0" } else { int });
            if !fr.is_empty() || pad > 0 {
                t.push('.');
                t.push_str(&"0".repeat(frac.saturating_sub(digits.len())));
                t.push_str(fr);
                t.push_str(&"0".repeat(pad));
            }
            t.push(',');
            if let Some((x, e, c)) = plain_number(t.as_bytes(), 0) {
                proptest::prop_assert_eq!((x.to_bits(), e, c), general_number(&t), "{}", t);
            }
        }

        #[test]
        fn series_canonical_text_matches_the_tree(
            xs in proptest::collection::vec(
                (proptest::prelude::any::<u64>(), 0u8..6, -30i32..30, 0u8..4),
                1..20,
            ),
            spaced in proptest::prelude::any::<bool>(),
        ) {
            let mut texts = Vec::new();
            for (bits, style, e, pad) in xs {
                let m = (bits % 2_000_000_001) as i64 - 1_000_000_000;
                let t = match style {
                    0 => format!("{}", f64::from_bits(bits).clamp(-1e300, 1e300)),
                    1 => format!("{m}e{e}"),
                    2 => format!("{}.{}{}", m / 1000, (m % 1000).abs(), "0".repeat(pad as usize)),
                    3 => format!("0.{}{}", "0".repeat(pad as usize * 3), m.unsigned_abs()),
                    4 => format!("-0.{}", "0".repeat(pad as usize)),
                    _ => format!("{m}"),
                };
                let t = if t.contains("NaN") || t.contains("inf") || t.ends_with('.') { "0".to_string() } else { t };
                texts.push(t);
            }
            let sep = if spaced { " ,\n\t" } else { "," };
            let doc = format!(r#"{{"submissions":[{{"returns":[{}]}}]}}"#, texts.join(sep));
            let (v, series) = parse_bundle(doc.as_bytes(), &Limits::default()).unwrap();
            // Values are bit for bit those of the standard library's correctly rounded parser.
            for (x, t) in series[0].values.iter().zip(&texts) {
                proptest::prop_assert_eq!(x.0.to_bits(), t.parse::<f64>().unwrap().to_bits(), "{}", t);
            }
            let full: Value = serde_json::from_str(&doc).unwrap();
            proptest::prop_assert_eq!(
                super::super::canonical::canonical_with_series(&v, &SPEC, &series),
                super::super::canonical::to_canonical_string(&full)
            );
        }
    }
}
