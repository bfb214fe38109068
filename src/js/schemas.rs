//! The published JSON Schemas as the wasm carries them: the texts of
//! [`DOCUMENTS`](crate::schema::DOCUMENTS) without insignificant whitespace, computed at compile
//! time. `schemaFor` answers the same documents (equal once parsed, same key order) for about
//! 40% fewer bytes in the shipped wasm, and the pretty texts are never linked into it.

use crate::schema::DOCUMENTS;

/// Room for this many documents; compilation fails when `DOCUMENTS` outgrows it.
const MAX: usize = 24;
const _: () = assert!(
    DOCUMENTS.len() <= MAX,
    "more published documents than src/js/schemas.rs has room for: raise MAX"
);

/// The number of published documents.
pub(crate) const COUNT: usize = DOCUMENTS.len();

/// Bytes of `s` kept by [`compact`]: everything but JSON whitespace outside strings.
const fn compact_len(s: &[u8]) -> usize {
    let (mut rest, mut n, mut in_string, mut escaped) = (s, 0, false, false);
    while let Some((&c, tail)) = rest.split_first() {
        rest = tail;
        if keep(c, &mut in_string, &mut escaped) {
            n += 1;
        }
    }
    n
}

/// `s` without JSON whitespace outside strings (`N` from [`compact_len`]).
// Runs only at compile time: an index out of bounds is a compile error, never a panic.
#[allow(clippy::indexing_slicing)]
const fn compact<const N: usize>(s: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let (mut rest, mut n, mut in_string, mut escaped) = (s, 0, false, false);
    while let Some((&c, tail)) = rest.split_first() {
        rest = tail;
        if keep(c, &mut in_string, &mut escaped) {
            out[n] = c;
            n += 1;
        }
    }
    out
}

/// Whether byte `c` is kept, tracking whether it is inside a string.
const fn keep(c: u8, in_string: &mut bool, escaped: &mut bool) -> bool {
    if *in_string {
        if *escaped {
            *escaped = false;
        } else if c == b'\\' {
            *escaped = true;
        } else if c == b'"' {
            *in_string = false;
        }
        return true;
    }
    if c == b'"' {
        *in_string = true;
    }
    !matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

/// Entry `i` of `DOCUMENTS`, or empty strings past its end.
const fn entry(i: usize) -> (&'static str, &'static str) {
    let mut rest = DOCUMENTS;
    let mut k = 0;
    while let Some((first, tail)) = rest.split_first() {
        if k == i {
            return *first;
        }
        rest = tail;
        k += 1;
    }
    ("", "")
}

macro_rules! compacted {
    ($($i:literal)*) => {
        [$({
            const TEXT: &str = entry($i).1;
            const N: usize = compact_len(TEXT.as_bytes());
            const BYTES: [u8; N] = compact::<N>(TEXT.as_bytes());
            const SMALL: &str = match core::str::from_utf8(&BYTES) {
                Ok(s) => s,
                Err(_) => panic!("a schema is not utf-8"),
            };
            (entry($i).0, SMALL)
        }),*]
    };
}

/// `(name, compact JSON Schema text)` in the order of `DOCUMENTS`; entries from [`COUNT`] on
/// are empty.
pub(crate) const SCHEMAS: [(&str, &str); MAX] =
    compacted!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23);

/// The compact schema of the document `name`.
pub(crate) fn schema(name: &str) -> Option<&'static str> {
    SCHEMAS
        .iter()
        .take(COUNT)
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)
}

/// The names of the published documents, in the order of `DOCUMENTS`.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    SCHEMAS.iter().take(COUNT).map(|(n, _)| *n)
}
