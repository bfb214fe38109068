//! `gate`, `snapshot` and `policy check` / `policy show`: bundles gated with a policy (a file
//! or `preset:<name>`), reported as they are gated (human, json, ndjson, github, sarif),
//! snapshot files written, policies checked and printed.

use super::output::{Problem, Stream};
use super::*;
use worldgate::schema::{CheckOutcome, Explanation, Verdict};

/// Counts over a gate run.
#[derive(Default, Serialize)]
pub(super) struct Summary {
    bundles: u64,
    invalid_bundles: u64,
    strategies: u64,
    selected: u64,
    warn: u64,
    rejected: u64,
}

impl Summary {
    fn human(&self) -> String {
        let pct = |n: u64| {
            if self.strategies == 0 {
                0.0
            } else {
                100.0 * n as f64 / self.strategies as f64
            }
        };
        let plural =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "summary: {}, {}: {} valid ({:.1} %), {} warn ({:.1} %), {} rejected ({:.1} %); {} invalid",
            plural(self.bundles, "bundle", "bundles"),
            plural(self.strategies, "strategy", "strategies"),
            self.selected.saturating_sub(self.warn),
            pct(self.selected.saturating_sub(self.warn)),
            self.warn,
            pct(self.warn),
            self.rejected,
            pct(self.rejected),
            plural(self.invalid_bundles, "bundle", "bundles"),
        )
    }
}

/// The per-bundle item of the json / ndjson output: the file and its `Answer`.
#[derive(Serialize)]
struct Item<'a, T: Serialize> {
    file: &'a str,
    #[serde(flatten)]
    answer: worldgate::schema::Answer<T>,
}

/// `gate` (and `snapshot`, with `out_dir`): gates each bundle file of `paths` (directories
/// expanded) with the policy of `args`, prints each outcome and a summary in `format`; the
/// exit code of [`Summary::exit_code`].
pub(super) fn gate_cmd(
    format: Format,
    paths: &[PathBuf],
    args: &GateArgs,
    report: &ReportArgs,
    out_dir: Option<&PathBuf>,
) -> u8 {
    let policy = match args.load_policy() {
        Ok(p) => p,
        Err(errors) => return fail(format, &args.policy, &errors),
    };
    let files = match expand(paths) {
        Ok(f) => f,
        Err(e) => return fail(format, "gate", &[e]),
    };
    let progress = Progress::new(files.len());
    let mut stream = Stream::begin(format);
    let mut sum = Summary::default();
    for (i, f) in files.iter().enumerate() {
        progress.tick(i, f);
        let label = f.display().to_string();
        let result = gate_file(f, &policy, args);
        progress.done();
        sum.bundles += 1;
        match result {
            Ok(r) => {
                let written = match out_dir {
                    Some(dir) => match write_snapshots(dir, &r) {
                        Ok(w) => w,
                        Err(e) => {
                            sum.invalid_bundles += 1;
                            report_errors(format, &mut stream, &label, &[e]);
                            continue;
                        }
                    },
                    None => Vec::new(),
                };
                sum.count(&r.strategies);
                match format {
                    Format::Human => print_gate(&label, &r, &written, report),
                    Format::Json | Format::Ndjson => stream.item(&Item {
                        file: &label,
                        answer: worldgate::schema::Answer::Success { value: &r },
                    }),
                    Format::Github | Format::Sarif => gate_problems(&mut stream, &label, &r),
                }
            }
            Err(errors) => {
                sum.invalid_bundles += 1;
                report_errors(format, &mut stream, &label, &errors);
            }
        }
    }
    let human = sum.human();
    if format == Format::Human {
        outln!("{human}");
    }
    stream.end(&sum, &human);
    sum.exit_code(report.fail_on)
}

/// The gate of the bundle file `f`.
///
/// # Errors
/// The file's read error; else, when the gate fails, the validation's list of errors when it
/// finds more (the gate stops at its first problem), the gate's otherwise.
fn gate_file(
    f: &Path,
    policy: &worldgate::policy::Policy,
    args: &GateArgs,
) -> Result<bundle::gate::GateResult, Vec<Error>> {
    let b = read_input(f).map_err(|e| vec![e])?;
    bundle::gate::gate(&b, policy, &args.options(&b)).map_err(|errors| {
        let all = bundle::validate_bundle(&b, &args.limits.limits()).errors;
        if all.len() > errors.len() {
            all
        } else {
            errors
        }
    })
}

impl Summary {
    /// Counts the strategies of one gated bundle: `valid` and `warn` are selected,
    /// `invalid` and `pending` rejected.
    fn count(&mut self, strategies: &[bundle::gate::StrategyOutcome]) {
        for s in strategies {
            self.strategies += 1;
            match s.verdict {
                Verdict::Valid => self.selected += 1,
                Verdict::Warn => {
                    self.selected += 1;
                    self.warn += 1;
                }
                Verdict::Invalid | Verdict::Pending => self.rejected += 1,
            }
        }
    }

    /// The exit code: `INVALID` when a bundle was invalid, else `REJECTED` when `fail_on`
    /// is met (a rejected strategy; a rejected or warned one; never), else `OK`.
    fn exit_code(&self, fail_on: FailOn) -> u8 {
        if self.invalid_bundles > 0 {
            INVALID
        } else if match fail_on {
            FailOn::Rejected => self.rejected > 0,
            FailOn::Warn => self.rejected + self.warn > 0,
            FailOn::None => false,
        } {
            REJECTED
        } else {
            OK
        }
    }
}

/// A bundle's errors in the output format.
fn report_errors(format: Format, stream: &mut Stream, label: &str, errors: &[Error]) {
    match format {
        Format::Human => print_errors(label, errors),
        Format::Json | Format::Ndjson => stream.item(&Item::<()> {
            file: label,
            answer: worldgate::schema::Answer::Failure {
                errors: errors.to_vec(),
            },
        }),
        Format::Github | Format::Sarif => {
            for e in errors {
                stream.problem(&Problem::of_error(label, "invalid bundle", e));
            }
        }
    }
}

/// The strategies that were not plainly selected, as problems (github, sarif).
fn gate_problems(stream: &mut Stream, label: &str, r: &GateResult) {
    for s in &r.strategies {
        let error = match s.verdict {
            Verdict::Valid => continue,
            Verdict::Warn => false,
            Verdict::Invalid | Verdict::Pending => true,
        };
        let title = format!(
            "{} {}",
            s.strategy_id,
            if error { "rejected" } else { "warn" }
        );
        let checks = checks_of(r, &s.strategy_id);
        let failing: Vec<&Explanation> = checks
            .iter()
            .filter(|c| matches!(c.outcome, CheckOutcome::Fail | CheckOutcome::Warn))
            .collect();
        if failing.is_empty() {
            let message = match s.violations.first() {
                Some(v) => format!("strategy `{}`: {}", s.strategy_id, v.message),
                None => format!("strategy `{}` was not selected", s.strategy_id),
            };
            stream.problem(&Problem {
                file: label,
                rule: s.violations.first().map_or("gate", |v| v.rule.as_str()),
                title: &title,
                message,
                error,
                line: None,
                column: None,
            });
        }
        for c in failing {
            stream.problem(&Problem {
                file: label,
                rule: &c.rule,
                title: &title,
                message: format!("strategy `{}`: {}", s.strategy_id, check_text(c)),
                error: error && c.outcome == CheckOutcome::Fail,
                line: None,
                column: None,
            });
        }
    }
}

fn checks_of<'a>(r: &'a GateResult, strategy: &str) -> &'a [Explanation] {
    r.decision
        .strategies
        .get(strategy)
        .map_or(&[], |d| d.explanations.as_slice())
}

/// A number for people: 4 significant digits, and a percentage for fraction-like metrics.
fn show(metric: Option<&str>, x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let plain = if x == 0.0 || (1e-4..1e6).contains(&x.abs()) {
        let digits = (3 - x.abs().log10().floor() as i32).clamp(0, 8) as usize;
        let s = format!("{x:.digits$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        format!("{x:.3e}")
    };
    let fraction = metric.is_some_and(|m| {
        [
            "drawdown",
            "return",
            "volatility",
            "win_rate",
            "cagr",
            "var",
            "weight",
        ]
        .iter()
        .any(|k| m.contains(k))
    });
    if fraction && x.abs() < 100.0 {
        format!("{plain} ({:.2} %)", x * 100.0)
    } else {
        plain
    }
}

/// One check as text: `sharpe 0.31 >= 0.5 — message`.
fn check_text(c: &Explanation) -> String {
    let metric = c.metric.as_deref();
    let mut t = String::new();
    if let Some(m) = metric {
        t.push_str(m);
        t.push(' ');
    }
    match c.observed.map(|n| n.0) {
        Some(v) => t.push_str(&show(metric, v)),
        None if metric.is_some() => t.push_str("(missing)"),
        None => {}
    }
    if let Some(m) = c.magnitude {
        t.push_str(&format!(" |{}|", show(metric, m.0)));
    }
    if let (Some(cmp), Some(b)) = (&c.comparison, c.bound) {
        t.push_str(&format!(" (must be {cmp} {})", show(metric, b.0)));
    }
    let t = t.trim().to_string();
    if t.is_empty() {
        c.message.clone()
    } else {
        format!("{t} — {}", c.message)
    }
}

/// Writes the snapshot files; the paths written, all or an error.
pub(super) fn write_snapshots(dir: &Path, r: &GateResult) -> Result<Vec<PathBuf>, Error> {
    let mut written = Vec::new();
    for (snap, outcome) in r.snapshots.iter().zip(&r.strategies) {
        // The file name comes from validated ids only, so it stays inside `dir`.
        let path = dir.join(&outcome.snapshot_file);
        let write_err = |p: &Path, e: std::io::Error| {
            Error::new(Code::Io, "", format!("cannot write `{}`: {e}", p.display()))
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| write_err(parent, e))?;
        }
        let text = serde_json::to_string_pretty(snap)
            .map_err(|e| Error::new(Code::Internal, "", e.to_string()))?;
        std::fs::write(&path, text + "\n").map_err(|e| write_err(&path, e))?;
        written.push(path);
    }
    Ok(written)
}

pub(super) fn print_gate(label: &str, r: &GateResult, written: &[PathBuf], report: &ReportArgs) {
    let rejected = |s: &worldgate::bundle::gate::StrategyOutcome| {
        matches!(s.verdict, Verdict::Invalid | Verdict::Pending)
    };
    if report.quiet && !r.strategies.iter().any(rejected) {
        return;
    }
    outln!(
        "{label}: world `{}`, selected [{}] ({} of {})",
        r.world_id,
        r.selected.join(", "),
        r.selected.len(),
        r.strategies.len()
    );
    for s in &r.strategies {
        if report.quiet && !rejected(s) {
            continue;
        }
        let verdict = match s.verdict {
            Verdict::Valid => "valid",
            Verdict::Warn => "warn",
            Verdict::Invalid => "rejected",
            Verdict::Pending => "pending",
        };
        let mut line = format!("  {:<24} {verdict:<8}", s.strategy_id);
        if let Some(rank) = s.rank {
            line.push_str(&format!(" rank {rank}"));
        }
        if let Some(w) = s.weight {
            line.push_str(&format!(" weight {:.1} %", w.0 * 100.0));
        }
        if s.metrics_source == worldgate::schema::MetricSource::Claimed {
            line.push_str(" (claimed metrics)");
        }
        outln!("{line}");
        let checks = checks_of(r, &s.strategy_id);
        let mut shown = 0;
        for c in checks {
            let mark = match c.outcome {
                CheckOutcome::Pass => "ok  ",
                CheckOutcome::Fail => "FAIL",
                CheckOutcome::Warn => "warn",
                CheckOutcome::Skipped => "skip",
            };
            if report.explain || matches!(c.outcome, CheckOutcome::Fail | CheckOutcome::Warn) {
                outln!("    {mark} {}: {}", c.rule, check_text(c));
                shown += 1;
            }
        }
        if shown == 0 && s.verdict != Verdict::Valid {
            for v in &s.violations {
                outln!("    - {}: {}", v.code, v.message);
            }
        }
    }
    for p in written {
        outln!("  wrote {}", p.display());
    }
    for red in &r.redactions {
        outln!("  redacted {} at {}", red.kind.as_str(), red.path);
    }
    if report.explain {
        outln!("  input {}\n  result {}", r.input_digest, r.result_digest);
    }
}

/// A policy file, `-` for stdin, or `preset:<name>`.
pub(super) fn load_policy(spec: &str, dialect: Dialect) -> Result<Policy, Vec<Error>> {
    if spec.starts_with("preset:") {
        return api::policy::compile_spec(PolicySource::Text(spec), dialect);
    }
    let bytes = read_input(Path::new(spec)).map_err(|e| vec![e])?;
    api::policy::compile(PolicySource::Bytes(&bytes), dialect)
}

pub(super) fn policy_check(
    format: Format,
    spec: &str,
    dialect: Dialect,
    against: &[PathBuf],
    custom: &[String],
) -> u8 {
    let policy = match load_policy(spec, dialect) {
        Ok(p) => p,
        Err(errors) => return fail(format, spec, &errors),
    };
    let mut docs = Vec::new();
    if !against.is_empty() {
        let files = match expand(against) {
            Ok(f) => f,
            Err(e) => return fail(format, "--against", &[e]),
        };
        for f in files {
            match read_input(&f).and_then(|b| json::parse(&b, &Limits::default())) {
                Ok(v) => docs.push(v),
                Err(e) => return fail(format, &f.display().to_string(), &[e]),
            }
        }
    }
    let options = worldgate::schema::LintOptions {
        metric_names: None,
        custom: Some(custom.to_vec()),
    };
    let lint = api::policy::lint(&policy, &options, &docs);
    if !lint.ok {
        if format == Format::Human {
            print_errors(spec, &lint.errors);
            print_warnings(spec, &lint.warnings);
        } else {
            print_failure(format, &lint.errors);
        }
        return INVALID;
    }
    match format {
        Format::Human => {
            print_warnings(spec, &lint.warnings);
            outln!(
                "ok {spec} ({}, {})",
                policy.dialect().as_str(),
                policy.ruleset_hash()
            );
        }
        _ => print_success(
            format,
            &serde_json::json!({
                "ruleset_hash": policy.ruleset_hash(),
                "dialect": policy.dialect(),
                "warnings": lint.warnings,
                "policy": policy.to_value(),
            }),
        ),
    }
    OK
}

fn print_warnings(label: &str, warnings: &[Error]) {
    for w in warnings {
        eprintln!("{label}: warning: {w}");
        if let Some(h) = &w.help {
            eprintln!("  help: {h}");
        }
    }
}

/// `worldgate policy verdicts`: the verdicts ([`api::policy::verdicts`]) of the policy `spec`
/// over the evaluation input read from `input`; exit 2 with the errors (and their paths) for a
/// policy or an input that does not hold.
pub(super) fn policy_verdicts(format: Format, spec: &str, input: &Path, dialect: Dialect) -> u8 {
    let policy = match load_policy(spec, dialect) {
        Ok(p) => p,
        Err(errors) => return fail(format, spec, &errors),
    };
    let label = input.display().to_string();
    let value = match read_input(input).and_then(|b| json::parse(&b, &Limits::default())) {
        Ok(v) => v,
        Err(e) => return fail(format, &label, &[e]),
    };
    let evaluation = match worldgate::policy::EvaluationInput::from_owned(value) {
        Ok(i) => i,
        Err(errors) => return fail(format, &label, &errors),
    };
    let verdicts = api::policy::verdicts(&policy, &evaluation).and_then(|text| {
        serde_json::from_str::<serde_json::Value>(&text)
            .map_err(|e| Error::new(Code::Internal, "", format!("cannot read the verdicts: {e}")))
    });
    match verdicts {
        Ok(v) if format == Format::Human => {
            print_json(&v);
            OK
        }
        Ok(v) => {
            print_success(format, &v);
            OK
        }
        Err(e) => fail(format, &label, &[e]),
    }
}

pub(super) fn policy_show(format: Format, spec: &str, dialect: Dialect) -> u8 {
    match load_policy(spec, dialect) {
        Ok(p) => {
            match format {
                Format::Human => {
                    outln!(
                        "# {spec}: {} dialect, {}",
                        p.dialect().as_str(),
                        p.ruleset_hash()
                    );
                    print_json(&p.to_value());
                }
                _ => print_success(format, &p.to_value()),
            }
            OK
        }
        Err(errors) => fail(format, spec, &errors),
    }
}
