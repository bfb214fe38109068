//! The `worldgate` command-line tool: validate and gate bundles, compute metrics, write
//! snapshots, diff evaluations, print schemas, check policies.
//!
//! Output is human-readable by default and JSON with `--format json`. Exit codes: 0 success,
//! 1 a gate rejected a strategy, 2 invalid input (unreadable file, bad document, bad policy, an
//! HTTP 4xx answer from the edge), 3 the edge could not be reached or kept failing (network
//! errors and 5xx, after retries) or a run was not evaluated within `--wait-timeout`.
//!
//! `submit` and `status` talk to the edge's native API (edge/README.md): the token comes from
//! `--token` or the `WORLDGATE_TOKEN` environment variable, the base URL from `--url` or
//! `WORLDGATE_URL`.
//! A path `-` reads standard input; a directory stands for the `*.json` files in it (sorted),
//! with a progress counter on standard error when it is a terminal.

use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use worldgate::api::{self, policy::PolicySource};
use worldgate::bundle::gate::{GateOptions, GateResult};
use worldgate::bundle::{self, Limits};
use worldgate::policy::{Dialect, Policy};
use worldgate::{Code, Error};
use worldgate::{digest, json};

#[path = "worldgate/remote.rs"]
mod remote;

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
    /// Gate bundles with a world policy: recompute, sanitize, digest, evaluate.
    Gate {
        /// Bundle files or directories.
        #[arg(required = true)]
        bundles: Vec<PathBuf>,
        #[command(flatten)]
        gate: GateArgs,
    },
    /// Gate one bundle and write its snapshot envelopes under `<out-dir>/.qmtl_snapshots/`.
    Snapshot {
        /// The bundle.
        bundle: PathBuf,
        #[command(flatten)]
        gate: GateArgs,
        /// Directory to write into.
        #[arg(long, default_value = ".")]
        out_dir: PathBuf,
    },
    /// Compute the metric blocks of a returns series (JSON array or object with `returns`, or
    /// CSV with the returns in the last column).
    Metrics {
        /// The series file, or `-` for stdin.
        file: PathBuf,
        /// Periods per year (252 daily, 525600 minute).
        #[arg(long)]
        periods_per_year: Option<f64>,
        /// Risk-free rate per year.
        #[arg(long)]
        risk_free: Option<f64>,
        /// Starting capital of the simulated account.
        #[arg(long)]
        initial_capital: Option<f64>,
        /// Print QMTL's v1.5 metric set instead (`returns`, `sample`, `robustness`,
        /// `diagnostics`): `qmtl` reproduces QMTL's numbers, `strict` gives worldgate's
        /// definitions (README "QMTL v1.5 metrics: qmtl vs strict"). Under `qmtl`,
        /// `--risk-free` is per period, as QMTL's.
        #[arg(long, value_parser = ["qmtl", "strict"])]
        profile: Option<String>,
        /// With `--profile`: the number of strategy variants tried (the DSR's trials).
        #[arg(long, requires = "profile")]
        search_intensity: Option<u64>,
    },
    /// Upload a bundle to the edge (`POST /worlds/{world}/runs`, the world from the bundle's
    /// `world_id`); print the runs and their links.
    Submit {
        /// The bundle file, or `-` for stdin.
        bundle: PathBuf,
        #[command(flatten)]
        remote: RemoteArgs,
        /// Poll each run's status until it is evaluated (or later).
        #[arg(long)]
        wait: bool,
        /// Give up waiting after this many seconds (exit 3).
        #[arg(long, default_value_t = 600.0)]
        wait_timeout: f64,
        /// First poll interval in seconds; it doubles up to 8 s.
        #[arg(long, default_value_t = 0.5)]
        interval: f64,
        /// Write each run's snapshot envelope as `<dir>/<world>-<strategy>-<run>.json` (implies
        /// `--wait`).
        #[arg(long)]
        snapshot_dir: Option<PathBuf>,
        /// `Idempotency-Key` header: a retried upload with the same key is answered from the
        /// stored upload.
        #[arg(long)]
        idempotency_key: Option<String>,
        /// Send `Prefer: respond-async`: the edge answers 202 with the runs at `submitted` and
        /// evaluates them shortly after (combine with `--wait`).
        #[arg(long)]
        respond_async: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Print a run's status from the edge.
    Status {
        /// The world.
        world: String,
        /// The strategy.
        strategy: String,
        /// `latest` or a run id.
        #[arg(long, default_value = "latest")]
        run: String,
        #[command(flatten)]
        remote: RemoteArgs,
    },
    /// Policy tools.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// Print the JSON Schema of a published document (`worldgate schema` lists the names).
    Schema {
        /// Document name, e.g. `bundle`, `snapshot`.
        name: Option<String>,
    },
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Parse and validate a policy file; print its ruleset hash.
    Check {
        /// Policy file (YAML or JSON), or `-` for stdin.
        file: PathBuf,
        /// Dialect unless the document names one.
        #[arg(long, value_enum, default_value_t = DialectArg::Strict)]
        dialect: DialectArg,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DialectArg {
    Strict,
    Qmtl,
}

impl DialectArg {
    fn get(self) -> Dialect {
        match self {
            DialectArg::Strict => Dialect::Strict,
            DialectArg::Qmtl => Dialect::Qmtl,
        }
    }
}

#[derive(clap::Args)]
struct GateArgs {
    /// Policy file (YAML or JSON), or `preset:<name>` (sandbox, conservative, moderate, aggressive).
    #[arg(long)]
    policy: String,
    /// Dialect of the policy unless the document names one.
    #[arg(long, value_enum, default_value_t = DialectArg::Strict)]
    dialect: DialectArg,
    /// Timestamp for snapshots and runs (default the Unix epoch; the core has no clock).
    #[arg(long)]
    created_at: Option<String>,
    /// Leading values kept per series in snapshots.
    #[arg(long, default_value_t = 16)]
    series_head: u32,
    #[command(flatten)]
    limits: LimitArgs,
}

impl GateArgs {
    fn options(&self) -> GateOptions {
        GateOptions {
            limits: self.limits.limits(),
            created_at: self
                .created_at
                .clone()
                .unwrap_or_else(|| GateOptions::default().created_at),
            series_head_len: self.series_head,
            ..GateOptions::default()
        }
    }

    fn load_policy(&self) -> Result<Policy, Vec<Error>> {
        load_policy(&self.policy, self.dialect.get())
    }
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

#[derive(clap::Args)]
struct RemoteArgs {
    /// Base URL of the edge API (default: `WORLDGATE_URL`).
    #[arg(long)]
    url: Option<String>,
    /// Bearer token (default: `WORLDGATE_TOKEN`, which keeps it off the command line).
    #[arg(long)]
    token: Option<String>,
    /// Seconds one HTTP request may take.
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
    /// Retries of a request that failed on the network or with a 5xx / 429 answer (backoff
    /// 0.25 s doubling to 4 s).
    #[arg(long, default_value_t = 4)]
    retries: u32,
}

const OK: u8 = 0;
const REJECTED: u8 = 1;
const INVALID: u8 = 2;
const UNAVAILABLE: u8 = 3;

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
        Command::Gate { bundles, gate } => gate_cmd(cli.format, bundles, gate, None),
        Command::Snapshot {
            bundle,
            gate,
            out_dir,
        } => gate_cmd(
            cli.format,
            std::slice::from_ref(bundle),
            gate,
            Some(out_dir),
        ),
        Command::Metrics {
            file,
            periods_per_year,
            risk_free,
            initial_capital,
            profile,
            search_intensity,
        } => metrics_cmd(
            cli.format,
            file,
            MetricsArgs {
                periods_per_year: *periods_per_year,
                risk_free: *risk_free,
                initial_capital: *initial_capital,
                profile: profile.as_deref(),
                search_intensity: *search_intensity,
            },
        ),
        Command::Policy {
            command: PolicyCommand::Check { file, dialect },
        } => policy_check(cli.format, file, dialect.get()),
        Command::Submit {
            bundle,
            remote,
            wait,
            wait_timeout,
            interval,
            snapshot_dir,
            idempotency_key,
            respond_async,
            limits,
        } => remote::submit(
            cli.format,
            bundle,
            remote,
            &remote::SubmitOptions {
                wait: *wait || snapshot_dir.is_some(),
                wait_timeout: *wait_timeout,
                interval: *interval,
                snapshot_dir: snapshot_dir.as_deref(),
                idempotency_key: idempotency_key.as_deref(),
                respond_async: *respond_async,
                limits: limits.limits(),
            },
        ),
        Command::Status {
            world,
            strategy,
            run,
            remote,
        } => remote::status(cli.format, world, strategy, run, remote),
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

fn diff(format: Format, a: &Path, b: &Path, opts: &bundle::diff::DiffOptions) -> u8 {
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

fn gate_cmd(format: Format, paths: &[PathBuf], args: &GateArgs, out_dir: Option<&PathBuf>) -> u8 {
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

fn write_snapshots(dir: &Path, r: &GateResult) -> Result<(), String> {
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

fn print_gate(label: &str, r: &GateResult, out_dir: Option<&PathBuf>) {
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

/// A returns series from JSON (`[...]` or `{"returns": [...]}`) or CSV (last column; lines
/// whose last field is not a number, such as a header, are skipped).
fn read_series(bytes: &[u8]) -> Result<Vec<f64>, Error> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Error::new(Code::Parse, "", "input is not utf-8"))?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        let v = json::parse(bytes, &Limits::default())?;
        let (arr, base) = match &v {
            serde_json::Value::Array(a) => (a, ""),
            serde_json::Value::Object(m) => match m.get("returns") {
                Some(serde_json::Value::Array(a)) => (a, "/returns"),
                _ => {
                    return Err(Error::new(
                        Code::Schema,
                        "/returns",
                        "expected an array of returns",
                    ));
                }
            },
            _ => return Err(Error::new(Code::Schema, "", "expected an array of returns")),
        };
        return arr
            .iter()
            .enumerate()
            .map(|(i, x)| match x {
                serde_json::Value::Number(n) => Ok(n.as_f64().unwrap_or(f64::NAN)),
                serde_json::Value::Null => Ok(f64::NAN),
                serde_json::Value::String(s)
                    if worldgate::schema::parse_non_finite(s).is_some() =>
                {
                    Ok(worldgate::schema::parse_non_finite(s).unwrap_or(f64::NAN))
                }
                _ => Err(Error::new(
                    Code::Schema,
                    format!("{base}/{i}"),
                    "expected a number",
                )),
            })
            .collect();
    }
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let field = line.rsplit([',', ';', '\t']).next().unwrap_or("").trim();
        if field.is_empty() {
            continue;
        }
        match field.parse::<f64>() {
            Ok(x) => out.push(x),
            Err(_) if out.is_empty() => {} // header
            Err(_) => {
                return Err(Error::new(
                    Code::Parse,
                    "",
                    format!("line {}: `{}` is not a number", n + 1, field.escape_debug()),
                ));
            }
        }
    }
    Ok(out)
}

/// The options of `worldgate metrics`.
struct MetricsArgs<'a> {
    periods_per_year: Option<f64>,
    risk_free: Option<f64>,
    initial_capital: Option<f64>,
    profile: Option<&'a str>,
    search_intensity: Option<u64>,
}

/// The metrics of a series as JSON: worldgate's blocks, or the v1.5 set with `--profile`.
fn compute_metrics_value(series: &[f64], a: &MetricsArgs) -> Result<serde_json::Value, Error> {
    let json = |r: Result<serde_json::Value, serde_json::Error>| {
        r.map_err(|e| Error::new(Code::Internal, "", format!("cannot print: {e}")))
    };
    if let Some(profile) = a.profile {
        let d = worldgate::metrics::V15Options::default();
        let opts = worldgate::metrics::V15Options {
            profile: match profile {
                "qmtl" => worldgate::schema::MetricsProfile::Qmtl,
                _ => worldgate::schema::MetricsProfile::Strict,
            },
            periods_per_year: a.periods_per_year.unwrap_or(d.periods_per_year),
            risk_free: a.risk_free.unwrap_or(d.risk_free),
            search_intensity: a.search_intensity.unwrap_or(d.search_intensity),
            ..d
        };
        let m = worldgate::metrics::compute_v15(series, &opts)?;
        return json(serde_json::to_value(&m));
    }
    let d = worldgate::metrics::MetricsOptions::default();
    let opts = worldgate::metrics::MetricsOptions {
        periods_per_year: a.periods_per_year.unwrap_or(d.periods_per_year),
        risk_free: a.risk_free.unwrap_or(d.risk_free),
        initial_capital: a.initial_capital.unwrap_or(d.initial_capital),
        ..d
    };
    json(serde_json::to_value(&worldgate::metrics::compute(
        series, &opts,
    )?))
}

fn metrics_cmd(format: Format, file: &Path, args: MetricsArgs) -> u8 {
    let result = read_input(file)
        .and_then(|b| read_series(&b))
        .and_then(|s| compute_metrics_value(&s, &args));
    match result {
        Ok(v) => {
            match format {
                Format::Json => print_json(&v),
                Format::Human => {
                    let blocks = ["returns", "pnl", "sample", "robustness", "diagnostics"];
                    for block in blocks {
                        if let Some(serde_json::Value::Object(map)) = v.get(block) {
                            println!("{block}:");
                            for (k, x) in map {
                                if x.is_number() || x.is_string() || x.is_null() {
                                    println!("  {k:<28} {x}");
                                }
                            }
                        }
                    }
                }
            }
            OK
        }
        Err(e) => {
            match format {
                Format::Json => print_json(&serde_json::json!({"errors": [e]})),
                Format::Human => print_errors(&file.display().to_string(), &[e]),
            }
            INVALID
        }
    }
}

/// A policy file, `-` for stdin, or `preset:<name>`.
fn load_policy(spec: &str, dialect: Dialect) -> Result<Policy, Vec<Error>> {
    if let Some(name) = spec.strip_prefix("preset:") {
        return api::policy::preset(name, dialect).map_err(|e| vec![e]);
    }
    let bytes = read_input(Path::new(spec)).map_err(|e| vec![e])?;
    api::policy::compile(PolicySource::Bytes(&bytes), dialect)
}

fn policy_check(format: Format, file: &Path, dialect: Dialect) -> u8 {
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
