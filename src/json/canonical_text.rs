//! RFC 8785 canonical JSON from the compact JSON text `serde_json` writes, without a JSON tree.
//!
//! A document the gate returns anyway as text (the decision) is canonicalized from that text:
//! object members are reordered by the UTF-16 code units of their keys, numbers rewritten in
//! ECMAScript form, and everything else copied through. This relies on what `serde_json`'s
//! compact writer produces: no whitespace; strings escaped exactly as JCS escapes them (only
//! `"`, `\` and U+0000–U+001F, in the same spelling: `canonical`'s tests check it); floats as
//! `zmij` writes them (the digits [`super::canonical::write_number`] starts from);
//! integers in decimal. The result is byte-identical to
//! [`canonical_json`](super::canonical::canonical_json) of the same value (tests compare the
//! two). Anything else (whitespace, a depth over 128), and keys with an escape (which would
//! need unescaping to be ordered), give `None`, and callers fall back to the tree.

use super::canonical::{Digits, decimal, utf16_cmp, write_es, write_number};

/// Deeper documents are left to the tree path.
const MAX_DEPTH: usize = 128;

/// The canonical form of `text`, a compact JSON document written by `serde_json`, or `None`
/// when `text` is not of that form.
pub(crate) fn canonicalize(text: &str) -> Option<Vec<u8>> {
    let mut c = Canon {
        src: text,
        pos: 0,
        out: Vec::with_capacity(text.len()),
        scratch: Vec::new(),
        members: Vec::new(),
        number: String::new(),
    };
    c.value(0)?;
    (c.pos == text.len()).then_some(c.out)
}

/// One object member being reordered: its key (without quotes), whether its bytes order it
/// (no escape, no byte ≥ 0xEE: see `utf16_cmp`), and where its `"key":value` text sits in
/// `out`.
struct Member {
    key: (usize, usize),
    plain: bool,
    at: (usize, usize),
}

struct Canon<'a> {
    src: &'a str,
    pos: usize,
    out: Vec<u8>,
    /// Copy of an object's members while they are written back in order.
    scratch: Vec<u8>,
    /// Members of the objects being read, innermost last.
    members: Vec<Member>,
    /// A number being rewritten.
    number: String,
}

impl Canon<'_> {
    #[inline(always)] // tiny and hot; the size-optimized wasm build would not inline it
    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => {
                let (a, b, _) = self.string()?;
                self.copy(a - 1, b + 1)
            }
            b't' => self.literal("true"),
            b'f' => self.literal("false"),
            b'n' => self.literal("null"),
            _ => self.number(),
        }
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        self.src.get(self.pos..)?.starts_with(word).then_some(())?;
        self.pos += word.len();
        self.out.extend_from_slice(word.as_bytes());
        Some(())
    }

    /// Appends `src[a..b]` to `out`.
    #[inline(always)] // tiny and hot; the size-optimized wasm build would not inline it
    fn copy(&mut self, a: usize, b: usize) -> Option<()> {
        self.out.extend_from_slice(self.src.as_bytes().get(a..b)?);
        Some(())
    }

    /// Skips a string literal; returns the byte range of its contents (without quotes) and
    /// whether they are plain (no escape, no byte ≥ 0xEE).
    fn string(&mut self) -> Option<(usize, usize, bool)> {
        let bytes = self.src.as_bytes();
        let start = self.pos + 1;
        let mut i = start;
        let mut plain = true;
        // A plain loop: an iterator adapter would stay a call per byte in the size-optimized
        // wasm build.
        loop {
            match *bytes.get(i)? {
                b'"' => break,
                b'\\' => {
                    plain = false;
                    i += 2;
                }
                0xEE.. => {
                    plain = false;
                    i += 1;
                }
                _ => i += 1,
            }
        }
        self.pos = i + 1;
        Some((start, i, plain))
    }

    #[inline(always)] // tiny and hot; the size-optimized wasm build would not inline it
    fn expect(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then_some(())?;
        self.pos += 1;
        Some(())
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.expect(b'[')?;
        self.out.push(b'[');
        if self.peek()? == b']' {
            self.pos += 1;
            self.out.push(b']');
            return Some(());
        }
        loop {
            self.value(depth)?;
            match self.peek()? {
                b',' => {
                    self.pos += 1;
                    self.out.push(b',');
                }
                b']' => {
                    self.pos += 1;
                    self.out.push(b']');
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn object(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.expect(b'{')?;
        self.out.push(b'{');
        if self.peek()? == b'}' {
            self.pos += 1;
            self.out.push(b'}');
            return Some(());
        }
        let first = self.members.len();
        let body = self.out.len();
        loop {
            if self.members.len() > first {
                self.out.push(b',');
            }
            let start = self.out.len();
            let (a, b, plain) = self.string()?;
            self.expect(b':')?;
            self.copy(a - 1, b + 2)?; // `"key":`
            self.value(depth)?;
            self.members.push(Member {
                key: (a, b),
                plain,
                at: (start, self.out.len()),
            });
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    break;
                }
                _ => return None,
            }
        }
        let src = self.src;
        let members = self.members.get_mut(first..)?;
        // Keys with an escape are left to the tree path; the others order as their text.
        let key = |m: &Member| src.as_bytes().get(m.key.0..m.key.1).unwrap_or_default();
        let less = |a: &Member, b: &Member| {
            if a.plain && b.plain {
                key(a) < key(b)
            } else {
                let text = |m: &Member| src.get(m.key.0..m.key.1).unwrap_or_default();
                utf16_cmp(text(a), text(b)).is_lt()
            }
        };
        if members.iter().any(|m| !m.plain && key(m).contains(&b'\\')) {
            return None;
        }
        let sorted = members
            .windows(2)
            .all(|w| matches!(w, [a, b] if less(a, b)));
        if !sorted {
            crate::json::order::sort_distinct(members, less);
            self.scratch.clear();
            self.scratch.extend_from_slice(self.out.get(body..)?);
            self.out.truncate(body);
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    self.out.push(b',');
                }
                self.out
                    .extend_from_slice(self.scratch.get(m.at.0 - body..m.at.1 - body)?);
            }
        }
        self.members.truncate(first);
        self.out.push(b'}');
        Some(())
    }

    /// A number token, rewritten as ECMAScript's `Number.prototype.toString` would print it.
    fn number(&mut self) -> Option<()> {
        let bytes = self.src.as_bytes();
        let start = self.pos;
        let mut end = start;
        let mut plain_int = true;
        while let Some(&b) = bytes.get(end) {
            match b {
                b'0'..=b'9' | b'-' => {}
                b'.' | b'e' | b'E' | b'+' => plain_int = false,
                _ => break,
            }
            end += 1;
        }
        let token = self.src.get(start..end)?;
        if token.is_empty() {
            return None;
        }
        self.pos = end;
        let digits = token.strip_prefix('-').unwrap_or(token);
        if plain_int && digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit()) {
            // Exact as a double, printed the same way (a `-0` stays out: integers have no sign
            // of zero in serde_json's output, and `0` is written as `0` either way).
            if digits.bytes().all(|b| b == b'0') {
                self.out.push(b'0');
            } else {
                self.out.extend_from_slice(token.as_bytes());
            }
            return Some(());
        }
        let x: f64 = if plain_int {
            // Beyond 2^53 an integer is first rounded to a double, as in ECMAScript.
            match token.parse::<i64>() {
                Ok(i) => i as f64,
                Err(_) => token.parse::<u64>().ok()? as f64,
            }
        } else {
            if !token.contains(['e', 'E']) {
                // zmij's plain `int.frac` form: ECMAScript's digits, minus a `.0` tail.
                if digits.bytes().all(|b| b == b'0' || b == b'.') {
                    self.out.push(b'0');
                } else {
                    let t = token.strip_suffix(".0").unwrap_or(token);
                    self.out.extend_from_slice(t.as_bytes());
                }
                return Some(());
            }
            // zmij's exponent form: the layout of `write_number` from the same digits.
            let mut d = Digits::default();
            let n = decimal(digits, &mut d);
            self.number.clear();
            if d.as_str().is_empty() {
                self.number.push('0');
            } else {
                if token.starts_with('-') {
                    self.number.push('-');
                }
                write_es(d.as_str(), n, &mut self.number);
            }
            self.out.extend_from_slice(self.number.as_bytes());
            return Some(());
        };
        self.number.clear();
        write_number(x, &mut self.number);
        self.out.extend_from_slice(self.number.as_bytes());
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::canonical::to_canonical_string;
    use serde_json::{Value, json};

    fn both(v: &Value) -> (String, Option<String>) {
        let text = serde_json::to_string(v).unwrap();
        let ours = canonicalize(&text).map(|c| String::from_utf8(c).unwrap());
        (to_canonical_string(v), ours)
    }

    #[test]
    fn nested_objects_are_sorted_at_every_level() {
        let v = json!({"b": {"z": 1, "a": [{"y": true, "x": null}]}, "a": "\"q\"\n", "": []});
        let (tree, text) = both(&v);
        assert_eq!(text.as_deref(), Some(tree.as_str()));
        assert_eq!(
            tree,
            r#"{"":[],"a":"\"q\"\n","b":{"a":[{"x":null,"y":true}],"z":1}}"#
        );
    }

    #[test]
    fn numbers_are_written_as_ecmascript_does() {
        let v = json!([
            0.0,
            -0.0,
            1.0,
            -1.5,
            100.0,
            1e-7,
            1.5e-7,
            1e20,
            1e21,
            123e-20,
            9007199254740993u64,
            18446744073709551615u64,
            -9223372036854775808i64,
            0,
            -7,
            1e300
        ]);
        let (tree, text) = both(&v);
        assert_eq!(text.as_deref(), Some(tree.as_str()));
    }

    #[test]
    fn keys_beyond_u_ffff_sort_by_utf16() {
        // U+1F600 is the surrogate pair D83D DE00 in UTF-16: before U+FF61, after U+E9.
        let v = json!({"\u{FF61}": 5, "\u{1F600}": 4, "#": 1, "\u{E9}": 2, "a\u{E000}": 3});
        let (tree, text) = both(&v);
        assert_eq!(text.as_deref(), Some(tree.as_str()));
    }

    #[test]
    fn escaped_keys_are_left_to_the_tree() {
        for key in ["\"", "\\", "\u{1}", "a\nb"] {
            let text = serde_json::to_string(&json!({ key: 1, "b": 2 })).unwrap();
            assert_eq!(canonicalize(&text), None, "{key:?}");
        }
        // Escaped values are fine.
        let (tree, text) = both(&json!({"b": "\"\\\u{1}", "a": ["\n"]}));
        assert_eq!(text.as_deref(), Some(tree.as_str()));
    }

    #[test]
    fn text_not_written_by_serde_json_is_refused() {
        assert_eq!(canonicalize("{\"a\": 1}"), None);
        assert_eq!(canonicalize("[1,]"), None);
        assert_eq!(canonicalize("{\"a\":1"), None);
        assert_eq!(canonicalize("[1] "), None);
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(canonicalize(&deep), None);
    }

    fn arb_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
            "(\\PC|[\u{0}-\u{1f}\"\\\\\u{7f}])*".prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 64, 8, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                proptest::collection::vec((r#"[^"\\\p{Cc}]*"#, inner), 0..8)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn large_objects_are_sorted(keys in proptest::collection::vec(r#"[^"\\\p{Cc}]{0,6}"#, 0..80)) {
            let v = Value::Object(keys.into_iter().zip(0u32..).map(|(k, i)| (k, Value::from(i))).collect());
            let (tree, text) = both(&v);
            proptest::prop_assert_eq!(text, Some(tree));
        }

        #[test]
        fn agrees_with_the_tree_path(v in arb_value()) {
            let (tree, text) = both(&v);
            proptest::prop_assert_eq!(text, Some(tree));
        }
    }
}
