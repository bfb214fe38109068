//! The published JSON Schemas packed for the wasm: every `$defs` entry once across all
//! documents (the v1.5 and QMTL types alone recur in six of them), without layout whitespace.
//! [`unpack`] gives back a document's text: the checked-in document's JSON, compact, with the
//! same keys in the same order (`tests/schema_drift.rs` compares them).
//!
//! The packed text is made by [`crate::api::generate::pack_schemas`] and checked in under
//! `src/schema/packed/` (`full.txt` for the whole engine, `core.txt` for `worldgate/core`). One
//! line per document, then one per definition, fields separated by tabs (compact JSON has no raw
//! tab or newline):
//!
//! ```text
//! S <tab> name <tab> the document without `$defs` and its closing `}` <tab> def,def,…
//! D <tab> def name <tab> the definition
//! ```

/// The names of the documents in `packed`, in order.
pub fn names(packed: &str) -> impl Iterator<Item = &str> {
    packed
        .lines()
        .filter_map(|l| l.strip_prefix("S\t")?.split('\t').next())
}

/// The text of document `name` from `packed`, or `None` when it has no such document (or a
/// definition it names is missing).
pub fn unpack(packed: &str, name: &str) -> Option<String> {
    let line = packed.lines().find_map(|l| {
        let rest = l.strip_prefix("S\t")?.strip_prefix(name)?;
        rest.strip_prefix('\t')
    })?;
    let mut fields = line.split('\t');
    let (head, defs) = (fields.next()?, fields.next().unwrap_or(""));
    let mut out = String::with_capacity(head.len() + 64);
    out.push_str(head);
    if !defs.is_empty() {
        out.push_str(",\"$defs\":{");
        for (i, def) in defs.split(',').enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('"');
            out.push_str(def);
            out.push_str("\":");
            out.push_str(definition(packed, def)?);
        }
        out.push('}');
    }
    out.push('}');
    Some(out)
}

fn definition<'a>(packed: &'a str, def: &str) -> Option<&'a str> {
    packed
        .lines()
        .find_map(|l| l.strip_prefix("D\t")?.strip_prefix(def)?.strip_prefix('\t'))
}
