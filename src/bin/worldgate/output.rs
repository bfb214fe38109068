//! Streaming output for commands over many files (`gate`, `validate`): one item per file as it
//! is done, in constant memory, in each machine format.
//!
//! - `json`: one `Answer` envelope, `{"type":"success","value":{"files":[…],"summary":{…}}}`,
//!   written item by item (each file's item on its own line);
//! - `ndjson`: one line per file, then `{"type":"summary",…}`;
//! - `sarif`: a SARIF 2.1.0 log with one run, a result per problem;
//! - `github`: workflow commands (`::error file=…::…`), then the summary as plain text.
//!
//! Human output is printed by each command itself.

use super::*;

/// A stream of per-file items in a machine format.
pub(super) struct Stream {
    format: Format,
    items: usize,
    results: usize,
}

impl Stream {
    /// Starts the document (json: the envelope's head; sarif: the log's head).
    pub(super) fn begin(format: Format) -> Self {
        match format {
            Format::Json => out!("{{\"type\":\"success\",\"value\":{{\"files\":["),
            Format::Sarif => out!(
                "{{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\
                 \"runs\":[{{\"tool\":{{\"driver\":{{\"name\":\"worldgate\",\"version\":{},\
                 \"informationUri\":\"https://example.invalid/worldgate\"}}}},\"results\":[",
                json_str(env!("CARGO_PKG_VERSION"))
            ),
            _ => {}
        }
        Stream {
            format,
            items: 0,
            results: 0,
        }
    }

    /// One file's item (json, ndjson).
    pub(super) fn item<T: Serialize>(&mut self, item: &T) {
        let text = match serde_json::to_string(item) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot print json: {e}");
                return;
            }
        };
        match self.format {
            Format::Json => {
                let sep = if self.items == 0 { "\n" } else { ",\n" };
                out!("{sep}{text}");
            }
            Format::Ndjson => outln!("{text}"),
            _ => {}
        }
        self.items += 1;
    }

    /// One problem (sarif: a result; github: a workflow command).
    pub(super) fn problem(&mut self, p: &Problem<'_>) {
        match self.format {
            Format::Sarif => {
                let mut region = String::new();
                if let Some(l) = p.line {
                    region = format!(",\"region\":{{\"startLine\":{l}");
                    if let Some(c) = p.column {
                        region.push_str(&format!(",\"startColumn\":{c}"));
                    }
                    region.push('}');
                }
                let sep = if self.results == 0 { "" } else { "," };
                outln!(
                    "{sep}{{\"ruleId\":{},\"level\":\"{}\",\"message\":{{\"text\":{}}},\
                     \"locations\":[{{\"physicalLocation\":{{\"artifactLocation\":{{\"uri\":{}}}{region}}}}}]}}",
                    json_str(p.rule),
                    if p.error { "error" } else { "warning" },
                    json_str(&p.message),
                    json_str(&uri(p.file))
                );
            }
            Format::Github => {
                let mut props = format!("file={}", gh_prop(p.file));
                if let Some(l) = p.line {
                    props.push_str(&format!(",line={l}"));
                }
                if let Some(c) = p.column {
                    props.push_str(&format!(",col={c}"));
                }
                props.push_str(&format!(",title={}", gh_prop(p.title)));
                outln!(
                    "::{} {props}::{}",
                    if p.error { "error" } else { "warning" },
                    gh_data(&p.message)
                );
            }
            _ => {}
        }
        self.results += 1;
    }

    /// Ends the document with the summary (`human_summary` is the github format's last line).
    pub(super) fn end<T: Serialize>(self, summary: &T, human_summary: &str) {
        let text = serde_json::to_string(summary).unwrap_or_else(|_| "{}".into());
        match self.format {
            Format::Json => outln!("\n],\"summary\":{text}}}}}"),
            Format::Ndjson => {
                let body = text.strip_prefix('{').unwrap_or("}");
                let sep = if body == "}" { "" } else { "," };
                outln!("{{\"type\":\"summary\"{sep}{body}");
            }
            Format::Sarif => outln!("]}}]}}"),
            Format::Github => outln!("{human_summary}"),
            Format::Human => {}
        }
    }
}

/// One problem for sarif / github.
pub(super) struct Problem<'a> {
    pub(super) file: &'a str,
    /// SARIF `ruleId`: an error code (`E_SCHEMA`) or a rule (`thresholds.sharpe`).
    pub(super) rule: &'a str,
    /// GitHub annotation title.
    pub(super) title: &'a str,
    pub(super) message: String,
    pub(super) error: bool,
    pub(super) line: Option<u64>,
    pub(super) column: Option<u64>,
}

impl<'a> Problem<'a> {
    /// The problem of an input error.
    pub(super) fn of_error(file: &'a str, title: &'a str, e: &'a Error) -> Self {
        let mut message = e.to_string();
        if let Some(h) = &e.help {
            message.push_str(&format!(" (help: {h})"));
        }
        Problem {
            file,
            rule: e.code.as_str(),
            title,
            message,
            error: true,
            line: e.line,
            column: e.column,
        }
    }
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A file path as a SARIF artifact URI (relative paths stay relative; `\` becomes `/`).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.replace('\\', "/").chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            c => out.push(c),
        }
    }
    out
}

/// GitHub workflow-command message escaping.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub workflow-command property escaping.
fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}
