//! The numeric series a document carries that the reader ([`super::reader`]) takes straight
//! into floats beside the JSON tree, and what canonical JSON and digests write back in their
//! place.

use super::num::Num;

/// Which arrays [`parse_with_series`](super::parse_with_series) reads straight into floats: the members named in `fields`
/// of each object in the top-level array `array` (`/<array>/<i>/<field>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesSpec {
    /// The top-level member holding the array of items.
    pub array: &'static str,
    /// The member names of an item that are numeric series.
    pub fields: &'static [&'static str],
}

/// One numeric series read straight into floats, outside the JSON tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Index of the item in the spec's array.
    pub item: usize,
    /// Index of the field in the spec's `fields`.
    pub field: usize,
    /// The values; `"nan"`, `"+inf"`, `"-inf"` strings become the non-finite values.
    pub values: Vec<Num>,
    /// The RFC 8785 text of the elements, comma-separated, without brackets (built while
    /// reading, from the input text where it already is canonical).
    pub canonical: String,
}
