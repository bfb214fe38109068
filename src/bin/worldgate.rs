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

#[path = "worldgate/documents.rs"]
mod documents;
#[path = "worldgate/gating.rs"]
mod gating;
#[path = "worldgate/io.rs"]
mod io;
#[path = "worldgate/metrics.rs"]
mod metrics;
#[path = "worldgate/remote.rs"]
mod remote;
#[path = "worldgate/report.rs"]
mod report;

use documents::{diff, digest, schema, validate};
use gating::{gate_cmd, load_policy, policy_check};
use io::*;
use metrics::{MetricsArgs, metrics_cmd};

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
    /// The quant's report of a returns series: distribution, drawdown episodes, rolling
    /// Sharpe / volatility / Sortino, and with `--benchmark` the benchmark-relative statistics.
    Report(report::ReportArgs),
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
        Command::Report(args) => report::report_cmd(cli.format, args),
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

// ---------------------------------------------------------------------------------------------
// Commands
