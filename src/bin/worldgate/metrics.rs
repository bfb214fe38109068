//! `metrics`: a returns series (JSON or CSV) in, the metric blocks out.

use super::*;

/// A returns series from JSON (`[...]` or `{"returns": [...]}`) or CSV (last column; lines
/// whose last field is not a number, such as a header, are skipped).
pub(super) fn read_series(bytes: &[u8]) -> Result<Vec<f64>, Error> {
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
pub(super) struct MetricsArgs<'a> {
    pub(super) periods_per_year: Option<f64>,
    pub(super) risk_free: Option<f64>,
    pub(super) initial_capital: Option<f64>,
    pub(super) profile: Option<&'a str>,
    pub(super) search_intensity: Option<u64>,
}

/// The metrics of a series as JSON: worldgate's blocks, or the v1.5 set with `--profile`.
pub(super) fn compute_metrics_value(
    series: &[f64],
    a: &MetricsArgs,
) -> Result<serde_json::Value, Error> {
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
        periods_per_year: a.periods_per_year.or(d.periods_per_year),
        risk_free: a.risk_free.unwrap_or(d.risk_free),
        initial_capital: a.initial_capital.unwrap_or(d.initial_capital),
        ..d
    };
    json(serde_json::to_value(&worldgate::metrics::compute(
        series, &opts,
    )?))
}

pub(super) fn metrics_cmd(format: Format, file: &Path, args: MetricsArgs) -> u8 {
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
