//! The published JSON Schemas as the wasm carries them: packed ([`crate::schema::packed`]), each
//! `$defs` entry once across all documents and without layout whitespace. `schemaFor` answers
//! the same documents (equal once parsed, same key order) as the checked-in files; the pretty
//! texts of [`DOCUMENTS`](crate::schema::DOCUMENTS) are never linked into the wasm.

use crate::schema::packed;

#[cfg(feature = "engine")]
const PACKED: &str = include_str!("../schema/packed/full.txt");
#[cfg(not(feature = "engine"))]
const PACKED: &str = include_str!("../schema/packed/core.txt");

/// The compact schema of the document `name`.
pub(crate) fn schema(name: &str) -> Option<String> {
    packed::unpack(PACKED, name)
}

/// The names of the published documents, in the order of `DOCUMENTS`.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    packed::names(PACKED)
}
