//! `validate`, `digest`, `diff` and `schema`: documents checked, hashed and compared through
//! the engine.

use super::*;

/// Counts over a validate run.
#[derive(Default, Serialize)]
struct ValidateSummary {
    files: u64,
    valid: u64,
    invalid: u64,
}

pub(super) fn validate(format: Format, paths: &[PathBuf], limits: &Limits) -> u8 {
    let files = match expand(paths) {
        Ok(f) => f,
        Err(e) => return fail(format, "validate", &[e]),
    };
    let progress = Progress::new(files.len());
    let mut stream = super::output::Stream::begin(format);
    let mut sum = ValidateSummary::default();
    for (i, f) in files.iter().enumerate() {
        progress.tick(i, f);
        let report = match read_input(f) {
            Ok(bytes) => bundle::validate_bundle(&bytes, limits),
            Err(e) => worldgate::schema::Validation::failed(e),
        };
        progress.done();
        sum.files += 1;
        if report.ok {
            sum.valid += 1;
        } else {
            sum.invalid += 1;
        }
        let file = f.display().to_string();
        match format {
            Format::Human if report.ok => outln!("ok {file}"),
            Format::Human => print_errors(&file, &report.errors),
            Format::Json | Format::Ndjson => stream.item(&FileReport { file, report }),
            Format::Github | Format::Sarif => {
                for e in &report.errors {
                    stream.problem(&super::output::Problem::of_error(
                        &file,
                        "invalid bundle",
                        e,
                    ));
                }
            }
        }
    }
    let human = format!("{} valid, {} invalid", sum.valid, sum.invalid);
    if format == Format::Human && sum.files > 1 {
        outln!("{human}");
    }
    stream.end(&sum, &human);
    if sum.invalid > 0 { INVALID } else { OK }
}

pub(super) fn digest(format: Format, files: &[PathBuf], canonical: bool) -> u8 {
    let mut code = OK;
    let mut docs = Vec::new();
    for f in files {
        let file = f.display().to_string();
        let result = read_input(f).and_then(|b| json::parse(&b, &Limits::default()));
        match result {
            Ok(v) => {
                let text = if canonical {
                    json::canonical::to_canonical_string(&v)
                } else {
                    digest::digest_value(&v)
                };
                match format {
                    Format::Human if canonical => outln!("{text}"),
                    Format::Human => outln!("{text}  {file}"),
                    _ if canonical => {
                        docs.push(serde_json::json!({"file": file, "canonical": text}))
                    }
                    _ => docs.push(serde_json::json!({"file": file, "digest": text})),
                }
            }
            Err(e) => {
                code = INVALID;
                match format {
                    Format::Human => print_errors(&file, &[e]),
                    _ => docs
                        .push(serde_json::json!({"file": file, "type": "failure", "errors": [e]})),
                }
            }
        }
    }
    if format != Format::Human {
        print_success(format, &docs);
    }
    code
}

pub(super) fn diff(format: Format, a: &Path, b: &Path, opts: &bundle::diff::DiffOptions) -> u8 {
    let load = |p: &Path, prefix: &str| {
        read_input(p)
            .and_then(|bytes| json::parse(&bytes, &Limits::default()))
            .map_err(|e| e.within(prefix))
    };
    let result = load(a, "/baseline")
        .and_then(|x| load(b, "/current").map(|y| (x, y)))
        .and_then(|(x, y)| bundle::diff::diff_documents(&x, &y, opts));
    match result {
        Ok(d) => {
            match format {
                Format::Human => print_diff(&d),
                _ => print_success(format, &d),
            }
            OK
        }
        Err(e) => fail(format, "diff", &[e]),
    }
}

pub(super) fn print_diff(d: &bundle::diff::Diff) {
    outln!(
        "baseline {}/{}/{}  →  current {}/{}/{}",
        d.baseline.world_id,
        d.baseline.strategy_id,
        d.baseline.run_id,
        d.current.world_id,
        d.current.strategy_id,
        d.current.run_id
    );
    for n in &d.notes {
        outln!("note: {n}");
    }
    if d.verdict.changed {
        outln!(
            "verdict: {:?} → {:?}",
            d.verdict.baseline,
            d.verdict.current
        );
    }
    for m in &d.metrics {
        let rel = m
            .relative
            .map(|r| format!(" ({:+.2}%)", r.0 * 100.0))
            .unwrap_or_default();
        outln!(
            "{:<28} {:>14} → {:<14} Δ {:+}{rel}",
            m.metric,
            m.baseline.0,
            m.current.0,
            m.delta.0
        );
    }
    for v in &d.violations_added {
        outln!("+ violation {} ({}): {}", v.code, v.rule, v.message);
    }
    for v in &d.violations_removed {
        outln!("- violation {} ({}): {}", v.code, v.rule, v.message);
    }
    if d.rank.changed {
        outln!("rank: {:?} → {:?}", d.rank.baseline, d.rank.current);
    }
    if d.weight.changed {
        outln!(
            "weight: {:?} → {:?}",
            d.weight.baseline.map(|w| w.0),
            d.weight.current.map(|w| w.0)
        );
    }
}

/// `schema [name]`: the JSON Schema text (human), or in the envelope (machine formats); no
/// name lists the names; an unknown name is `E_INVALID_VALUE` with a did-you-mean.
pub(super) fn schema(format: Format, name: Option<&str>) -> u8 {
    let names: Vec<&str> = worldgate::schema::DOCUMENTS
        .iter()
        .map(|(n, _)| *n)
        .collect();
    match (name, name.and_then(worldgate::schema::json_schema)) {
        (_, Some(text)) => {
            if format == Format::Human {
                out!("{text}");
            } else {
                match serde_json::from_str::<serde_json::Value>(text) {
                    Ok(v) => print_success(format, &v),
                    Err(e) => {
                        return fail(
                            format,
                            "schema",
                            &[Error::new(Code::Internal, "", e.to_string())],
                        );
                    }
                }
            }
            OK
        }
        (None, None) => {
            if format == Format::Human {
                outln!("{}", names.join("\n"));
            } else {
                print_success(format, &names);
            }
            OK
        }
        (Some(n), None) => {
            let mut e = Error::new(Code::InvalidValue, "", format!("unknown schema `{n}`"));
            e = match worldgate::suggest::closest(n, names.iter().copied()) {
                Some(s) => {
                    e.with_help(format!("did you mean `{s}`? schemas: {}", names.join(", ")))
                }
                None => e.with_help(format!("schemas: {}", names.join(", "))),
            };
            fail(format, "schema", &[e])
        }
    }
}
