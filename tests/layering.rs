//! The crate's layers only point down: each top-level module of `src/` may `use` only the
//! modules listed for it in [`ALLOWED`] (the map of DESIGN.md § Architecture). A `use crate::…`
//! or a `crate::…::` path in non-test code that names a module above fails this test.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;

/// Top-level module → the modules it may name. `crate::Error`, `crate::Code` and
/// `crate::VERSION` count as `error`.
const ALLOWED: &[(&str, &[&str])] = &[
    ("error", &[]),
    ("suggest", &[]),
    ("json", &["error"]),
    // RFC 3339 timestamps quote numbers through `json::float` (Rust's float text, no core
    // float formatting in the wasm).
    ("time", &["error", "json"]),
    ("digest", &["error", "json"]),
    ("schema", &["error", "suggest", "json", "time"]),
    ("metrics", &["error", "json", "time", "schema"]),
    (
        "policy",
        &[
            "error", "suggest", "json", "digest", "time", "schema", "metrics",
        ],
    ),
    ("run", &["error", "json", "digest", "schema"]),
    (
        "bundle",
        &[
            "error", "suggest", "json", "digest", "time", "schema", "metrics", "policy", "run",
        ],
    ),
    (
        "world",
        &[
            "error", "suggest", "json", "digest", "time", "schema", "metrics", "policy", "run",
            "bundle",
        ],
    ),
    (
        "api",
        &[
            "error", "suggest", "json", "digest", "time", "schema", "metrics", "policy", "run",
            "bundle", "world",
        ],
    ),
    (
        "js",
        &[
            "error", "suggest", "json", "digest", "time", "schema", "metrics", "policy", "run",
            "bundle", "world", "api",
        ],
    ),
];

/// The top-level module a file of `src/` belongs to (`None` for `lib.rs` and `bin/`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    match first.as_str() {
        "lib.rs" | "bin" => None,
        f => Some(f.trim_end_matches(".rs").to_string()),
    }
}

/// Every module named by a `crate::<name>` path in the non-test code of `text`.
fn named_modules(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut names = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a, b::c}`: each item's first segment.
                let inner = group.split('}').next().unwrap_or("");
                for item in inner.split(',') {
                    let head = item.trim().split("::").next().unwrap_or("").trim();
                    if !head.is_empty() {
                        names.insert(head.to_string());
                    }
                }
            } else {
                let head: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                names.insert(head);
            }
        }
    }
    names
        .into_iter()
        .map(|n| match n.as_str() {
            "Error" | "Code" | "VERSION" => "error".to_string(),
            _ => n,
        })
        .collect()
}

#[test]
fn every_import_points_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    common::rust_files(&src, &mut files);
    files.sort();
    let mut violations = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let allowed = ALLOWED
            .iter()
            .find(|(m, _)| *m == module)
            .unwrap_or_else(|| panic!("{module} (from {}) is not in ALLOWED", file.display()))
            .1;
        let text = std::fs::read_to_string(file).unwrap();
        for named in named_modules(&text) {
            if named != module && !allowed.contains(&named.as_str()) {
                violations.push(format!(
                    "{} names crate::{named}, above {module}",
                    file.strip_prefix(&src).unwrap().display()
                ));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "upward imports:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_scanner_sees_grouped_and_inline_paths() {
    let names = named_modules(
        "use crate::{json::Num, error::Code};\nlet x = crate::policy::parse(1);\n// crate::world\n#[cfg(test)]\nuse crate::api;",
    );
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        vec!["error", "json", "policy"]
    );
}
