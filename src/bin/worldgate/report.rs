//! `report`: a returns series (JSON or CSV, read as `metrics` reads it) in, the quant's report
//! (`distribution`, `drawdowns`, `rolling`, `relative`) out.

use super::*;
use worldgate::schema::{Num, Report, ReportOptions};

/// `worldgate report FILE [--benchmark FILE] [--windows 63,126,252] [--top N]`.
#[derive(clap::Args)]
pub(super) struct ReportArgs {
    /// The series file (a JSON array, `{"returns": [...]}`, or CSV read as `metrics` reads it),
    /// or `-` for stdin.
    file: PathBuf,
    /// The benchmark's returns (same formats, one per return, matched by position).
    #[arg(long)]
    benchmark: Option<PathBuf>,
    /// Rolling windows in periods, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "63,126,252")]
    windows: Vec<u32>,
    /// How many drawdown episodes to list, deepest first.
    #[arg(long, default_value_t = 10)]
    top: u32,
    /// Periods per year (252 daily, 52 weekly, 12 monthly).
    #[arg(long)]
    periods_per_year: Option<f64>,
    /// Risk-free rate per year.
    #[arg(long)]
    risk_free: Option<f64>,
}

/// A returns series read as `metrics` reads it (the engine's strict reader, default options).
fn read_table(path: &Path) -> Result<worldgate::schema::ReturnsTable, Error> {
    let bytes = read_input(path)?;
    api::returns_input::read_returns_table(&bytes, &Default::default()).map_err(|errors| {
        errors
            .into_iter()
            .next()
            .unwrap_or_else(|| Error::new(Code::Internal, "", "no returns"))
    })
}

fn compute(a: &ReportArgs) -> Result<Report, Error> {
    let table = read_table(&a.file)?;
    let benchmark = match &a.benchmark {
        Some(path) => Some(read_table(path).map_err(|mut e| {
            e.message = format!("benchmark `{}`: {}", path.display(), e.message);
            e
        })?),
        None => None,
    };
    let d = ReportOptions::default();
    let opts = ReportOptions {
        periods_per_year: a.periods_per_year.unwrap_or(d.periods_per_year),
        risk_free: a.risk_free.unwrap_or(d.risk_free),
        rolling_windows: a.windows.clone(),
        top_drawdowns: a.top,
        // Dated series (a CSV's date column) are matched by date and give the calendar block.
        timestamps: api::returns_input::utc_timestamps(&table),
        benchmark_timestamps: benchmark
            .as_ref()
            .and_then(api::returns_input::utc_timestamps)
            .filter(|_| table.timestamps.is_some()),
        benchmark: benchmark.map(|b| b.returns.into_iter().map(|x| Some(Num(x))).collect()),
        ..d
    };
    api::report::report(&table.returns, &opts)
}

/// A number for people: `null` as `-`, six decimals (whole numbers without).
fn show(v: Option<Num>) -> String {
    match v {
        None => "-".to_string(),
        Some(n) if !n.get().is_finite() => {
            json::non_finite_str(n.get()).unwrap_or("nan").to_string()
        }
        // Counts (and other whole numbers) without decimals.
        Some(n) if n.get().fract() == 0.0 && n.get().abs() < 1e15 => format!("{}", n.get()),
        Some(n) => format!("{:.6}", n.get()),
    }
}

fn rows(title: &str, items: &[(&str, Option<Num>)], reasons: &indexmap::IndexMap<String, String>) {
    println!("{title}:");
    for (name, v) in items {
        match (v, reasons.get(*name)) {
            (None, Some(why)) => println!("  {name:<28} -  ({why})"),
            _ => println!("  {name:<28} {}", show(*v)),
        }
    }
}

/// The report in the human format: the distribution, the drawdowns, the last value of each
/// rolling series, the relative block and the benchmark's (with a benchmark), the calendar
/// (with timestamps). A null value shows its reason.
pub(super) fn human(r: &Report) {
    distribution(&r.distribution);
    drawdowns(&r.drawdowns);
    rolling(&r.rolling);
    if let Some(rel) = &r.relative {
        relative(rel, r.conventions.alignment.as_deref());
    }
    if let Some(c) = &r.calendar {
        calendar(c);
    }
}

/// The distribution block's rows.
fn distribution(d: &worldgate::schema::DistributionMetrics) {
    let count = |v: Option<u64>| v.map(|x| Num(x as f64));
    rows(
        "distribution",
        &[
            ("skewness", d.skewness),
            ("skewness_population", d.skewness_population),
            ("excess_kurtosis", d.excess_kurtosis),
            ("excess_kurtosis_population", d.excess_kurtosis_population),
            ("best", d.best),
            ("worst", d.worst),
            ("mean_win", d.mean_win),
            ("mean_loss", d.mean_loss),
            ("payoff_ratio", d.payoff_ratio),
            ("omega", d.omega),
            ("tail_ratio", d.tail_ratio),
            ("kelly", d.kelly),
            ("max_consecutive_wins", count(d.max_consecutive_wins)),
            ("max_consecutive_losses", count(d.max_consecutive_losses)),
            ("ulcer_index", d.ulcer_index),
            ("ulcer_performance_index", d.ulcer_performance_index),
            ("recovery_factor", d.recovery_factor),
            ("common_sense_ratio", d.common_sense_ratio),
        ],
        &d.reasons,
    );
}

/// The drawdowns' summary line and their episodes (dated when the series has timestamps).
fn drawdowns(dd: &worldgate::schema::DrawdownReport) {
    println!(
        "drawdowns: {} episodes, average depth {}, average length {} periods",
        dd.count,
        show(dd.average_depth),
        show(dd.average_length)
    );
    if dd.episodes.iter().any(|e| e.peak_at.is_some()) {
        dated_episodes(&dd.episodes);
    } else {
        numbered_episodes(&dd.episodes);
    }
}

/// The last value of each rolling window's series, or why the window has none.
fn rolling(rolling: &worldgate::schema::RollingReport) {
    println!("rolling (last value of each series):");
    for w in &rolling.windows {
        let last = |s: &[Option<Num>]| show(s.last().copied().flatten());
        match &w.reason {
            Some(why) => println!("  window {:<6} -  ({why})", w.window),
            None => println!(
                "  window {:<6} sharpe {}  volatility {}  sortino {}",
                w.window,
                last(&w.sharpe),
                last(&w.volatility),
                last(&w.sortino)
            ),
        }
    }
}

/// The relative block's rows (titled with the `alignment`, positional when absent) and the
/// benchmark's own.
fn relative(rel: &worldgate::schema::RelativeMetrics, alignment: Option<&str>) {
    rows(
        &format!("relative ({})", alignment.unwrap_or("positional")),
        &[
            ("beta", rel.beta),
            ("alpha", rel.alpha),
            ("correlation", rel.correlation),
            ("r_squared", rel.r_squared),
            ("tracking_error", rel.tracking_error),
            ("information_ratio", rel.information_ratio),
            ("up_capture", rel.up_capture),
            ("down_capture", rel.down_capture),
        ],
        &rel.reasons,
    );
    let b = &rel.benchmark;
    rows(
        "benchmark",
        &[
            ("sharpe", b.sharpe),
            ("volatility", b.volatility),
            ("cagr", b.cagr),
            ("max_drawdown", b.max_drawdown),
        ],
        &b.reasons,
    );
}

/// The calendar block: trailing returns, then the compounded return of each year and month.
fn calendar(c: &worldgate::schema::Calendar) {
    rows(
        &format!("calendar (as of {})", c.as_of.as_deref().unwrap_or("-")),
        &[
            ("mtd", c.mtd),
            ("three_months", c.three_months),
            ("six_months", c.six_months),
            ("ytd", c.ytd),
            ("one_year", c.one_year),
            ("three_years_annualised", c.three_years_annualised),
            ("five_years_annualised", c.five_years_annualised),
            ("all_time", c.all_time),
            ("positive_months", c.positive_months),
            ("positive_years", c.positive_years),
        ],
        &c.reasons,
    );
    for (title, periods) in [("years", &c.years), ("months", &c.months)] {
        println!("  {title}:");
        for p in periods.iter() {
            println!(
                "    {:<8} {:>12}  ({} periods)",
                p.period,
                show(Some(p.ret)),
                p.periods
            );
        }
    }
}

pub(super) fn report_cmd(format: Format, args: &ReportArgs) -> u8 {
    match compute(args) {
        Ok(r) if format == Format::Human => {
            human(&r);
            OK
        }
        Ok(r) => {
            print_success(format, &r);
            OK
        }
        Err(e) => fail(format, &args.file.display().to_string(), &[e]),
    }
}

/// The episodes by period number (an undated series).
fn numbered_episodes(episodes: &[worldgate::schema::DrawdownEpisode]) {
    if !episodes.is_empty() {
        println!(
            "  {:>10} {:>10} {:>10} {:>12} {:>8} {:>9}",
            "start", "trough", "end", "depth", "length", "recovery"
        );
    }
    let opt = |v: Option<u64>| v.map_or("open".to_string(), |x| x.to_string());
    for e in episodes {
        println!(
            "  {:>10} {:>10} {:>10} {:>12.6} {:>8} {:>9}",
            e.start,
            e.trough,
            opt(e.end),
            e.depth.get(),
            e.length,
            e.recovery.map_or("-".to_string(), |x| x.to_string())
        );
    }
}

/// The episodes by date (a dated series): the peak, the trough and the recovery (`open` while
/// under water), the depth, and the length in periods and in days.
fn dated_episodes(episodes: &[worldgate::schema::DrawdownEpisode]) {
    println!(
        "  {:>20} {:>20} {:>20} {:>12} {:>8} {:>8}",
        "peak", "trough", "recovered", "depth", "periods", "days"
    );
    let date = |s: &Option<String>| s.as_deref().map_or("open".to_string(), short_instant);
    for e in episodes {
        println!(
            "  {:>20} {:>20} {:>20} {:>12.6} {:>8} {:>8}",
            date(&e.peak_at),
            date(&e.trough_at),
            date(&e.end_at),
            e.depth.get(),
            e.length,
            e.length_days
                .map_or("-".to_string(), |d| d.get().to_string())
        );
    }
}

/// An RFC 3339 instant as printed: its date alone at midnight UTC, else as written.
fn short_instant(s: &str) -> String {
    match s.strip_suffix("T00:00:00Z") {
        Some(date) => date.to_string(),
        None => s.to_string(),
    }
}
