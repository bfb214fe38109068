//! One layer of decoding, so that a secret hidden by an encoding is matched: percent-encoding
//! (`%41KIA…`, `X%2DAmz%2DSignature`), `+` as a space (form encoding), and the JSON string
//! escapes that show up in text which carries JSON (`\u0041`, surrogate pairs, `\/`, `\\`,
//! `\"`). Invalid sequences stay as they are; bytes that do not form UTF-8 after decoding become
//! U+FFFD. Linear in the text's length.

/// The text with one layer of encodings decoded, or `None` when it has none.
pub(super) fn decode_once(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if !b.iter().any(|&c| matches!(c, b'%' | b'+' | b'\\')) {
        return None;
    }
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut changed = false;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let step = match c {
            b'%' => hex2(b, i + 1).map(|byte| {
                out.push(byte);
                3
            }),
            b'+' => {
                out.push(b' ');
                Some(1)
            }
            b'\\' => match b.get(i + 1) {
                Some(b'u') => unicode_escape(b, i).map(|(ch, len)| {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    len
                }),
                Some(&q @ (b'/' | b'\\' | b'"')) => {
                    out.push(q);
                    Some(2)
                }
                _ => None,
            },
            _ => None,
        };
        match step {
            Some(n) => {
                changed = true;
                i += n;
            }
            None => {
                out.push(c);
                i += 1;
            }
        }
    }
    changed.then(|| String::from_utf8_lossy(&out).into_owned())
}

/// `name` with its `%XX` sequences decoded (not `+`): for comparing URL parameter names.
pub(super) fn percent_decode_lossy(name: &str) -> String {
    if !name.contains('%') {
        return name.to_string();
    }
    let b = name.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match (c, hex2(b, i + 1)) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// The byte written as two hex digits at `b[at..at + 2]`.
fn hex2(b: &[u8], at: usize) -> Option<u8> {
    Some(hex(*b.get(at)?)? * 16 + hex(*b.get(at + 1)?)?)
}

/// The code unit written as four hex digits at `b[at..at + 4]`.
fn hex4(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(hex2(b, at)?) * 256 + u32::from(hex2(b, at + 2)?))
}

/// `\uXXXX` (or a `\uD8xx\uDCxx` surrogate pair) at `b[at..]`: the character and the bytes it
/// spans. A lone surrogate is U+FFFD.
fn unicode_escape(b: &[u8], at: usize) -> Option<(char, usize)> {
    let hi = hex4(b, at + 2)?;
    if (0xD800..0xDC00).contains(&hi) {
        let pair = (b.get(at + 6) == Some(&b'\\') && b.get(at + 7) == Some(&b'u'))
            .then(|| hex4(b, at + 8))
            .flatten()
            .filter(|lo| (0xDC00..0xE000).contains(lo));
        return Some(match pair {
            Some(lo) => (
                char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                    .unwrap_or(char::REPLACEMENT_CHARACTER),
                12,
            ),
            None => (char::REPLACEMENT_CHARACTER, 6),
        });
    }
    Some((char::from_u32(hi).unwrap_or(char::REPLACEMENT_CHARACTER), 6))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn each_encoding_is_decoded_once() {
        assert_eq!(decode_once("plain"), None);
        assert_eq!(decode_once("key%3DAKIA").unwrap(), "key=AKIA");
        assert_eq!(decode_once("a+b").unwrap(), "a b");
        assert_eq!(decode_once("%2541").unwrap(), "%41");
        assert_eq!(decode_once(r"\u0041KIA\/x").unwrap(), "AKIA/x");
        assert_eq!(decode_once(r"\ud83d\ude00").unwrap(), "😀");
        assert_eq!(decode_once(r"\ud83d!").unwrap(), "\u{FFFD}!");
        assert_eq!(decode_once("%zz %4").unwrap_or_default(), "");
        assert_eq!(decode_once("100%").unwrap_or_default(), "");
        assert_eq!(decode_once("%ff").unwrap(), "\u{FFFD}");
        assert_eq!(
            percent_decode_lossy("X%2DAmz%2DSignature"),
            "X-Amz-Signature"
        );
    }
}
