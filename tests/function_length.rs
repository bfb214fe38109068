//! Functions stay short enough to read end to end: every `fn` in the non-test code of `src/`
//! (free functions, methods, nested functions) is at most [`MAX_LINES`] lines long, counted
//! from its `fn` line to its closing brace, unless [`ALLOWED`] names it with a reason.
//!
//! The scanner reads rustfmt-formatted code (`cargo fmt --check` is a check of its own): a
//! function's body opens on the `fn` line or on a later line at the `fn` line's indentation
//! (`) -> T {` after a long signature, `{` after a `where` clause), and closes on the first
//! following line that is `}` at that indentation. `#[cfg(test)]` items are skipped, and so
//! is a file declared as `#[cfg(test)] mod name;`.
//!
//! An allowlist entry that no longer matches an over-long function fails the test too, so
//! the list stays true: when a function is split, its entry goes.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;

/// The longest function, in lines from `fn` to its closing brace, that needs no entry.
const MAX_LINES: usize = 80;

/// (path under `src/`, function name, why it stays longer than [`MAX_LINES`]). An entry
/// covers every function of that name in that file.
const ALLOWED: &[(&str, &str, &str)] = &[
    // The strict JSON reader's hot path: split into #[inline(always)] helpers (begin_value,
    // series_element, canonical_end), `cargo bench --bench bundle` on the 10 MB bundle was slower
    // in 5 of 6 interleaved pairs (validate median +12 %, parse +8 %), so the bodies stay whole.
    (
        "json/reader.rs",
        "run",
        "hot: the reader's value loop; split measured +12 % validate on 10 MB (bench bundle)",
    ),
    (
        "json/reader.rs",
        "series_array",
        "hot: per-sample loop of series; split measured +12 % validate on 10 MB (bench bundle)",
    ),
    (
        "json/reader.rs",
        "plain_number",
        "hot: per-sample fast path; split measured +12 % validate on 10 MB (bench bundle)",
    ),
    // SHA-256's compression function is the algorithm's 64 rounds (FIPS 180-4 §6.2.2), unrolled
    // by local macros over the eight state words held in locals: a split would pass the state
    // through memory and name pieces that are not steps of their own.
    (
        "digest/sha256.rs",
        "compress",
        "the algorithm's rounds: 64 rounds unrolled over the state in locals (FIPS 180-4 §6.2.2)",
    ),
];

/// One function found by the scanner.
#[derive(Debug, PartialEq)]
struct Function {
    name: String,
    /// 1-based line of the `fn` keyword.
    line: usize,
    /// Lines from the `fn` line to the closing brace, both included.
    len: usize,
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The name of the function declared on `line`, if it declares one (`pub(crate) const fn x<T>(`).
fn fn_name(line: &str) -> Option<String> {
    let mut rest = line.trim_start();
    if rest.starts_with("//") {
        return None;
    }
    loop {
        let next = ["pub ", "const ", "async ", "unsafe ", "default "]
            .iter()
            .find_map(|kw| rest.strip_prefix(kw))
            .or_else(|| {
                let vis = rest.strip_prefix("pub(")?;
                Some(vis.split_once(") ")?.1)
            })
            .or_else(|| {
                let abi = rest.strip_prefix("extern \"")?;
                Some(abi.split_once("\" ")?.1)
            });
        match next {
            Some(n) => rest = n,
            None => break,
        }
    }
    let name: String = rest
        .strip_prefix("fn ")?
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The index of the line that closes the item opening at `start` (a line ending in `{` at
/// `start`'s indentation or the line itself), or `None` if it never opens a block.
fn block_end(lines: &[&str], start: usize) -> Option<usize> {
    let ind = indent(lines[start]);
    let mut open = None;
    for (i, line) in lines.iter().enumerate().skip(start) {
        let t = line.trim_end();
        let here = i == start || (indent(line) == ind && !t.trim().is_empty());
        if !here {
            continue;
        }
        if t.ends_with('{') {
            open = Some(i);
            break;
        }
        if t.ends_with(';') || t.ends_with('}') {
            // A declaration without body or a one-line item: ends here.
            return Some(i).filter(|_| t.ends_with('}'));
        }
    }
    let open = open?;
    // `}` closes a block, `};` a multi-line `use` or `static`.
    lines
        .iter()
        .enumerate()
        .skip(open + 1)
        .find(|(_, l)| indent(l) == ind && matches!(l.trim(), "}" | "};"))
        .map(|(i, _)| i)
}

fn is_cfg_test(line: &str) -> bool {
    let t = line.trim();
    t == "#[cfg(test)]" || t.starts_with("#[cfg(all(test,")
}

/// Every function in the non-test code of `text`, with the modules declared
/// `#[cfg(test)] mod name;` (their files are test code).
fn scan(text: &str) -> (Vec<Function>, Vec<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut functions = Vec::new();
    let mut test_mods = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if is_cfg_test(lines[i]) {
            // Skip the attribute(s) and the item they guard.
            let mut item = i + 1;
            while item < lines.len() && lines[item].trim_start().starts_with("#[") {
                item += 1;
            }
            let Some(&line) = lines.get(item) else { break };
            if let Some(name) = line
                .trim()
                .strip_prefix("mod ")
                .and_then(|m| m.strip_suffix(';'))
            {
                test_mods.push(name.to_string());
            }
            i = block_end(&lines, item).unwrap_or(item) + 1;
            continue;
        }
        if let Some(name) = fn_name(lines[i])
            && let Some(end) = block_end(&lines, i)
        {
            functions.push(Function {
                name,
                line: i + 1,
                len: end - i + 1,
            });
        }
        i += 1;
    }
    (functions, test_mods)
}

#[test]
fn every_function_reads_end_to_end() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    common::rust_files(&src, &mut files);
    files.sort();
    let mut test_files = BTreeSet::new();
    let mut long = Vec::new();
    for file in &files {
        let (functions, test_mods) = scan(&std::fs::read_to_string(file).unwrap());
        // `a/mod.rs` declares `a/name.rs`; `a/b.rs` declares `a/b/name.rs`.
        let dir = match file.file_name().and_then(|n| n.to_str()) {
            Some("mod.rs" | "lib.rs" | "main.rs") => file.parent().unwrap().to_path_buf(),
            _ => file.with_extension(""),
        };
        for name in test_mods {
            test_files.insert(dir.join(format!("{name}.rs")));
            test_files.insert(dir.join(name).join("mod.rs"));
        }
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_str()
            .unwrap()
            .replace('\\', "/");
        for f in functions.into_iter().filter(|f| f.len > MAX_LINES) {
            long.push((file.clone(), rel.clone(), f));
        }
    }
    long.retain(|(file, ..)| !test_files.contains(file));

    let mut failures = Vec::new();
    for (_, rel, f) in &long {
        if !ALLOWED.iter().any(|(p, n, _)| p == rel && *n == f.name) {
            failures.push(format!(
                "src/{rel}:{} fn {} is {} lines (limit {MAX_LINES}): split it into functions named for what they do, or add it to ALLOWED with the reason",
                f.line, f.name, f.len
            ));
        }
    }
    for (path, name, reason) in ALLOWED {
        assert!(
            reason.trim().len() >= 10,
            "ALLOWED entry src/{path} {name} needs a real reason"
        );
        if !long
            .iter()
            .any(|(_, rel, f)| rel == path && f.name == *name)
        {
            failures.push(format!(
                "ALLOWED entry src/{path} fn {name} matches no function over {MAX_LINES} lines: remove it"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_scanner_measures_signatures_where_clauses_and_skips_tests() {
    let text = "\
pub(crate) fn one() -> u8 {
    1
}

impl X {
    pub const fn two(
        a: u8,
    ) -> u8
    where
        u8: Copy,
    {
        fn nested() {}
        a
    }

    fn declared(&self);
}

#[cfg(test)]
mod tests {
    fn hidden() {
        let x = 1;
    }
}

#[cfg(test)]
mod more;

// fn commented() {
fn last() {
    let s = \"fn inside_a_string() {\";
}
";
    let (functions, test_mods) = scan(text);
    let got: Vec<(&str, usize, usize)> = functions
        .iter()
        .map(|f| (f.name.as_str(), f.line, f.len))
        .collect();
    assert_eq!(
        got,
        vec![
            ("one", 1, 3),
            ("two", 6, 9),
            ("nested", 12, 1),
            ("last", 30, 3)
        ]
    );
    assert_eq!(test_mods, vec!["more".to_string()]);
}
