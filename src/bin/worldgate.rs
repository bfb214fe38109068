//! The `worldgate` command-line tool: validate and gate bundles, compute metrics, write
//! snapshots, diff evaluations, print schemas, check policies.
//!
//! Output is human-readable by default and JSON with `--format json`. Exit codes: 0 success,
//! 1 a gate rejected a strategy, 2 invalid input (unreadable file, bad document, bad policy).
//! A path `-` reads standard input; a directory stands for the `*.json` files in it (sorted),
//! with a progress counter on standard error when it is a terminal.

use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use worldgate::bundle::{self, Limits};
use worldgate::{Code, Error};

#[derive(Parser)]
#[command(
    name = "worldgate",
    version,
    about = "Metric schema and world policy engine for trading-strategy evaluation"
)]
struct Cli {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human, global = true)]
    format: Format,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Validate bundles (files, directories of *.json, or `-` for stdin).
    Validate {
        /// Bundle files or directories.
        #[arg(required = true)]
        bundles: Vec<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Print the canonical-JSON digest (`sha256:<hex>`) of documents.
    Digest {
        /// JSON files, or `-` for stdin.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the canonical JSON text instead of its digest.
        #[arg(long)]
        canonical: bool,
    },
    /// Diff two snapshots or run records (baseline, current).
    Diff {
        /// Baseline document.
        baseline: PathBuf,
        /// Current document.
        current: PathBuf,
        /// Allow comparing different worlds.
        #[arg(long)]
        allow_cross_world: bool,
        /// Allow comparing evaluations gated by different policies.
        #[arg(long)]
        allow_policy_change: bool,
    },
    /// Print the JSON Schema of a published document (`worldgate schema` lists the names).
    Schema {
        /// Document name, e.g. `bundle`, `snapshot`.
        name: Option<String>,
    },
}

#[derive(clap::Args)]
struct LimitArgs {
    /// Largest accepted document, in bytes.
    #[arg(long)]
    max_bytes: Option<u64>,
    /// Deepest accepted nesting.
    #[arg(long)]
    max_depth: Option<u32>,
    /// Most submissions per bundle.
    #[arg(long)]
    max_submissions: Option<u32>,
    /// Longest accepted array (series).
    #[arg(long)]
    max_series_len: Option<u64>,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        let d = Limits::default();
        Limits {
            max_bytes: self.max_bytes.unwrap_or(d.max_bytes),
            max_depth: self.max_depth.unwrap_or(d.max_depth),
            max_submissions: self.max_submissions.unwrap_or(d.max_submissions),
            max_series_len: self.max_series_len.unwrap_or(d.max_series_len),
            ..d
        }
    }
}

const OK: u8 = 0;
#[allow(dead_code)] // used by `gate`
const REJECTED: u8 = 1;
const INVALID: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Validate { bundles, limits } => validate(cli.format, bundles, &limits.limits()),
        Command::Digest { files, canonical } => digest(cli.format, files, *canonical),
        Command::Diff {
            baseline,
            current,
            allow_cross_world,
            allow_policy_change,
        } => diff(
            cli.format,
            baseline,
            current,
            &bundle::diff::DiffOptions {
                allow_cross_world: *allow_cross_world,
                allow_policy_change: *allow_policy_change,
            },
        ),
        Command::Schema { name } => schema(name.as_deref()),
    };
    ExitCode::from(code)
}

// ---------------------------------------------------------------------------------------------
// Inputs and output

/// Files named on the command line: directories expand to their `*.json` files, sorted.
fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| format!("cannot read directory `{}`: {e}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "json"))
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// The bytes of a file, or of stdin for `-`.
fn read_input(path: &Path) -> Result<Vec<u8>, Error> {
    let mut buf = Vec::new();
    let result = if path.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut buf).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut buf).map(|_| ()))
    };
    result.map_err(|e| {
        Error::new(
            Code::Parse,
            "",
            format!("cannot read `{}`: {e}", path.display()),
        )
    })?;
    Ok(buf)
}

/// A progress counter on stderr, shown only on a terminal and for more than one file.
struct Progress {
    total: usize,
    shown: bool,
}

impl Progress {
    fn new(total: usize) -> Self {
        Progress {
            total,
            shown: total > 1 && std::io::stderr().is_terminal(),
        }
    }

    fn tick(&self, i: usize, path: &Path) {
        if self.shown {
            let mut e = std::io::stderr();
            let _ = write!(e, "\r\x1b[2K[{}/{}] {}", i + 1, self.total, path.display());
            let _ = e.flush();
        }
    }

    fn done(&self) {
        if self.shown {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

fn print_json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("error: cannot print json: {e}"),
    }
}

fn print_errors(label: &str, errors: &[Error]) {
    for e in errors {
        println!("{label}: {e}");
        if let Some(h) = &e.help {
            println!("  help: {h}");
        }
    }
}

#[derive(Serialize)]
struct FileReport<T: Serialize> {
    file: String,
    #[serde(flatten)]
    report: T,
}

// ---------------------------------------------------------------------------------------------
// Commands

fn validate(format: Format, paths: &[PathBuf], limits: &Limits) -> u8 {
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

fn digest(format: Format, files: &[PathBuf], canonical: bool) -> u8 {
    let mut code = OK;
    let mut out = Vec::new();
    for f in files {
        let result = read_input(f).and_then(|b| bundle::parse(&b, &Limits::default()));
        match result {
            Ok(v) => {
                let text = if canonical {
                    bundle::canonical::to_canonical_string(&v)
                } else {
                    bundle::digest::digest_value(&v)
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

fn diff(format: Format, a: &Path, b: &Path, opts: &bundle::diff::DiffOptions) -> u8 {
    let load = |p: &Path, prefix: &str| {
        read_input(p)
            .and_then(|bytes| bundle::parse(&bytes, &Limits::default()))
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

fn print_diff(d: &bundle::diff::Diff) {
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

fn schema(name: Option<&str>) -> u8 {
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
