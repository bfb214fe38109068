//! The one reader of a returns series that a user hands in (`worldgate metrics`, the
//! package's `readReturns`, document validation): strict, so that no input silently becomes
//! other data.
//!
//! **JSON**: an array of numbers, or an object `{"returns": [...], "timestamps": [...]?}`
//! (each timestamp RFC 3339, `YYYY-MM-DD`, or integer milliseconds since the epoch in the
//! years 0000–9999, kept as its RFC 3339 text; another number is `E_INVALID_VALUE` at
//! `/timestamps/<i>`);
//! `"nan"` is a missing period (as in a bundle's series; `null` is refused there too); the
//! bundle reader's rules otherwise (`E_NOT_FINITE`
//! for infinities, `E_TOO_LARGE` above `max_bytes`).
//!
//! **CSV** (anything that does not start with `[` or `{`):
//! - the delimiter is `options.delimiter`, else the first of `,` `;` tab found on line 1
//!   (`;` or tab only with `decimal_comma`); fields may be double-quoted (`""` escapes a quote);
//! - only line 1 may be a header: it is one when none of its fields is a number or a date.
//!   Every later line is data, so `N/A` on line 2 is an error at line 2, not a header;
//! - every line has as many fields as line 1; a blank line at the end is ignored, elsewhere it
//!   is an empty field;
//! - a first column whose first data field is a date (`YYYY-MM-DD` or RFC 3339) is the
//!   timestamp column: every row must have a date there, and the dates become
//!   [`ReturnsTable::timestamps`];
//! - the value column is `options.column` (header name, or 1-based number); without it, the
//!   only column besides the timestamp column whose first data field is a number (or empty),
//!   else the one named `return` or `returns` (ignoring case); otherwise it is an error that
//!   lists the columns;
//! - a value is a decimal number (decimal comma with `decimal_comma`); `%` is accepted only
//!   with `percent`, which divides every value by 100; an empty field or `nan` is a missing
//!   period (NaN, which the metrics count as they count NaN); `inf` is `E_NOT_FINITE`;
//!   anything else (`N/A`, `1.2.3`) is `E_PARSE`;
//!
//! For both: zero periods with a value is `E_INVALID_VALUE`; a |value| above 1 is accepted
//! with the warning `W_LARGE_RETURN` (prices given as returns?). Every CSV error carries
//! `line` and `column` (the 1-based field number) as fields; at most
//! [`MAX_ERRORS`] errors are reported.

use crate::bundle::{Limits, parse_bundle};
use crate::error::{Code, Error};
use crate::schema::{InputWarning, ReturnsColumn, ReturnsOptions, ReturnsTable};

/// The most errors one read reports.
pub const MAX_ERRORS: usize = 20;

/// Reads a returns series under `options` (see the module documentation for the rules).
///
/// # Errors
/// Every problem found (up to [`MAX_ERRORS`]), each with its code, and for CSV its `line` and
/// `column`: `E_PARSE` (not utf-8, a field that is not a number, a row of the wrong width),
/// `E_NOT_FINITE`, `E_TOO_LARGE`, `E_SCHEMA` (a column or option that does not exist; JSON of
/// the wrong shape), `E_INVALID_VALUE` (no values).
pub fn read_returns_table(
    bytes: &[u8],
    options: &ReturnsOptions,
) -> Result<ReturnsTable, Vec<Error>> {
    let max_bytes = options.max_bytes.unwrap_or(Limits::default().max_bytes);
    if bytes.len() as u64 > max_bytes {
        return Err(vec![
            Error::new(
                Code::TooLarge,
                "",
                format!(
                    "the returns input is {} bytes, over the limit of {max_bytes}",
                    bytes.len()
                ),
            )
            .with_help(
                "raise the limit: `--max-bytes N` on the command line, `max_bytes` in options",
            ),
        ]);
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| vec![Error::new(Code::Parse, "", "the text is not utf-8")])?;
    let text = text.trim_start_matches('\u{feff}');
    let t = text.trim_start();
    let (mut table, lines) = if t.starts_with(['[', '{']) {
        (read_json(t, max_bytes)?, Vec::new())
    } else {
        read_csv(text, options)?
    };
    finish(&mut table, &lines, options.percent)?;
    Ok(table)
}

/// The bare values of [`read_returns_table`] with default options; the first error.
///
/// # Errors
/// The first error [`read_returns_table`] reports.
pub fn read_returns(bytes: &[u8]) -> Result<Vec<f64>, Error> {
    read_returns_table(bytes, &ReturnsOptions::default())
        .map(|t| t.returns)
        .map_err(first)
}

fn first(mut errors: Vec<Error>) -> Error {
    if errors.is_empty() {
        Error::new(Code::Internal, "", "no error reported")
    } else {
        errors.swap_remove(0)
    }
}

/// Counts, warns and refuses an input without values.
fn finish(table: &mut ReturnsTable, lines: &[usize], percent: bool) -> Result<(), Vec<Error>> {
    if percent && table.format == "json" {
        for x in &mut table.returns {
            *x /= 100.0;
        }
    }
    table.periods = table.returns.len() as u64;
    table.missing = table.returns.iter().filter(|x| x.is_nan()).count() as u64;
    if table.missing == table.periods {
        let what = if table.periods == 0 {
            "no returns: the input holds no values".to_string()
        } else {
            format!("no returns: all {} periods are missing", table.periods)
        };
        return Err(vec![Error::new(Code::InvalidValue, "", what).with_help(
            "give one return per period, as a fraction (0.01 for 1 %), one per line or in a json array",
        )]);
    }
    let large: Vec<usize> = table
        .returns
        .iter()
        .enumerate()
        .filter(|(_, x)| x.abs() > 1.0)
        .map(|(i, _)| i)
        .collect();
    if let Some(&i) = large.first() {
        let line = lines.get(i).copied();
        table.warnings.push(InputWarning {
            code: "W_LARGE_RETURN".into(),
            message: format!(
                "{} of {} returns are above 100 % in magnitude (the first is {} at period {})",
                large.len(),
                table.periods,
                crate::json::float::Brief(table.returns.get(i).copied().unwrap_or(f64::NAN)),
                i + 1
            ),
            line: line.map(|l| l as u64),
            help: Some(
                "returns are fractions per period (0.01 for 1 %): are these prices, or percentages (`--percent`)?"
                    .into(),
            ),
        });
    }
    Ok(())
}

/// `v`'s compact JSON text (a `Value` always serializes).
fn json_text(v: &serde_json::Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// A JSON returns input: a bare array, or an object `{"returns", "timestamps"?}`.
fn read_json(t: &str, max_bytes: u64) -> Result<ReturnsTable, Vec<Error>> {
    let limits = Limits {
        max_bytes,
        ..Limits::default()
    };
    let (series_text, base, timestamps) = if t.starts_with('{') {
        let (series_text, timestamps) = json_object(t, &limits)?;
        (series_text, "/returns", timestamps)
    } else {
        (t.to_string(), "", None)
    };
    // Read through the bundle reader, which takes series straight into floats.
    let wrapped = format!(r#"{{"submissions":[{{"returns":{series_text}}}]}}"#);
    let (_, series) = parse_bundle(wrapped.as_bytes(), &limits).map_err(|e| {
        let mut e = e;
        if let Some(rest) = e.path.strip_prefix("/submissions/0/returns") {
            e.path = format!("{base}{rest}");
        } else {
            e.path = base.to_string();
        }
        vec![e]
    })?;
    let returns: Vec<f64> = series
        .into_iter()
        .next()
        .map(|s| s.values.into_iter().map(|x| x.0).collect())
        .unwrap_or_default();
    if let Some(ts) = &timestamps
        && ts.len() != returns.len()
    {
        return Err(vec![Error::new(
            Code::Schema,
            "/timestamps",
            format!(
                "{} timestamps for {} returns: give one per return",
                ts.len(),
                returns.len()
            ),
        )]);
    }
    Ok(ReturnsTable {
        returns,
        format: "json".into(),
        timestamps,
        ..ReturnsTable::default()
    })
}

/// The object form `{"returns": [...], "timestamps": [...]?}`: the `returns` array's JSON
/// text (for the bundle reader) and the timestamps, if given.
///
/// # Errors
/// The JSON reader's errors; `E_SCHEMA` for another value than an object, an unknown key
/// (with a "did you mean"), `returns` missing or not an array (at `/returns`); the
/// timestamps' errors of [`json_timestamps`].
fn json_object(t: &str, limits: &Limits) -> Result<(String, Option<Vec<String>>), Vec<Error>> {
    let v = crate::json::parse(t.as_bytes(), limits).map_err(|e| vec![e])?;
    let serde_json::Value::Object(m) = v else {
        return Err(vec![Error::new(Code::Schema, "", "expected an object")]);
    };
    for k in m.keys() {
        if k != "returns" && k != "timestamps" {
            let mut e = Error::new(
                Code::Schema,
                crate::error::pointer_join("", k),
                format!("unknown field `{k}`: expected `returns` and optional `timestamps`"),
            );
            if let Some(s) = crate::suggest::closest(k, ["returns", "timestamps"]) {
                e = e.with_help(format!("did you mean `{s}`?"));
            }
            return Err(vec![e]);
        }
    }
    let Some(r @ serde_json::Value::Array(_)) = m.get("returns") else {
        return Err(vec![Error::new(
            Code::Schema,
            "/returns",
            "expected `returns`: an array of numbers",
        )]);
    };
    let timestamps = m.get("timestamps").map(json_timestamps).transpose()?;
    // `serde_json::to_string`, not `Value`'s `Display`: the same text through the one
    // serializer the wasm already has (BENCHMARKS.size.md, session 6).
    Ok((json_text(r), timestamps))
}

/// The `timestamps` member: each an RFC 3339 or `YYYY-MM-DD` string, kept as written, or
/// integer epoch milliseconds, written as the instant's RFC 3339 text.
///
/// # Errors
/// `E_SCHEMA` at `/timestamps` (not an array) or `/timestamps/<i>` (neither a timestamp
/// string nor a number); a number that is not a millisecond instant in the years 0000–9999
/// is `E_INVALID_VALUE` at `/timestamps/<i>`.
fn json_timestamps(v: &serde_json::Value) -> Result<Vec<String>, Vec<Error>> {
    let serde_json::Value::Array(a) = v else {
        return Err(vec![Error::new(
            Code::Schema,
            "/timestamps",
            "expected an array of timestamps",
        )]);
    };
    let mut out = Vec::with_capacity(a.len());
    for (i, x) in a.iter().enumerate() {
        let ms = x
            .as_f64()
            .map(|ms| crate::time::from_epoch_ms(ms).ok_or(ms));
        match (x.as_str().filter(|s| is_timestamp(s)), ms) {
            (Some(s), _) => out.push(s.to_string()),
            // Epoch milliseconds, written as the instant's RFC 3339 text.
            (None, Some(Ok(days))) => out.push(crate::time::format(days)),
            (None, Some(Err(ms))) => {
                return Err(vec![crate::time::bad_ms(ms, format!("/timestamps/{i}"))]);
            }
            (None, None) => {
                return Err(vec![Error::new(
                    Code::Schema,
                    format!("/timestamps/{i}"),
                    "expected a timestamp (RFC 3339, YYYY-MM-DD or epoch milliseconds)",
                )]);
            }
        }
    }
    Ok(out)
}

/// A CSV line split into fields (quotes removed, fields trimmed).
fn split(line: &str, delim: Option<char>) -> Vec<String> {
    let Some(d) = delim else {
        return vec![unquote(line.trim())];
    };
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == '"' && cur.trim().is_empty() {
            cur.clear();
            quoted = true;
        } else if c == d {
            out.push(cur.trim().to_string());
            cur.clear();
        } else {
            cur.push(c);
        }
    }
    out.push(cur.trim().to_string());
    out
}

fn unquote(s: &str) -> String {
    match s.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => s.to_string(),
    }
}

/// A field's value: `Ok(None)` for a missing period.
fn value(field: &str, o: &ReturnsOptions) -> Result<Option<f64>, (Code, String, Option<String>)> {
    let mut s = field;
    if s.is_empty() || s.eq_ignore_ascii_case("nan") {
        return Ok(None);
    }
    if let Some(x) = s.strip_suffix('%') {
        if !o.percent {
            return Err((
                Code::Parse,
                format!("`{field}` is a percentage"),
                Some("pass `--percent` (option `percent`) to read percentages, or write fractions (0.012 for 1.2 %)".into()),
            ));
        }
        s = x.trim_end();
    }
    let lower = s.trim_start_matches(['+', '-']).to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Err((
            Code::NotFinite,
            format!("`{field}` is not a finite number"),
            Some("returns must be finite; leave the field empty for a missing period".into()),
        ));
    }
    let owned;
    if o.decimal_comma {
        if s.contains('.') {
            return Err((
                Code::Parse,
                format!("`{field}` has a decimal point, but the input uses decimal commas"),
                Some("write numbers as `0,0123` without thousands separators".into()),
            ));
        }
        owned = s.replace(',', ".");
        s = &owned;
    }
    let ok = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
    match s.parse::<f64>() {
        Ok(x) if ok && x.is_finite() => Ok(Some(if o.percent { x / 100.0 } else { x })),
        Ok(_) if ok => Err((
            Code::NotFinite,
            format!("`{field}` is not a finite number"),
            None,
        )),
        _ => {
            let help = if !o.decimal_comma && s.contains(',') {
                "a decimal comma? pass `--decimal-comma` (option `decimal_comma`) and a `;` or tab delimiter"
            } else if matches!(
                lower.as_str(),
                "n/a" | "na" | "null" | "none" | "-" | "#n/a"
            ) {
                "leave the field empty (or write `nan`) for a missing period"
            } else {
                "write a decimal number such as `0.0123` or `-1.5e-3`"
            };
            Err((
                Code::Parse,
                format!("`{}` is not a number", field.escape_debug()),
                Some(help.into()),
            ))
        }
    }
}

/// The table of a CSV and the line of each value.
fn read_csv(text: &str, o: &ReturnsOptions) -> Result<(ReturnsTable, Vec<usize>), Vec<Error>> {
    let lines = csv_lines(text);
    let Some(first) = lines.first() else {
        let empty = ReturnsTable {
            format: "csv".into(),
            ..ReturnsTable::default()
        };
        return Ok((empty, Vec::new()));
    };
    let delim = delimiter(first, o)?;
    let header_fields = split(first, delim);
    let width = header_fields.len();
    let has_header = is_header(&header_fields, o);
    let header = has_header.then_some(header_fields);
    let data_start = usize::from(has_header);
    // The timestamp column: the first column when its first data field is a date.
    let first_data = lines.get(data_start).map(|l| split(l, delim));
    let dated = width > 1
        && first_data
            .as_ref()
            .and_then(|f| f.first())
            .is_some_and(|f| is_timestamp(f));
    let cols = column_names(header.as_deref(), width);
    let col = match &o.column {
        Some(ReturnsColumn::Index(n)) => column_by_number(*n, &cols)?,
        Some(ReturnsColumn::Name(name)) => column_by_name(name, header.as_deref(), &cols)?,
        None => {
            let first = first_data.as_deref().unwrap_or_default();
            guessed_column(first, dated, header.as_deref(), &cols, o)?
        }
    };
    let rows = CsvLayout {
        delim,
        width,
        col,
        dated,
    };
    let (returns, stamps, line_of) = read_rows(&lines, data_start, &rows, o)?;
    let table = ReturnsTable {
        returns,
        format: "csv".into(),
        column: (header.is_some() || width > 1).then(|| cols.get(col).cloned().unwrap_or_default()),
        timestamps: stamps,
        ..ReturnsTable::default()
    };
    Ok((table, line_of))
}

/// The lines of `text` (`\n` or `\r\n`), without the blank lines at the end (a blank line
/// elsewhere stays: it is a row with one empty field).
fn csv_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines
}

/// The field delimiter: `options.delimiter` (one character, `t`, `\t` or `tab` for a tab),
/// else the first of `,` `;` tab on line 1 (`;` or tab only with `decimal_comma`); `None`
/// when line 1 has none (one column).
///
/// # Errors
/// `E_SCHEMA` at `/delimiter`: a delimiter of more than one character, or `,` with
/// `decimal_comma`.
fn delimiter(first: &str, o: &ReturnsOptions) -> Result<Option<char>, Vec<Error>> {
    let Some(d) = &o.delimiter else {
        let cands: &[char] = if o.decimal_comma {
            &[';', '\t']
        } else {
            &[',', ';', '\t']
        };
        return Ok(first.chars().find(|c| cands.contains(c)));
    };
    let mut cs = d.chars();
    let c = match (cs.next(), cs.next()) {
        (Some('t'), None) if d == "t" => '\t',
        (Some(c), None) => c,
        _ if d == "\\t" || d.eq_ignore_ascii_case("tab") => '\t',
        _ => {
            return Err(vec![
                Error::new(
                    Code::Schema,
                    "/delimiter",
                    format!("the delimiter `{d}` is not one character"),
                )
                .with_help("use `,`, `;` or `tab`"),
            ]);
        }
    };
    if o.decimal_comma && c == ',' {
        return Err(vec![
            Error::new(
                Code::Schema,
                "/delimiter",
                "a `,` delimiter cannot go with decimal commas",
            )
            .with_help("use `;` or tab between fields"),
        ]);
    }
    Ok(Some(c))
}

/// Whether line 1's `fields` are a header: none of them is a number, a date, or what looks
/// like a number (`1.2%`, `0,5`). Empty fields do not decide.
fn is_header(fields: &[String], o: &ReturnsOptions) -> bool {
    let is_data = |f: &str| {
        f.is_empty()
            || is_timestamp(f)
            || value(f, o).is_ok()
            || f.trim_start_matches(['+', '-'])
                .starts_with(|c: char| c.is_ascii_digit() || c == '.')
    };
    !fields.iter().any(|f| !f.is_empty() && is_data(f))
}

/// The `width` columns' names for messages: the header's, or `column N` (1-based) where
/// there is no header or its field is empty.
fn column_names(header: Option<&[String]>, width: usize) -> Vec<String> {
    (0..width)
        .map(|i| match header.and_then(|h| h.get(i)) {
            Some(n) if !n.is_empty() => n.clone(),
            _ => format!("column {}", i + 1),
        })
        .collect()
}

/// The 0-based index of the column `--column N` picks (1-based `n`).
///
/// # Errors
/// `E_SCHEMA` at `/column`, line 1: `n` is 0 or above the number of columns.
fn column_by_number(n: u32, cols: &[String]) -> Result<usize, Vec<Error>> {
    let n = n as usize;
    let width = cols.len();
    if n == 0 || n > width {
        return Err(vec![
            Error::new(
                Code::Schema,
                "/column",
                format!(
                    "there is no column {n}: the csv has {width} ({})",
                    cols.join(", ")
                ),
            )
            .at_line(1, None),
        ]);
    }
    Ok(n - 1)
}

/// The index of the header column named `name` (exactly, else ignoring case).
///
/// # Errors
/// `E_SCHEMA` at `/column`, line 1: the csv has no header, or no column of that name (with
/// a "did you mean" when one is close).
fn column_by_name(
    name: &str,
    header: Option<&[String]>,
    cols: &[String],
) -> Result<usize, Vec<Error>> {
    let Some(h) = header else {
        return Err(vec![
            Error::new(
                Code::Schema,
                "/column",
                format!("there is no column `{name}`: the csv has no header line"),
            )
            .at_line(1, None)
            .with_help("pick the column by number, e.g. `--column 2`"),
        ]);
    };
    if let Some(i) = h
        .iter()
        .position(|c| c == name)
        .or_else(|| h.iter().position(|c| c.eq_ignore_ascii_case(name)))
    {
        return Ok(i);
    }
    let mut e = Error::new(
        Code::Schema,
        "/column",
        format!(
            "there is no column `{name}`: the columns are {}",
            cols.join(", ")
        ),
    )
    .at_line(1, None);
    if let Some(s) = crate::suggest::closest(name, h.iter().map(String::as_str)) {
        e = e.with_help(format!("did you mean `{s}`?"));
    }
    Err(vec![e])
}

/// The value column without `--column`: the only column (besides the timestamp column)
/// whose first data field (`first_data`, empty without data rows) is a number or empty,
/// else the one header column named `return` or `returns` (ignoring case). Labels such as
/// `d0` or a ticker are not candidates — unless no column is a number (then the value
/// errors say where).
///
/// # Errors
/// `E_SCHEMA` at `/column`, line 1, listing the columns: no single column qualifies.
fn guessed_column(
    first_data: &[String],
    dated: bool,
    header: Option<&[String]>,
    cols: &[String],
    o: &ReturnsOptions,
) -> Result<usize, Vec<Error>> {
    let width = cols.len();
    let all: Vec<usize> = (usize::from(dated)..width).collect();
    let numeric: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| {
            first_data
                .get(i)
                .is_none_or(|f| f.is_empty() || value(f, o).is_ok())
        })
        .collect();
    let value_cols = if numeric.is_empty() { all } else { numeric };
    let named = header.and_then(|h| {
        let found: Vec<usize> = h
            .iter()
            .enumerate()
            .filter(|(_, n)| n.eq_ignore_ascii_case("return") || n.eq_ignore_ascii_case("returns"))
            .map(|(i, _)| i)
            .collect();
        match found.as_slice() {
            [i] => Some(*i),
            _ => None,
        }
    });
    match (value_cols.as_slice(), named) {
        ([i], _) => Ok(*i),
        (_, Some(i)) => Ok(i),
        _ => Err(vec![
            Error::new(
                Code::Schema,
                "/column",
                format!(
                    "the csv has {width} columns ({}): which one holds the returns?",
                    cols.join(", ")
                ),
            )
            .at_line(1, None)
            .with_help("pick it with `--column NAME|N` (option `column`), or name it `return`"),
        ]),
    }
}

/// How the data rows of a CSV are read.
struct CsvLayout {
    delim: Option<char>,
    /// Fields per line (line 1's).
    width: usize,
    /// The 0-based value column.
    col: usize,
    /// Whether column 1 holds the timestamps.
    dated: bool,
}

/// What [`read_rows`] reads: the values, the timestamps (with a timestamp column), the line
/// of each value.
type Rows = (Vec<f64>, Option<Vec<String>>, Vec<usize>);

/// The values of the data rows (`lines` from index `data_start`), the timestamps when
/// `layout.dated`, and the 1-based line of each value.
///
/// # Errors
/// Up to [`MAX_ERRORS`] errors, each at its line (and column): `E_PARSE` for a row of the
/// wrong width or a timestamp field that is not a date, the value's own error otherwise.
fn read_rows(
    lines: &[&str],
    data_start: usize,
    layout: &CsvLayout,
    o: &ReturnsOptions,
) -> Result<Rows, Vec<Error>> {
    let &CsvLayout {
        delim,
        width,
        col,
        dated,
    } = layout;
    let mut returns = Vec::with_capacity(lines.len());
    let mut stamps = dated.then(|| Vec::with_capacity(lines.len()));
    let mut line_of = Vec::with_capacity(lines.len());
    let mut errors = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(data_start) {
        if errors.len() >= MAX_ERRORS {
            break;
        }
        let n = i + 1;
        let fields = split(line, delim);
        if fields.len() != width {
            errors.push(width_error(n, line, fields.len(), width, delim, o));
            continue;
        }
        if let Some(ts) = stamps.as_mut() {
            let f = fields.first().map(String::as_str).unwrap_or_default();
            if is_timestamp(f) {
                ts.push(f.to_string());
            } else {
                errors.push(
                    Error::new(
                        Code::Parse,
                        "",
                        format!(
                            "`{}` is not a date (RFC 3339 or YYYY-MM-DD)",
                            f.escape_debug()
                        ),
                    )
                    .at_line(n, Some(1)),
                );
                continue;
            }
        }
        let field = fields.get(col).map(String::as_str).unwrap_or_default();
        match value(field, o) {
            Ok(x) => {
                returns.push(x.unwrap_or(f64::NAN));
                line_of.push(n);
            }
            Err((code, message, help)) => {
                let mut e = Error::new(code, "", message).at_line(n, Some(col + 1));
                e.help = help;
                errors.push(e);
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((returns, stamps, line_of))
}

/// `E_PARSE` at line `n`: the line has `got` fields where line 1 has `width`; with a help
/// when a `,`-split line holds a `;` (a `;`-separated file with decimal commas).
fn width_error(
    n: usize,
    line: &str,
    got: usize,
    width: usize,
    delim: Option<char>,
    o: &ReturnsOptions,
) -> Error {
    let e = Error::new(
        Code::Parse,
        "",
        format!(
            "line {n} has {got} field{}, line 1 has {width}",
            if got == 1 { "" } else { "s" }
        ),
    )
    .at_line(n, None);
    if !o.decimal_comma && delim == Some(',') && line.contains(';') {
        e.with_help(
            "a `;`-separated file with decimal commas? pass `--delimiter ';' --decimal-comma`",
        )
    } else {
        e
    }
}

/// Whether `s` is a date `YYYY-MM-DD` or an RFC 3339 date-time
/// (`YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, `T` or a space, `t`/`z` in lower case too),
/// with month, day, hour, minute and second in range (second 60 allowed for a leap second).
/// The table's timestamps as the engine's time axis takes them (RFC 3339 UTC): a bare date
/// `YYYY-MM-DD` is that day's midnight UTC; others are kept as written (the engine reports any it
/// cannot read, at `/timestamps/<i>`).
pub fn utc_timestamps(table: &ReturnsTable) -> Option<Vec<String>> {
    let ts = table.timestamps.as_ref()?;
    Some(
        ts.iter()
            .map(|t| match t.len() {
                10 => format!("{t}T00:00:00Z"),
                _ => t.clone(),
            })
            .collect(),
    )
}

/// Whether `s` reads as a date (`YYYY-MM-DD`) or an RFC 3339 timestamp.
pub fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
            .then(|| {
                b.get(r)
                    .unwrap_or_default()
                    .iter()
                    .fold(0u32, |a, d| a * 10 + u32::from(d - b'0'))
            })
    };
    let date = || -> Option<()> {
        digits(0..4)?;
        let m = digits(5..7)?;
        let d = digits(8..10)?;
        (b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-')).then_some(())?;
        ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some(())
    };
    if date().is_none() {
        return false;
    }
    if b.len() == 10 {
        return true;
    }
    let time = || -> Option<()> {
        matches!(b.get(10)?, b'T' | b't' | b' ').then_some(())?;
        let (h, mi, sec) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
        (b.get(13) == Some(&b':') && b.get(16) == Some(&b':')).then_some(())?;
        (h < 24 && mi < 60 && sec <= 60).then_some(())?;
        let mut i = 19;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            (i > start).then_some(())?;
        }
        match b.get(i)? {
            b'Z' | b'z' => (i + 1 == b.len()).then_some(()),
            b'+' | b'-' => {
                let (oh, om) = (digits(i + 1..i + 3)?, digits(i + 4..i + 6)?);
                (b.get(i + 3) == Some(&b':') && i + 6 == b.len() && oh < 24 && om < 60)
                    .then_some(())
            }
            _ => None,
        }
    };
    time().is_some()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn read(text: &str, o: &ReturnsOptions) -> Result<ReturnsTable, Vec<Error>> {
        read_returns_table(text.as_bytes(), o)
    }

    #[test]
    fn timestamps() {
        for ok in [
            "2024-01-02",
            "2024-01-02T10:00:00Z",
            "2024-01-02T10:00:00.123+01:00",
            "2024-01-02 10:00:00z",
        ] {
            assert!(is_timestamp(ok), "{ok}");
        }
        for bad in [
            "yesterday",
            "2024-13-01",
            "2024-01-02T25:00:00Z",
            "2024-01-02T10:00:00",
            "2024-1-2",
            "0.01",
        ] {
            assert!(!is_timestamp(bad), "{bad}");
        }
    }

    #[test]
    fn a_dated_csv_keeps_its_dates() {
        let t = read(
            "date,ret\n2024-01-02,0.01\n2024-01-03,\n",
            &ReturnsOptions::default(),
        )
        .unwrap();
        assert_eq!(t.returns.len(), 2);
        assert!(t.returns[1].is_nan());
        assert_eq!((t.periods, t.missing), (2, 1));
        assert_eq!(t.window(), Some(("2024-01-02", "2024-01-03")));
        assert_eq!(t.column.as_deref(), Some("ret"));
    }

    #[test]
    fn label_columns_are_not_candidates() {
        let t = read("date,r\nd0,0.01\nd1,-0.02\n", &ReturnsOptions::default()).unwrap();
        assert_eq!(t.returns, vec![0.01, -0.02]);
        assert_eq!(t.timestamps, None);
        let e = read("date,a,b\n2024-01-01,0.1,0.2\n", &ReturnsOptions::default()).unwrap_err();
        assert_eq!(e[0].path, "/column");
    }

    #[test]
    fn percent_and_decimal_comma() {
        let o = ReturnsOptions {
            percent: true,
            ..Default::default()
        };
        assert_eq!(read("1.5%\n-2\n", &o).unwrap().returns, vec![0.015, -0.02]);
        let o = ReturnsOptions {
            decimal_comma: true,
            ..Default::default()
        };
        let t = read("2022-01-03;0,0123\n2022-01-04;-0,5\n", &o).unwrap();
        assert_eq!(t.returns, vec![0.0123, -0.5]);
    }

    #[test]
    fn errors_name_their_line_and_column() {
        let e = read("r\n0.1\nN/A\n", &ReturnsOptions::default()).unwrap_err();
        assert_eq!((e[0].line, e[0].column), (Some(3), Some(1)));
        let e = read("0.1\n0.2\ninf\n", &ReturnsOptions::default()).unwrap_err();
        assert_eq!((e[0].code, e[0].line), (Code::NotFinite, Some(3)));
        // one column that is not a number: the value's error, not a column question
        let e = read("1.2%\n", &ReturnsOptions::default()).unwrap_err();
        assert_eq!((e[0].code, e[0].line), (Code::Parse, Some(1)));
        let e = read("a,b,c\n1,2,3\n", &ReturnsOptions::default()).unwrap_err();
        assert!(e[0].message.contains("a, b, c"), "{}", e[0].message);
    }
}
