//! `validate`, `digest`, `diff` and `schema`: documents checked, hashed and compared through
//! the engine.

use super::*;

pub(super) fn validate(format: Format, paths: &[PathBuf], limits: &Limits) -> u8 {
    let files = match expand(paths) {
        Ok(f) => f,
        Err(msg) => {
            eprintln!("error: {msg}");
            return INVALID;
        }
    };
    let progress = Progress::new(files.len());
    let mut reports = Vec::new();
    let mut code = OK;
    for (i, f) in files.iter().enumerate() {
        progress.tick(i, f);
        let report = match read_input(f) {
            Ok(bytes) => bundle::validate_bundle(&bytes, limits),
            Err(e) => worldgate::schema::Validation::failed(e),
        };
        if !report.ok {
            code = INVALID;
        }
        reports.push(FileReport {
            file: f.display().to_string(),
            report,
        });
    }
    progress.done();
    match format {
        Format::Json => print_json(&reports),
        Format::Human => {
            for r in &reports {
                if r.report.ok {
                    println!("ok {}", r.file);
                } else {
                    print_errors(&r.file, &r.report.errors);
                }
            }
            let bad = reports.iter().filter(|r| !r.report.ok).count();
            if reports.len() > 1 {
                println!("{} valid, {bad} invalid", reports.len() - bad);
            }
        }
    }
    code
}

pub(super) fn digest(format: Format, files: &[PathBuf], canonical: bool) -> u8 {
    let mut code = OK;
    let mut out = Vec::new();
    for f in files {
        let result = read_input(f).and_then(|b| json::parse(&b, &Limits::default()));
        match result {
            Ok(v) => {
                let text = if canonical {
                    json::canonical::to_canonical_string(&v)
                } else {
                    digest::digest_value(&v)
                };
                out.push((f.display().to_string(), Ok(text)));
            }
            Err(e) => {
                code = INVALID;
                out.push((f.display().to_string(), Err(e)));
            }
        }
    }
    match format {
        Format::Json => {
            let docs: Vec<serde_json::Value> = out
                .into_iter()
                .map(|(file, r)| match r {
                    Ok(t) if canonical => serde_json::json!({"file": file, "canonical": t}),
                    Ok(t) => serde_json::json!({"file": file, "digest": t}),
                    Err(e) => serde_json::json!({"file": file, "errors": [e]}),
                })
                .collect();
            print_json(&docs);
        }
        Format::Human => {
            for (file, r) in out {
                match r {
                    Ok(t) if canonical => println!("{t}"),
                    Ok(t) => println!("{t}  {file}"),
                    Err(e) => print_errors(&file, &[e]),
                }
            }
        }
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
                Format::Json => print_json(&d),
                Format::Human => print_diff(&d),
            }
            OK
        }
        Err(e) => {
            match format {
                Format::Json => print_json(&serde_json::json!({"errors": [e]})),
                Format::Human => print_errors("diff", &[e]),
            }
            INVALID
        }
    }
}

pub(super) fn print_diff(d: &bundle::diff::Diff) {
    println!(
        "baseline {}/{}/{}  →  current {}/{}/{}",
        d.baseline.world_id,
        d.baseline.strategy_id,
        d.baseline.run_id,
        d.current.world_id,
        d.current.strategy_id,
        d.current.run_id
    );
    for n in &d.notes {
        println!("note: {n}");
    }
    if d.verdict.changed {
        println!(
            "verdict: {:?} → {:?}",
            d.verdict.baseline, d.verdict.current
        );
    }
    for m in &d.metrics {
        let rel = m
            .relative
            .map(|r| format!(" ({:+.2}%)", r.0 * 100.0))
            .unwrap_or_default();
        println!(
            "{:<28} {:>14} → {:<14} Δ {:+}{rel}",
            m.metric, m.baseline.0, m.current.0, m.delta.0
        );
    }
    for v in &d.violations_added {
        println!("+ violation {} ({}): {}", v.code, v.rule, v.message);
    }
    for v in &d.violations_removed {
        println!("- violation {} ({}): {}", v.code, v.rule, v.message);
    }
    if d.rank.changed {
        println!("rank: {:?} → {:?}", d.rank.baseline, d.rank.current);
    }
    if d.weight.changed {
        println!(
            "weight: {:?} → {:?}",
            d.weight.baseline.map(|w| w.0),
            d.weight.current.map(|w| w.0)
        );
    }
}

pub(super) fn schema(name: Option<&str>) -> u8 {
    let names: Vec<&str> = worldgate::schema::DOCUMENTS
        .iter()
        .map(|(n, _)| *n)
        .collect();
    match name.and_then(worldgate::schema::json_schema) {
        Some(text) => {
            print!("{text}");
            OK
        }
        None => {
            if let Some(n) = name {
                eprint!("error: unknown schema `{n}`");
                match worldgate::suggest::closest(n, names.iter().copied()) {
                    Some(s) => eprintln!("; did you mean `{s}`?"),
                    None => eprintln!(),
                }
            }
            println!("{}", names.join("\n"));
            if name.is_some() { INVALID } else { OK }
        }
    }
}
