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
//! A path `-` reads standard input; a directory stands for the `*.json` files under it
//! (recursively, sorted), a path with `*`, `?` or `[` is a glob; naming no file at all is an
//! error. A progress counter goes to standard error when it is a terminal.
//!
//! `--format json` prints one envelope, the engine's `Answer`: `{"type":"success","value":…}` or
//! `{"type":"failure","errors":[…]}`; errors carry `code`, `path`, `message`, `help` and, for
//! text inputs, `line` and `column`. Human-mode errors and warnings go to standard error. A
//! closed standard output (`| head`) ends the command quietly.

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

/// `println!` to stdout that ends the process quietly (exit 0) when the reader has gone away
/// (`worldgate metrics f | head -1`): a broken pipe is not an error of ours.
macro_rules! outln {
    () => { $crate::io::out(format_args!("\n")) };
    ($($t:tt)*) => { $crate::io::out(format_args!("{}\n", format_args!($($t)*))) };
}

/// `print!` to stdout, quiet on a broken pipe (see [`outln`]).
macro_rules! out {
    ($($t:tt)*) => { $crate::io::out(format_args!($($t)*)) };
}

#[path = "worldgate/documents.rs"]
mod documents;
#[path = "worldgate/gating.rs"]
mod gating;
#[path = "worldgate/io.rs"]
mod io;
#[path = "worldgate/metrics.rs"]
mod metrics;
#[path = "worldgate/output.rs"]
mod output;
#[path = "worldgate/remote.rs"]
mod remote;
#[path = "worldgate/report.rs"]
mod report;

use documents::{diff, digest, schema, validate};
use gating::{gate_cmd, load_policy, policy_check, policy_show, policy_verdicts};
use io::*;
use metrics::{MetricsArgs, metrics_cmd};

const EXAMPLES: &str = "\
Examples:
  worldgate validate bundles/
  worldgate gate --policy preset:moderate 'runs/**/*.json' --fail-on warn
  worldgate metrics --column return --periods-per-year 252 returns.csv
  worldgate policy check policy.yaml --against bundles/
  worldgate completions bash > /etc/bash_completion.d/worldgate

Exit codes: 0 success, 1 a gate rejected a strategy (see --fail-on), 2 invalid input or usage,
3 the edge could not be reached.";

#[derive(Parser)]
#[command(
    name = "worldgate",
    version,
    about = "Metric schema and world policy engine for trading-strategy evaluation",
    after_help = EXAMPLES
)]
struct Cli {
    /// Output format. Every command: `human` (default) or `json` (one `{type, value|errors}`
    /// envelope). `gate` and `validate` also: `ndjson` (one line per file, then a summary),
    /// `github` (workflow annotations) and `sarif` (SARIF 2.1.0); elsewhere these print JSON.
    #[arg(long, value_enum, default_value_t = Format::Human, global = true)]
    format: Format,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
    Ndjson,
    Github,
    Sarif,
}

#[derive(Subcommand)]
enum Command {
    /// Validate bundles (files, directories searched recursively for *.json, globs, or `-`).
    #[command(after_help = "Examples:
  worldgate validate bundle.json
  worldgate validate bundles/ 'more/*.json'
  cat bundle.json | worldgate validate -

No file found (an empty directory, a glob that matches nothing) is an error (exit 2).")]
    Validate {
        /// Bundle files, directories or globs.
        #[arg(required = true)]
        bundles: Vec<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Print the canonical-JSON digest (`sha256:<hex>`) of documents.
    #[command(after_help = "Examples:
  worldgate digest snapshot.json
  worldgate digest --canonical bundle.json | head -c 200")]
    Digest {
        /// JSON files, or `-` for stdin.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the canonical JSON text instead of its digest.
        #[arg(long)]
        canonical: bool,
    },
    /// Diff two snapshots or run records (baseline, current).
    #[command(after_help = "Examples:
  worldgate diff old/snapshot.json new/snapshot.json
  worldgate diff --allow-policy-change a.json b.json")]
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
    #[command(after_help = "Examples:
  worldgate gate --policy policy.yaml bundle.json
  worldgate gate --policy preset:conservative bundles/ --explain
  worldgate gate --policy policy.yaml 'runs/*.json' --format github --fail-on warn
  worldgate gate --policy policy.yaml bundles/ --format sarif > gate.sarif

Output streams: one report per bundle as it is gated (constant memory), then a summary.
Exit codes: 0 passed, 1 a strategy was rejected (--fail-on rejected, the default) or warned
(--fail-on warn), 2 invalid input (a bad bundle, policy or option, or no bundle found).")]
    Gate {
        /// Bundle files, directories (searched recursively for *.json) or globs.
        #[arg(required = true)]
        bundles: Vec<PathBuf>,
        #[command(flatten)]
        gate: GateArgs,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Gate one bundle and write its snapshot envelopes under `<out-dir>/.qmtl_snapshots/`.
    #[command(after_help = "Examples:
  worldgate snapshot bundle.json --policy preset:sandbox --out-dir out/
  worldgate snapshot bundle.json --policy p.yaml --created-at 2025-12-02T10:00:00Z

`created_at` is --created-at, else the bundle's own `created_at`, else 1970-01-01T00:00:00Z.")]
    Snapshot {
        /// The bundle.
        bundle: PathBuf,
        #[command(flatten)]
        gate: GateArgs,
        /// Directory to write into.
        #[arg(long, default_value = ".")]
        out_dir: PathBuf,
    },
    /// Compute the metric blocks of a returns series (a JSON array or `{returns, timestamps?}`,
    /// or CSV: one return per line as a fraction, an optional header on line 1, the column
    /// picked with --column when there are several).
    #[command(after_help = "Examples:
  worldgate metrics returns.json
  worldgate metrics --column return prices_and_returns.csv
  worldgate metrics --delimiter ';' --decimal-comma --percent export.csv
  worldgate metrics --risk-free -0.005 --periods-per-year 252 returns.csv
  worldgate metrics --report dated_returns.csv

A CSV whose first column holds dates (YYYY-MM-DD or RFC 3339) gives the series its timestamps.
An empty field (or `nan`) is a missing period. A |return| above 1 is read but warned about.")]
    Metrics(MetricsCommand),
    /// The quant's report of a returns series: distribution, drawdown episodes, rolling
    /// Sharpe / volatility / Sortino, and with `--benchmark` the benchmark-relative statistics.
    Report(report::ReportArgs),
    /// Upload a bundle to the edge (`POST /worlds/{world}/runs`, the world from the bundle's
    /// `world_id`); print the runs and their links.
    #[command(after_help = "Examples:
  WORLDGATE_URL=https://edge.example WORLDGATE_TOKEN=... worldgate submit bundle.json --wait
  worldgate submit bundle.json --snapshot-dir snaps/ --idempotency-key build-42")]
    Submit(SubmitCommand),
    /// Print a run's status from the edge.
    #[command(after_help = "Examples:
  worldgate status alpha my-strategy
  worldgate status alpha my-strategy --run r-0123456789abcdef --format json")]
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
    /// Policy tools: check a policy's meaning, print a preset.
    #[command(after_help = "Examples:
  worldgate policy check policy.yaml
  worldgate policy check preset:conservative
  worldgate policy check policy.yaml --against bundles/ --custom my_alpha
  worldgate policy show preset:moderate")]
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// Print the JSON Schema of a published document (`worldgate schema` lists the names).
    #[command(after_help = "Examples:
  worldgate schema
  worldgate schema bundle > bundle.schema.json")]
    Schema {
        /// Document name, e.g. `bundle`, `snapshot`.
        name: Option<String>,
    },
    /// Print a shell completion script.
    #[command(after_help = "Examples:
  worldgate completions bash > ~/.local/share/bash-completion/completions/worldgate
  worldgate completions zsh > ~/.zfunc/_worldgate
  worldgate completions fish > ~/.config/fish/completions/worldgate.fish")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Parse a policy and lint its meaning; print its ruleset hash.
    ///
    /// The lint rejects metric names nothing computes or carries (with a did-you-mean) and,
    /// in the strict dialect, drawdown bounds written as `min` or as negative numbers:
    /// drawdown bounds compare magnitudes (|value|, whatever sign the data uses), so a limit of
    /// 25 % is `max: 0.25`.
    #[command(after_help = "Examples:
  worldgate policy check policy.yaml
  worldgate policy check preset:conservative --format json
  worldgate policy check policy.yaml --against metrics/*.json --custom my_alpha")]
    Check {
        /// Policy file (YAML or JSON), `-` for stdin, or `preset:<name>`.
        file: String,
        /// Dialect unless the document names one.
        #[arg(long, value_enum, default_value_t = DialectArg::Strict)]
        dialect: DialectArg,
        /// Metrics files, snapshots or bundles whose metric names the policy may use.
        #[arg(long, num_args = 1..)]
        against: Vec<PathBuf>,
        /// A metric name of your own, never reported as unknown (repeatable).
        #[arg(long)]
        custom: Vec<String>,
    },
    /// Evaluate a policy and print its verdicts: the decision without each strategy's rule
    /// results, violations and explanations (`selected`, each strategy's status, verdict, rank
    /// and weight, the next `state`, the notes), as `verdicts.json` describes them.
    #[command(after_help = "Examples:
  worldgate policy verdicts preset:moderate input.json
  worldgate policy verdicts policy.yaml - --format json < input.json

The input is a JSON document {metrics, previous?, correlations?, returns?, timestamps?, stage?,
profile?}: metrics by strategy id, the previous active ids or state, given correlations,
returns series by id (correlations computed from them), RFC 3339 timestamps per return.")]
    Verdicts {
        /// `preset:<name>` (sandbox, conservative, moderate, aggressive) or a policy file.
        policy: String,
        /// The evaluation input (JSON), `-` for stdin.
        input: PathBuf,
        /// Dialect unless the document names one.
        #[arg(long, value_enum, default_value_t = DialectArg::Strict)]
        dialect: DialectArg,
    },
    /// Print a policy (a preset, or a file as the engine resolves it) as YAML-compatible JSON.
    #[command(after_help = "Examples:
  worldgate policy show preset:conservative
  worldgate policy show preset:moderate --dialect qmtl --format json")]
    Show {
        /// `preset:<name>` (sandbox, conservative, moderate, aggressive) or a policy file.
        policy: String,
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
    /// Policy file (YAML or JSON), or `preset:<name>` (sandbox, conservative, moderate,
    /// aggressive). Drawdown bounds compare magnitudes (drawdowns are reported ≤ 0): a 25 % limit
    /// is `max: 0.25`; `worldgate policy check` lints a policy before it gates.
    #[arg(long)]
    policy: String,
    /// Dialect of the policy unless the document names one.
    #[arg(long, value_enum, default_value_t = DialectArg::Strict)]
    dialect: DialectArg,
    /// Timestamp for snapshots and runs, RFC 3339 (`2025-12-02T10:00:00Z`); default the
    /// bundle's own `created_at`, else the Unix epoch (the core has no clock).
    #[arg(long, value_parser = rfc3339)]
    created_at: Option<String>,
    /// Leading values kept per series in snapshots.
    #[arg(long, default_value_t = 16)]
    series_head: u32,
    #[command(flatten)]
    limits: LimitArgs,
}

/// `--created-at`: an RFC 3339 date-time, nothing else.
fn rfc3339(s: &str) -> Result<String, String> {
    if s.len() > 10 && api::returns_input::is_timestamp(s) {
        Ok(s.to_string())
    } else {
        Err(format!(
            "`{s}` is not an RFC 3339 date-time such as 2025-12-02T10:00:00Z"
        ))
    }
}

impl GateArgs {
    /// The gate's options for one bundle: `created_at` from the option, else the bundle's.
    fn options(&self, bundle: &[u8]) -> GateOptions {
        let created_at = self
            .created_at
            .clone()
            .or_else(|| api::document::top_level_string(bundle, "created_at"))
            .unwrap_or_else(|| GateOptions::default().created_at);
        GateOptions {
            limits: self.limits.limits(),
            created_at,
            series_head_len: self.series_head,
            ..GateOptions::default()
        }
    }

    fn load_policy(&self) -> Result<Policy, Vec<Error>> {
        load_policy(&self.policy, self.dialect.get())
    }
}

/// How `gate` reports.
#[derive(clap::Args)]
struct ReportArgs {
    /// Which verdicts make the exit code 1: `rejected` (default), `warn` (rejected or warned),
    /// `none` (only invalid input fails, exit 2).
    #[arg(long, value_enum, default_value_t = FailOn::Rejected)]
    fail_on: FailOn,
    /// Human output: every check of every strategy, passing ones too.
    #[arg(long)]
    explain: bool,
    /// Human output: only rejected strategies, bad bundles and the summary.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Rejected,
    Warn,
    None,
}

/// `metrics`'s arguments.
#[derive(clap::Args)]
struct MetricsCommand {
    /// The series file, or `-` for stdin.
    file: PathBuf,
    /// Periods per year (252 daily, 525600 minute).
    #[arg(long)]
    periods_per_year: Option<f64>,
    /// Risk-free rate per year, as a fraction (0.04 for 4 %; negative rates allowed).
    #[arg(long, allow_negative_numbers = true)]
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
    /// Add the quant's report (distribution, drawdowns, rolling, and with dates the
    /// calendar) beside the blocks, under the same conventions (`worldgate report` has its
    /// options).
    #[arg(long, conflicts_with = "profile")]
    report: bool,
    #[command(flatten)]
    input: ReturnsArgs,
}

impl MetricsCommand {
    /// The arguments as `metrics_cmd` takes them.
    fn args(&self) -> MetricsArgs<'_> {
        MetricsArgs {
            periods_per_year: self.periods_per_year,
            risk_free: self.risk_free,
            initial_capital: self.initial_capital,
            profile: self.profile.as_deref(),
            search_intensity: self.search_intensity,
            report: self.report,
            input: self.input.options(),
        }
    }
}

/// `submit`'s arguments.
#[derive(clap::Args)]
struct SubmitCommand {
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
}

impl SubmitCommand {
    /// The options as `remote::submit` takes them.
    fn options(&self) -> remote::SubmitOptions<'_> {
        remote::SubmitOptions {
            wait: self.wait || self.snapshot_dir.is_some(),
            wait_timeout: self.wait_timeout,
            interval: self.interval,
            snapshot_dir: self.snapshot_dir.as_deref(),
            idempotency_key: self.idempotency_key.as_deref(),
            respond_async: self.respond_async,
            limits: self.limits.limits(),
        }
    }
}

/// How `metrics` reads its series (see `api::returns_input`).
#[derive(clap::Args)]
struct ReturnsArgs {
    /// The CSV column of the returns: its header name or 1-based number. Needed when the CSV
    /// has several value columns and none is named `return` or `returns`.
    #[arg(long, value_name = "NAME|N")]
    column: Option<String>,
    /// The CSV delimiter (`,`, `;`, `tab`, …); default the first of `,` `;` tab on line 1.
    #[arg(long)]
    delimiter: Option<String>,
    /// Numbers use a decimal comma (`0,0123`); the delimiter is then `;` or tab.
    #[arg(long)]
    decimal_comma: bool,
    /// Values are percentages (`1.2` or `1.2%` is 0.012).
    #[arg(long)]
    percent: bool,
    /// Largest accepted input in bytes, JSON or CSV (default 16 MiB).
    #[arg(long)]
    max_bytes: Option<u64>,
}

impl ReturnsArgs {
    fn options(&self) -> worldgate::schema::ReturnsOptions {
        use worldgate::schema::ReturnsColumn;
        worldgate::schema::ReturnsOptions {
            column: self.column.as_ref().map(|c| match c.parse::<u32>() {
                Ok(n) => ReturnsColumn::Index(n),
                Err(_) => ReturnsColumn::Name(c.clone()),
            }),
            delimiter: self.delimiter.clone(),
            decimal_comma: self.decimal_comma,
            percent: self.percent,
            max_bytes: self.max_bytes,
        }
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
    let code = run(cli.format, &cli.command);
    io::flush();
    ExitCode::from(code)
}

/// Runs `command`, printing in `format`; its exit code.
fn run(format: Format, command: &Command) -> u8 {
    match command {
        Command::Metrics(m) => metrics_cmd(format, &m.file, m.args()),
        Command::Submit(s) => remote::submit(format, &s.bundle, &s.remote, &s.options()),
        Command::Status {
            world,
            strategy,
            run,
            remote,
        } => remote::status(format, world, strategy, run, remote),
        Command::Validate { bundles, limits } => validate(format, bundles, &limits.limits()),
        Command::Digest { files, canonical } => digest(format, files, *canonical),
        Command::Diff {
            baseline,
            current,
            allow_cross_world,
            allow_policy_change,
        } => diff(
            format,
            baseline,
            current,
            &bundle::diff::DiffOptions {
                allow_cross_world: *allow_cross_world,
                allow_policy_change: *allow_policy_change,
            },
        ),
        Command::Schema { name } => schema(format, name.as_deref()),
        Command::Gate {
            bundles,
            gate,
            report,
        } => gate_cmd(format, bundles, gate, report, None),
        Command::Snapshot {
            bundle,
            gate,
            out_dir,
        } => snapshot_cmd(format, bundle, gate, out_dir),
        Command::Report(args) => report::report_cmd(format, args),
        Command::Policy { command } => policy_cmd(format, command),
        Command::Completions { shell } => completions(*shell),
    }
}

/// `snapshot`: the gate of one bundle, writing its snapshots into `out_dir` (fails on a
/// rejected strategy, prints no explanation).
fn snapshot_cmd(format: Format, bundle: &PathBuf, gate: &GateArgs, out_dir: &PathBuf) -> u8 {
    gate_cmd(
        format,
        std::slice::from_ref(bundle),
        gate,
        &ReportArgs {
            fail_on: FailOn::Rejected,
            explain: false,
            quiet: false,
        },
        Some(out_dir),
    )
}

/// `policy check | show | verdicts`.
fn policy_cmd(format: Format, command: &PolicyCommand) -> u8 {
    match command {
        PolicyCommand::Check {
            file,
            dialect,
            against,
            custom,
        } => policy_check(format, file, dialect.get(), against, custom),
        PolicyCommand::Show { policy, dialect } => policy_show(format, policy, dialect.get()),
        PolicyCommand::Verdicts {
            policy,
            input,
            dialect,
        } => policy_verdicts(format, policy, input, dialect.get()),
    }
}

/// `completions`: prints the completion script of `shell`.
fn completions(shell: clap_complete::Shell) -> u8 {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "worldgate", &mut buf);
    out!("{}", String::from_utf8_lossy(&buf));
    OK
}
