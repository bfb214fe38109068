//! `worldgate submit` and `worldgate status`: the edge's native API over HTTP (ureq). Only the
//! transport lives here; the rules (which states end a wait, run selectors, paths, the retry
//! backoff) are the engine's (`worldgate::api::runs`).

use super::{
    Format, INVALID, OK, REJECTED, RemoteArgs, UNAVAILABLE, print_failure, print_success,
    read_input,
};
use serde::Deserialize;
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};
use worldgate::api::runs::{self, RunSelector};
use worldgate::bundle::{self, Limits};
use worldgate::{Code, Error};

/// Retry backoff: 0.25 s doubling to 4 s.
const RETRY_BASE_MS: u64 = 250;
const RETRY_MAX_MS: u64 = 4000;
/// The poll interval doubles up to this.
const POLL_MAX_MS: u64 = 8000;
/// Largest answer read (a snapshot of a long bundle can be several MB).
const MAX_BODY: u64 = 256 << 20;

pub struct SubmitOptions<'a> {
    pub wait: bool,
    pub wait_timeout: f64,
    pub interval: f64,
    pub snapshot_dir: Option<&'a Path>,
    pub idempotency_key: Option<&'a str>,
    pub respond_async: bool,
    pub limits: Limits,
}

/// A failed exchange, with the exit code it maps to.
struct Failure {
    code: u8,
    message: String,
    help: Option<String>,
    /// The structured errors behind it, when known (the engine's, the edge's error document);
    /// otherwise the envelope carries one `E_UNAVAILABLE` / `E_INVALID_VALUE` error.
    errors: Vec<Error>,
}

impl Failure {
    fn new(code: u8, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
            help: None,
            errors: Vec::new(),
        }
    }

    /// The failure with its structured errors.
    fn with_errors(mut self, errors: Vec<Error>) -> Self {
        self.errors = errors;
        self
    }

    /// Human: `error: …` on stderr; machine formats: the failure envelope on stdout.
    fn report(&self, format: Format) -> u8 {
        if format != Format::Human {
            let errors = if self.errors.is_empty() {
                let code = if self.code == UNAVAILABLE {
                    Code::Unavailable
                } else {
                    Code::InvalidValue
                };
                let mut e = Error::new(code, "", self.message.clone());
                e.help = self.help.clone();
                vec![e]
            } else {
                self.errors.clone()
            };
            print_failure(format, &errors);
            return self.code;
        }
        eprintln!("error: {}", self.message);
        if let Some(h) = &self.help {
            eprintln!("  help: {h}");
        }
        self.code
    }
}

/// The edge's error document (edge/src/http.js `errorBody`).
#[derive(Deserialize)]
struct ErrorDoc {
    code: String,
    message: String,
    #[serde(default)]
    path: String,
    #[serde(default)]
    help: Option<String>,
}

/// The fields of a run status document this tool reads.
#[derive(Deserialize, serde::Serialize, Clone)]
struct RunRef {
    world_id: String,
    strategy_id: String,
    run_id: String,
    status: String,
    #[serde(default)]
    links: Links,
}

#[derive(Deserialize, serde::Serialize, Clone, Default)]
struct Links {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    snapshot: Option<String>,
}

/// The fields of the upload answer this tool reads.
#[derive(Deserialize)]
struct UploadAnswer {
    runs: Vec<RunRef>,
    #[serde(default)]
    rejected: Vec<Value>,
    #[serde(default)]
    policy_version: Option<Value>,
    #[serde(default)]
    input_digest: Option<String>,
    #[serde(default)]
    replayed: bool,
}

struct Client {
    agent: ureq::Agent,
    base: String,
    token: Option<String>,
    retries: u32,
}

impl Client {
    fn new(args: &RemoteArgs) -> Result<Self, Failure> {
        let base = args
            .url
            .clone()
            .or_else(|| std::env::var("WORLDGATE_URL").ok())
            .filter(|u| !u.is_empty())
            .ok_or_else(|| {
                Failure::new(
                    INVALID,
                    "no edge URL: pass --url or set WORLDGATE_URL (e.g. http://127.0.0.1:8787)",
                )
            })?;
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(Failure::new(
                INVALID,
                format!("--url `{base}` is not an http:// or https:// URL"),
            ));
        }
        if !(args.timeout.is_finite() && args.timeout > 0.0) {
            return Err(Failure::new(
                INVALID,
                "--timeout must be a positive number of seconds",
            ));
        }
        let token = args
            .token
            .clone()
            .or_else(|| std::env::var("WORLDGATE_TOKEN").ok())
            .filter(|t| !t.is_empty());
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs_f64(args.timeout)))
            .http_status_as_error(false)
            .user_agent(concat!("worldgate-cli/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(Client {
            agent,
            base: base.trim_end_matches('/').to_string(),
            token,
            retries: args.retries,
        })
    }

    /// `method path` with optional JSON body; the decoded JSON answer of a 2xx. Network errors,
    /// 5xx and 429 are retried with backoff; a 4xx is the caller's (exit 2), with the edge's
    /// error document in the message.
    fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<&[u8]>,
        headers: &[(&str, &str)],
    ) -> Result<(u16, Value), Failure> {
        let url = format!("{}{path}", self.base);
        let mut attempt = 0u32;
        loop {
            let wait = runs::backoff_ms(attempt, RETRY_BASE_MS, RETRY_MAX_MS);
            if wait > 0 {
                std::thread::sleep(Duration::from_millis(wait));
            }
            let last = attempt >= self.retries;
            attempt = attempt.saturating_add(1);
            let sent = self.send(method, &url, body, headers);
            let mut resp = match sent {
                Ok(r) => r,
                Err(ureq::Error::BadUri(e)) => {
                    return Err(Failure::new(INVALID, format!("bad URL `{url}`: {e}")));
                }
                Err(e) if last => {
                    return Err(Failure::new(
                        UNAVAILABLE,
                        format!(
                            "cannot reach the edge at {url} ({e}) after {attempt} attempt{}",
                            if attempt == 1 { "" } else { "s" }
                        ),
                    ));
                }
                Err(_) => continue,
            };
            let status = resp.status().as_u16();
            let text = resp
                .body_mut()
                .with_config()
                .limit(MAX_BODY)
                .read_to_string();
            let text = match text {
                Ok(t) => t,
                Err(e) if last => {
                    return Err(Failure::new(
                        UNAVAILABLE,
                        format!("{method} {url}: cannot read the answer ({e})"),
                    ));
                }
                Err(_) => continue,
            };
            if (200..300).contains(&status) {
                return serde_json::from_str(&text)
                    .map(|v| (status, v))
                    .map_err(|e| {
                        Failure::new(
                            UNAVAILABLE,
                            format!("{method} {url}: HTTP {status} answer is not JSON ({e})"),
                        )
                    });
            }
            if runs::retryable_status(status) && !last {
                continue;
            }
            return Err(self.http_failure(method, path, &url, status, &text));
        }
    }

    /// The failure of a non-2xx answer: `UNAVAILABLE` for a retryable status (5xx, 429),
    /// `INVALID` otherwise; the message and errors from the edge's error document `text`
    /// (code, path, message, help), or an excerpt of the text when it is not one; for a 401
    /// without a token, a help naming `--token`.
    fn http_failure(
        &self,
        method: &str,
        path: &str,
        url: &str,
        status: u16,
        text: &str,
    ) -> Failure {
        let mut f = Failure::new(
            if runs::retryable_status(status) {
                UNAVAILABLE
            } else {
                INVALID
            },
            String::new(),
        );
        match serde_json::from_str::<ErrorDoc>(text) {
            Ok(doc) => {
                let at = if doc.path.is_empty() {
                    String::new()
                } else {
                    format!(" at `{}`", doc.path)
                };
                f.message = format!(
                    "{method} {path}: HTTP {status} {}{at}: {}",
                    doc.code, doc.message
                );
                let code =
                    serde_json::from_value::<Code>(serde_json::Value::from(doc.code.as_str()))
                        .unwrap_or(Code::InvalidValue);
                let mut e = Error::new(code, doc.path, doc.message);
                e.help = doc.help.clone();
                f.errors = vec![e];
                f.help = doc.help;
            }
            Err(_) => {
                let excerpt: String = text.chars().take(200).collect();
                f.message = format!("{method} {url}: HTTP {status}: {excerpt}");
            }
        }
        if status == 401 && self.token.is_none() {
            f.help
                .get_or_insert_with(|| "pass --token or set WORLDGATE_TOKEN".to_string());
        }
        f
    }

    fn send(
        &self,
        method: &str,
        url: &str,
        body: Option<&[u8]>,
        headers: &[(&str, &str)],
    ) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        let auth = self.token.as_ref().map(|t| format!("Bearer {t}"));
        match body {
            Some(bytes) => {
                let mut req = self
                    .agent
                    .post(url)
                    .header("content-type", "application/json")
                    .header("accept", "application/json");
                if let Some(a) = &auth {
                    req = req.header("authorization", a);
                }
                for (k, v) in headers {
                    req = req.header(*k, *v);
                }
                debug_assert_eq!(method, "POST");
                req.send(bytes)
            }
            None => {
                let mut req = self.agent.get(url).header("accept", "application/json");
                if let Some(a) = &auth {
                    req = req.header("authorization", a);
                }
                req.call()
            }
        }
    }

    fn get(&self, path: &str) -> Result<Value, Failure> {
        self.call("GET", path, None, &[]).map(|(_, v)| v)
    }

    fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

fn decode<T: serde::de::DeserializeOwned>(v: Value, what: &str) -> Result<T, Failure> {
    serde_json::from_value(v).map_err(|e| {
        Failure::new(
            UNAVAILABLE,
            format!("the edge's {what} is not what this tool reads ({e}); is --url the worldgate edge API?"),
        )
    })
}

/// `worldgate submit`.
pub fn submit(format: Format, file: &Path, remote: &RemoteArgs, o: &SubmitOptions) -> u8 {
    match submit_inner(format, file, remote, o) {
        Ok(code) => code,
        Err(f) => f.report(format),
    }
}

/// `worldgate submit` with its failure as a value: uploads the bundle of `file`, prints the
/// runs, then (with `o.wait`) polls each until settled and (with `o.snapshot_dir`) writes
/// their snapshots; `REJECTED` when the gate rejected a strategy, else `OK`.
fn submit_inner(
    format: Format,
    file: &Path,
    remote: &RemoteArgs,
    o: &SubmitOptions,
) -> Result<u8, Failure> {
    check_wait_options(o)?;
    let (bytes, world) = read_local_bundle(file, o)?;
    let client = Client::new(remote)?;
    let mut headers = Vec::new();
    if let Some(k) = o.idempotency_key {
        headers.push(("idempotency-key", k));
    }
    if o.respond_async {
        headers.push(("prefer", "respond-async"));
    }
    let (http, answer) = client.call("POST", &runs::upload_path(&world), Some(&bytes), &headers)?;
    let up: UploadAnswer = decode(answer.clone(), "upload answer")?;
    let mut statuses = up.runs.clone();
    let code = if up.rejected.is_empty() { OK } else { REJECTED };
    if format == Format::Human {
        print_upload(&client, file, &world, http, &up);
    }
    if o.wait {
        let deadline = Instant::now() + Duration::from_secs_f64(o.wait_timeout);
        let interval_ms = (o.interval * 1000.0).round().clamp(1.0, 8000.0) as u64;
        for r in &mut statuses {
            let before = r.status.clone();
            *r = wait_for(&client, r, deadline, interval_ms)?;
            if format == Format::Human && r.status != before {
                outln!("  {}  {}  {before} → {}", r.strategy_id, r.run_id, r.status);
            }
        }
    }
    let files = match o.snapshot_dir {
        Some(dir) => write_remote_snapshots(&client, dir, &statuses, format)?,
        None => Vec::new(),
    };
    if format != Format::Human {
        print_success(
            format,
            &serde_json::json!({
                "upload": answer,
                "runs": statuses,
                "snapshot_files": files,
            }),
        );
    } else if code == REJECTED {
        outln!("{} strategy(ies) rejected by the gate", up.rejected.len());
    }
    Ok(code)
}

/// With `--wait`: the timeout must be a finite number of seconds ≥ 0, the interval a finite
/// positive one (exit 2 otherwise).
fn check_wait_options(o: &SubmitOptions) -> Result<(), Failure> {
    if o.wait && !(o.wait_timeout.is_finite() && o.wait_timeout >= 0.0) {
        return Err(Failure::new(
            INVALID,
            "--wait-timeout must be a number of seconds",
        ));
    }
    if o.wait && !(o.interval.is_finite() && o.interval > 0.0) {
        return Err(Failure::new(
            INVALID,
            "--interval must be a positive number of seconds",
        ));
    }
    Ok(())
}

/// The bytes of the bundle `file` and its world, read by the engine first: its errors are
/// reported (exit 2, each with its help) before anything is sent.
fn read_local_bundle(file: &Path, o: &SubmitOptions) -> Result<(Vec<u8>, String), Failure> {
    let bytes =
        read_input(file).map_err(|e| Failure::new(INVALID, e.to_string()).with_errors(vec![e]))?;
    let parsed = bundle::read_bundle(&bytes, &o.limits).map_err(|errs| {
        let mut f = Failure::new(INVALID, format!("{} is not a valid bundle", file.display()));
        for e in &errs {
            f.message = format!("{}\n  {e}", f.message);
            if let Some(h) = &e.help {
                f.message = format!("{}\n    help: {h}", f.message);
            }
        }
        f.with_errors(errs)
    })?;
    Ok((bytes, parsed.world_id))
}

/// The human lines of an upload: how the edge took it (HTTP `http`, replayed or not), the
/// policy version, the input digest, and each run with its status link.
fn print_upload(client: &Client, file: &Path, world: &str, http: u16, up: &UploadAnswer) {
    let how = match (http, up.replayed) {
        (_, true) => "replayed (already uploaded)",
        (202, _) => "accepted, evaluation deferred",
        _ => "created",
    };
    outln!(
        "uploaded {} to world `{world}`: {how}; policy version {}; input {}",
        file.display(),
        up.policy_version
            .as_ref()
            .map_or("?".to_string(), Value::to_string),
        up.input_digest.as_deref().unwrap_or("?"),
    );
    for r in &up.runs {
        outln!("  {}  {}  {}", r.strategy_id, r.run_id, r.status);
        if let Some(s) = &r.links.status {
            outln!("    {}", client.link(s));
        }
    }
}

/// Fetches each run's snapshot and writes it, pretty-printed, into `dir` (created if
/// needed) under its snapshot file name; the paths written.
///
/// # Errors
/// `INVALID` when the directory or a file cannot be written or a run's ids make no snapshot
/// path; the fetch's failure.
fn write_remote_snapshots(
    client: &Client,
    dir: &Path,
    statuses: &[RunRef],
    format: Format,
) -> Result<Vec<String>, Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::new(INVALID, format!("cannot create `{}`: {e}", dir.display())))?;
    let mut files = Vec::new();
    for r in statuses {
        let path = match &r.links.snapshot {
            Some(p) => p.clone(),
            None => runs::snapshot_path(&r.world_id, &r.strategy_id, &r.run_id)
                .map_err(|e| Failure::new(INVALID, e.to_string()))?,
        };
        let snap = client.get(&path)?;
        let name = worldgate::run::snapshot_file_name(&r.world_id, &r.strategy_id, &r.run_id)
            .map_err(|e| Failure::new(INVALID, e.to_string()))?;
        let base = Path::new(&name).file_name().unwrap_or_default();
        let target = dir.join(base);
        let text = serde_json::to_string_pretty(&snap).unwrap_or_default();
        std::fs::write(&target, text + "\n").map_err(|e| {
            Failure::new(INVALID, format!("cannot write `{}`: {e}", target.display()))
        })?;
        if format == Format::Human {
            outln!("  wrote {}", target.display());
        }
        files.push(target.display().to_string());
    }
    Ok(files)
}

/// Polls `run`'s status until the engine calls it settled or `deadline` passes.
fn wait_for(
    client: &Client,
    run: &RunRef,
    deadline: Instant,
    interval_ms: u64,
) -> Result<RunRef, Failure> {
    let mut current = run.clone();
    let path = current.links.status.clone().unwrap_or_else(|| {
        runs::run_status_path(
            &run.world_id,
            &run.strategy_id,
            &RunSelector::Id(run.run_id.clone()),
        )
    });
    let mut polls = 0u32;
    loop {
        let settled = runs::run_settled(&current.status).map_err(|errs| {
            Failure::new(
                UNAVAILABLE,
                errs.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        if settled {
            return Ok(current);
        }
        if Instant::now() >= deadline {
            return Err(Failure::new(
                UNAVAILABLE,
                format!(
                    "run `{}` of `{}` is still `{}` at the end of --wait-timeout",
                    current.run_id, current.strategy_id, current.status
                ),
            ));
        }
        polls = polls.saturating_add(1);
        let wait = runs::backoff_ms(polls, interval_ms, POLL_MAX_MS);
        let left = deadline.saturating_duration_since(Instant::now());
        std::thread::sleep(Duration::from_millis(wait).min(left));
        current = decode(client.get(&path)?, "run status")?;
    }
}

/// `worldgate status`.
pub fn status(format: Format, world: &str, strategy: &str, run: &str, remote: &RemoteArgs) -> u8 {
    let result = (|| {
        for (id, at) in [(world, "/world_id"), (strategy, "/strategy_id")] {
            worldgate::schema::check_id(id, at)
                .map_err(|e| Failure::new(INVALID, e.to_string()))?;
        }
        let sel = runs::run_selector(run).map_err(|e| Failure::new(INVALID, e.to_string()))?;
        let client = Client::new(remote)?;
        let doc = client.get(&runs::run_status_path(world, strategy, &sel))?;
        if format != Format::Human {
            print_success(format, &doc);
            return Ok(OK);
        }
        let r: RunRef = decode(doc.clone(), "run status")?;
        outln!(
            "{} / {} / {}: {}",
            r.world_id,
            r.strategy_id,
            r.run_id,
            r.status
        );
        for key in [
            "updated_at",
            "effective_mode",
            "activation_state",
            "ruleset_hash",
        ] {
            if let Some(v) = doc.get(key).and_then(Value::as_str) {
                outln!("  {key}: {v}");
            }
        }
        for (name, link) in [("status", &r.links.status), ("snapshot", &r.links.snapshot)] {
            if let Some(l) = link {
                outln!("  {name}: {}", client.link(l));
            }
        }
        Ok(OK)
    })();
    result.unwrap_or_else(|f: Failure| f.report(format))
}
