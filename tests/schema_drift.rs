//! The checked-in JSON Schemas and TypeScript declarations (`pkg-config/`) must equal what the
//! Rust types generate. Run with `WORLDGATE_BLESS=1` to rewrite them after changing a type.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn check(path: PathBuf, generated: &str, stale: &mut Vec<String>) {
    if std::env::var_os("WORLDGATE_BLESS").is_some() {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    if on_disk != generated {
        stale.push(path.display().to_string());
    }
}

#[test]
fn checked_in_schemas_and_types_match_the_rust_types() {
    let mut stale = Vec::new();
    for (name, embedded) in worldgate::schema::DOCUMENTS {
        let generated = worldgate::api::generate::generate_json_schema(name).unwrap();
        let path = root().join(format!("pkg-config/schema/{name}.json"));
        check(path, &generated, &mut stale);
        if std::env::var_os("WORLDGATE_BLESS").is_none() {
            assert_eq!(*embedded, generated, "embedded schema `{name}` is stale");
        }
    }
    for (file, names) in [
        ("full", all_names()),
        ("core", worldgate::schema::CORE_DOCUMENTS.to_vec()),
    ] {
        let packed = worldgate::api::generate::pack_schemas(&names);
        check(
            root().join(format!("src/schema/packed/{file}.txt")),
            &packed,
            &mut stale,
        );
    }
    let ts = worldgate::api::generate::generate_typescript();
    check(root().join("pkg-config/types.d.ts"), &ts, &mut stale);
    assert!(
        stale.is_empty(),
        "stale generated files (rerun with WORLDGATE_BLESS=1): {stale:?}"
    );
}

#[test]
fn every_schema_is_valid_json_with_a_title() {
    for (name, text) in worldgate::schema::DOCUMENTS {
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        assert!(v.get("title").is_some(), "{name} has no title");
    }
}

fn all_names() -> Vec<&'static str> {
    worldgate::schema::DOCUMENTS
        .iter()
        .map(|(n, _)| *n)
        .collect()
}

/// The packed schemas the wasm embeds give back every document: the same JSON, the same key
/// order, and the same definitions wherever a type recurs.
#[test]
fn packed_schemas_unpack_to_the_documents() {
    use worldgate::schema::packed;
    let full = worldgate::api::generate::pack_schemas(&all_names());
    let core = worldgate::api::generate::pack_schemas(worldgate::schema::CORE_DOCUMENTS);
    assert_eq!(packed::names(&full).collect::<Vec<_>>(), all_names());
    assert_eq!(
        packed::names(&core).collect::<Vec<_>>(),
        worldgate::schema::CORE_DOCUMENTS
    );
    for (name, text) in worldgate::schema::DOCUMENTS {
        let want: serde_json::Value = serde_json::from_str(text).unwrap();
        let mut stores = vec![&full];
        if worldgate::schema::CORE_DOCUMENTS.contains(name) {
            stores.push(&core);
        }
        for store in stores {
            let got = packed::unpack(store, name).unwrap();
            assert_eq!(
                got,
                want.to_string(),
                "{name}: not the same text once compact"
            );
        }
        for (def, body) in want
            .get("$defs")
            .and_then(|d| d.as_object())
            .into_iter()
            .flatten()
        {
            let line = format!("D\t{def}\t{body}\n");
            assert!(
                full.contains(&line),
                "{name}: `{def}` differs between documents"
            );
        }
    }
    assert!(packed::unpack(&full, "no-such-document").is_none());
}
