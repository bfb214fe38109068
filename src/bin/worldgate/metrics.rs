//! `metrics`: a returns series (JSON or CSV, read by the engine's strict reader
//! `api::returns_input`) in, the metric blocks out.

use super::*;
use worldgate::time::Stamps;

/// The options of `worldgate metrics`.
pub(super) struct MetricsArgs<'a> {
    pub(super) periods_per_year: Option<f64>,
    pub(super) risk_free: Option<f64>,
    pub(super) initial_capital: Option<f64>,
    pub(super) profile: Option<&'a str>,
    pub(super) search_intensity: Option<u64>,
    pub(super) report: bool,
    pub(super) input: worldgate::schema::ReturnsOptions,
}

/// `--risk-free` must be a plausible annual rate as a fraction: |rf| ≤ 1 (4 % is 0.04).
fn check_risk_free(rf: Option<f64>) -> Result<(), Error> {
    match rf {
        Some(x) if !x.is_finite() || x.abs() > 1.0 => Err(Error::new(
            Code::InvalidValue,
            "/risk_free",
            format!(
                "`--risk-free {x}` is not a plausible rate: it is a fraction per year, within -1..1"
            ),
        )
        .with_help(format!(
            "write {} for {x} %",
            if x.is_finite() { x / 100.0 } else { 0.04 }
        ))),
        _ => Ok(()),
    }
}

/// The metrics of a series as JSON: worldgate's blocks, or the v1.5 set with `--profile`. The
/// series' timestamps (a dated CSV's first column) are its time axis (P unless
/// `--periods-per-year` says otherwise); the window is the first and last date as written.
pub(super) fn compute_metrics_value(
    series: &[f64],
    window: Option<String>,
    timestamps: Option<Vec<String>>,
    a: &MetricsArgs,
) -> Result<serde_json::Value, Error> {
    let json = |r: Result<serde_json::Value, serde_json::Error>| {
        r.map_err(|e| Error::new(Code::Internal, "", format!("cannot print: {e}")))
    };
    use api::metrics::MetricsRequest;
    let request = if let Some(profile) = a.profile {
        let d = worldgate::metrics::V15Options::default();
        MetricsRequest::V15(worldgate::metrics::V15Options {
            profile: match profile {
                "qmtl" => worldgate::schema::MetricsProfile::Qmtl,
                _ => worldgate::schema::MetricsProfile::Strict,
            },
            periods_per_year: a.periods_per_year.unwrap_or(d.periods_per_year),
            risk_free: a.risk_free.unwrap_or(d.risk_free),
            search_intensity: a.search_intensity.unwrap_or(d.search_intensity),
            ..d
        })
    } else {
        let d = worldgate::metrics::MetricsOptions::default();
        let opts = worldgate::metrics::MetricsOptions {
            periods_per_year: a.periods_per_year.or(d.periods_per_year),
            risk_free: a.risk_free.unwrap_or(d.risk_free),
            initial_capital: a.initial_capital.unwrap_or(d.initial_capital),
            window,
            ..d
        };
        match a.report {
            true => MetricsRequest::WithReport(opts, worldgate::schema::ReportRequest::default()),
            false => MetricsRequest::Blocks(opts),
        }
    };
    let given = api::metrics::Given {
        timestamps: timestamps.map(Stamps::Rfc3339),
        ..Default::default()
    };
    let m = api::metrics::metrics(series, request, given)?;
    json(serde_json::to_value(&m))
}

pub(super) fn metrics_cmd(format: Format, file: &Path, args: MetricsArgs) -> u8 {
    let label = file.display().to_string();
    if let Err(e) = check_risk_free(args.risk_free) {
        return fail(format, "--risk-free", &[e]);
    }
    let table = match read_input(file)
        .map_err(|e| vec![e])
        .and_then(|b| api::returns_input::read_returns_table(&b, &args.input))
    {
        Ok(t) => t,
        Err(errors) => return fail(format, &label, &errors),
    };
    let v = match compute_metrics_value(
        &table.returns,
        table.window().map(|(a, b)| format!("{a}/{b}")),
        api::returns_input::utc_timestamps(&table),
        &args,
    ) {
        Ok(v) => v,
        Err(e) => return fail(format, &label, &[e]),
    };
    if format == Format::Human {
        for w in &table.warnings {
            let at = w.line.map(|l| format!(" (line {l})")).unwrap_or_default();
            eprintln!("{label}: warning {}{at}: {}", w.code, w.message);
            if let Some(h) = &w.help {
                eprintln!("  help: {h}");
            }
        }
    }
    match format {
        Format::Human => {
            let mut what = format!(
                "input: {} period{}, {} missing",
                table.periods,
                if table.periods == 1 { "" } else { "s" },
                table.missing
            );
            if let Some(c) = &table.column {
                what.push_str(&format!(", column `{c}`"));
            }
            if let Some((a, b)) = table.window() {
                what.push_str(&format!(", {a} .. {b}"));
            }
            outln!("{what}");
            let blocks = ["returns", "pnl", "sample", "robustness", "diagnostics"];
            for block in blocks {
                if let Some(serde_json::Value::Object(map)) = v.get(block) {
                    outln!("{block}:");
                    for (k, x) in map {
                        if x.is_number() || x.is_string() || x.is_null() {
                            outln!("  {k:<28} {x}");
                        }
                    }
                }
            }
            if let Some(r) = v
                .get("report")
                .and_then(|r| serde_json::from_value(r.clone()).ok())
            {
                super::report::human(&r);
            }
        }
        _ => {
            let mut v = v;
            if let (serde_json::Value::Object(m), Ok(input)) =
                (&mut v, serde_json::to_value(&table))
            {
                m.insert("input".into(), input);
            }
            print_success(format, &v);
        }
    }
    OK
}
