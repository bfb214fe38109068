//! `gate`, `snapshot` and `policy check`: bundles gated with a policy (a file or
//! `preset:<name>`), snapshot files written, policies checked.

use super::*;

pub(super) fn gate_cmd(
    format: Format,
    paths: &[PathBuf],
    args: &GateArgs,
    out_dir: Option<&PathBuf>,
) -> u8 {
    let policy = match args.load_policy() {
        Ok(p) => p,
        Err(errors) => {
            match format {
                Format::Json => print_json(&serde_json::json!({"errors": errors})),
                Format::Human => print_errors(&args.policy, &errors),
            }
            return INVALID;
        }
    };
    let files = match expand(paths) {
        Ok(f) => f,
        Err(msg) => {
            eprintln!("error: {msg}");
            return INVALID;
        }
    };
    let opts = args.options();
    let progress = Progress::new(files.len());
    let (mut invalid, mut rejected) = (false, false);
    let mut reports: Vec<serde_json::Value> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        progress.tick(i, f);
        let label = f.display().to_string();
        let result = read_input(f)
            .map_err(|e| vec![e])
            .and_then(|b| bundle::gate::gate(&b, &policy, &opts));
        match result {
            Ok(r) => {
                rejected |= !r.rejected.is_empty();
                if let Some(dir) = out_dir
                    && let Err(e) = write_snapshots(dir, &r)
                {
                    eprintln!("error: {e}");
                    invalid = true;
                }
                if format == Format::Human {
                    progress.done();
                    print_gate(&label, &r, out_dir);
                }
                reports.push(serde_json::json!({"file": label, "type": "success", "result": r}));
            }
            Err(errors) => {
                invalid = true;
                if format == Format::Human {
                    progress.done();
                    print_errors(&label, &errors);
                }
                reports
                    .push(serde_json::json!({"file": label, "type": "failure", "errors": errors}));
            }
        }
    }
    progress.done();
    if format == Format::Json {
        print_json(&reports);
    }
    if invalid {
        INVALID
    } else if rejected {
        REJECTED
    } else {
        OK
    }
}

pub(super) fn write_snapshots(dir: &Path, r: &GateResult) -> Result<(), String> {
    for (snap, outcome) in r.snapshots.iter().zip(&r.strategies) {
        // The file name comes from validated ids only, so it stays inside `dir`.
        let path = dir.join(&outcome.snapshot_file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
        }
        let text = serde_json::to_string_pretty(snap).map_err(|e| e.to_string())?;
        std::fs::write(&path, text + "\n")
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    Ok(())
}

pub(super) fn print_gate(label: &str, r: &GateResult, out_dir: Option<&PathBuf>) {
    println!(
        "{label}: world `{}`, selected [{}]",
        r.world_id,
        r.selected.join(", ")
    );
    for s in &r.strategies {
        let mut line = format!(
            "  {:<24} {:<8}",
            s.strategy_id,
            format!("{:?}", s.verdict).to_lowercase()
        );
        if let Some(rank) = s.rank {
            line.push_str(&format!(" rank {rank}"));
        }
        if let Some(w) = s.weight {
            line.push_str(&format!(" weight {}", w.0));
        }
        if s.metrics_source == worldgate::schema::MetricSource::Claimed {
            line.push_str(" (claimed metrics)");
        }
        println!("{line}");
        for v in &s.violations {
            println!("    - {}: {}", v.code, v.message);
        }
        if let Some(dir) = out_dir {
            println!("    wrote {}", dir.join(&s.snapshot_file).display());
        }
    }
    for red in &r.redactions {
        println!("  redacted {} at {}", red.kind.as_str(), red.path);
    }
    println!("  input {}\n  result {}", r.input_digest, r.result_digest);
}

/// A policy file, `-` for stdin, or `preset:<name>`.
pub(super) fn load_policy(spec: &str, dialect: Dialect) -> Result<Policy, Vec<Error>> {
    if let Some(name) = spec.strip_prefix("preset:") {
        return api::policy::preset(name, dialect).map_err(|e| vec![e]);
    }
    let bytes = read_input(Path::new(spec)).map_err(|e| vec![e])?;
    api::policy::compile(PolicySource::Bytes(&bytes), dialect)
}

pub(super) fn policy_check(format: Format, file: &Path, dialect: Dialect) -> u8 {
    let result = load_policy(&file.to_string_lossy(), dialect);
    match result {
        Ok(p) => {
            match format {
                Format::Json => print_json(&serde_json::json!({
                    "ok": true, "ruleset_hash": p.ruleset_hash(), "dialect": p.dialect(), "policy": p.to_value()
                })),
                Format::Human => println!(
                    "ok {} ({:?}, {})",
                    file.display(),
                    p.dialect(),
                    p.ruleset_hash()
                ),
            }
            OK
        }
        Err(errors) => {
            match format {
                Format::Json => print_json(&serde_json::json!({"ok": false, "errors": errors})),
                Format::Human => print_errors(&file.display().to_string(), &errors),
            }
            INVALID
        }
    }
}
