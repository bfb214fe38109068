//! Sanitizing free text and open maps before anything is stored or digested.
//!
//! Three kinds of leak are removed, by hand-written scanners (no regex engine in the wasm):
//!
//! - **secret-shaped values** are replaced by `"[REDACTED:<kind>]"`: AWS access key ids
//!   (`AKIA…`/`ASIA…`), `aws_secret_access_key=…`, Google API keys (`AIza…`), Azure
//!   `AccountKey=`/`SharedAccessKey=`/`SharedAccessSignature=`, GitHub (`ghp_…`,
//!   `github_pat_…`), Slack (`xoxb-…`), Stripe (`sk_live_…`), `Bearer …`, JWTs (`eyJ….eyJ….…`),
//!   `-----BEGIN … PRIVATE KEY-----` blocks, and `name=value` / `name: value` pairs whose name
//!   ends in a secret word (`password`, `token`, `secret`, `api_key`, …);
//! - **signed-URL query strings** are stripped, keeping scheme, host and path, when the query
//!   carries a signature or credential parameter (`X-Amz-Signature`, `X-Amz-Credential`,
//!   `X-Goog-Signature`, Azure SAS `sig`/`se`/`sp`/`sv`, CloudFront
//!   `Signature`/`Key-Pair-Id`/`Policy`, …); `user:password@` in a URL is removed too;
//! - **host-local paths** `/home/<user>/…`, `/Users/<user>/…`, `C:\Users\<user>\…`, `/root/…`
//!   become `<local>/…`.
//!
//! In objects, a key that names a secret (`password`, `api_key`, `token`, `authorization`,
//! `private_key`, …) has its value replaced whatever it looks like. Every change is reported as a
//! [`Redaction`] — JSON pointer and kind, never the value.

use crate::error::pointer_join;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What was removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RedactionKind {
    /// `AKIA…`/`ASIA…` access key id.
    AwsAccessKeyId,
    /// `aws_secret_access_key=…`.
    AwsSecretAccessKey,
    /// `AIza…` Google API key.
    GoogleApiKey,
    /// Azure storage/service-bus account key or SAS in a connection string.
    AzureKey,
    /// `ghp_…`, `gho_…`, `github_pat_…`.
    GithubToken,
    /// `xoxb-…`, `xoxp-…`, `xapp-…`.
    SlackToken,
    /// `sk_live_…`, `rk_live_…`, `sk_test_…`.
    StripeKey,
    /// `Bearer <token>`.
    BearerToken,
    /// A JSON Web Token.
    Jwt,
    /// A PEM `PRIVATE KEY` block (GCP service-account keys included).
    PrivateKey,
    /// `password=…`, `token: …` and other secret-named pairs in text.
    SecretPair,
    /// The value of an object key that names a secret.
    SecretField,
    /// A signed URL's query string.
    SignedUrl,
    /// `user:password@` in a URL.
    UrlCredentials,
    /// A host-local path with a user name.
    LocalPath,
}

impl RedactionKind {
    /// The snake_case name used in `[REDACTED:<kind>]`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RedactionKind::AwsAccessKeyId => "aws_access_key_id",
            RedactionKind::AwsSecretAccessKey => "aws_secret_access_key",
            RedactionKind::GoogleApiKey => "google_api_key",
            RedactionKind::AzureKey => "azure_key",
            RedactionKind::GithubToken => "github_token",
            RedactionKind::SlackToken => "slack_token",
            RedactionKind::StripeKey => "stripe_key",
            RedactionKind::BearerToken => "bearer_token",
            RedactionKind::Jwt => "jwt",
            RedactionKind::PrivateKey => "private_key",
            RedactionKind::SecretPair => "secret_pair",
            RedactionKind::SecretField => "secret_field",
            RedactionKind::SignedUrl => "signed_url",
            RedactionKind::UrlCredentials => "url_credentials",
            RedactionKind::LocalPath => "local_path",
        }
    }
}

/// One change the sanitizer made: where and what kind, never the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Redaction {
    /// JSON pointer of the changed string or field.
    pub path: String,
    /// What was removed.
    pub kind: RedactionKind,
}

fn marker(kind: RedactionKind) -> String {
    format!("[REDACTED:{}]", kind.as_str())
}

/// Sanitizes every string in `value` (keys are kept; values of secret-named keys are replaced),
/// appending one [`Redaction`] per change to `report`. `path` is the pointer of `value`.
pub fn sanitize_value(value: &mut Value, path: &str, report: &mut Vec<Redaction>) {
    walk(value, path, report, true);
}

/// [`sanitize_value`] without the key-name rule: only string contents change, so a typed
/// document (a metric block) keeps its shape.
pub fn sanitize_strings(value: &mut Value, path: &str, report: &mut Vec<Redaction>) {
    walk(value, path, report, false);
}

fn walk(value: &mut Value, path: &str, report: &mut Vec<Redaction>, keys: bool) {
    match value {
        Value::String(s) => sanitize_string(s, path, report),
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                if matches!(item, Value::String(_) | Value::Array(_) | Value::Object(_)) {
                    walk(item, &pointer_join(path, i), report, keys);
                }
            }
        }
        Value::Object(map) if keys => sanitize_map(map, path, report),
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                walk(v, &pointer_join(path, k), report, keys);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// [`sanitize_value`] for an object's members.
pub fn sanitize_map(map: &mut Map<String, Value>, path: &str, report: &mut Vec<Redaction>) {
    for (key, v) in map.iter_mut() {
        let p = pointer_join(path, key);
        if is_secret_key(key) && !v.is_null() {
            *v = Value::String(marker(RedactionKind::SecretField));
            report.push(Redaction {
                path: p,
                kind: RedactionKind::SecretField,
            });
        } else {
            sanitize_value(v, &p, report);
        }
    }
}

/// Sanitizes one string in place, reporting at `path`.
pub fn sanitize_string(s: &mut String, path: &str, report: &mut Vec<Redaction>) {
    let mut kinds = Vec::new();
    if let Some(clean) = sanitize_text(s, &mut kinds) {
        *s = clean;
    }
    report.extend(kinds.into_iter().map(|kind| Redaction {
        path: path.to_string(),
        kind,
    }));
}

/// Sanitizes free text: `None` when nothing was found, else the cleaned text, with the kind of
/// each change pushed to `kinds` (in text order).
pub fn sanitize_text(text: &str, kinds: &mut Vec<RedactionKind>) -> Option<String> {
    let pass1 = urls_and_pem(text, kinds);
    let cur = pass1.as_deref().unwrap_or(text);
    let pass2 = tokens(cur, kinds);
    pass2.or(pass1)
}

/// Whether an object key names a secret (case-insensitive; `-` and `_` alike).
pub fn is_secret_key(key: &str) -> bool {
    if key.len() > 64 {
        return false;
    }
    let k: String = key
        .chars()
        .map(|c| {
            if c == '-' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    const EXACT: &[&str] = &[
        "auth",
        "pwd",
        "pass",
        "cookie",
        "set_cookie",
        "connection_string",
        "connectionstring",
        "sas",
        "signature",
        "private_key_id",
        "session_id",
    ];
    EXACT.contains(&k.as_str()) || secret_suffix(&k)
}

/// Whether a lowercased name ends with a secret word.
fn secret_suffix(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "password",
        "passwd",
        "passphrase",
        "secret",
        "token",
        "api_key",
        "apikey",
        "access_key",
        "accesskey",
        "secret_key",
        "private_key",
        "credential",
        "credentials",
        "authorization",
        "accountkey",
        "sharedaccesskey",
        "sharedaccesssignature",
    ];
    SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// Sanitizes every free-text field of a bundle in place: bundle `meta`, `created_at`,
/// `previous`, `correlations`; per submission `stage`, `window`, `reference_currency`, `meta`,
/// `storage_refs` and the strings of a claimed `metrics` block. Ids are left alone (their
/// charset cannot carry these shapes' separators) and numeric series carry no text.
/// Returns the redactions in document order.
pub fn sanitize_bundle(bundle: &mut crate::schema::Bundle) -> Vec<Redaction> {
    let mut report = Vec::new();
    let r = &mut report;
    if let Some(s) = bundle.created_at.as_mut() {
        sanitize_string(s, "/created_at", r);
    }
    for (i, sub) in bundle.submissions.iter_mut().enumerate() {
        let base = format!("/submissions/{i}");
        for (name, field) in [
            ("stage", &mut sub.stage),
            ("window", &mut sub.window),
            ("reference_currency", &mut sub.reference_currency),
        ] {
            if let Some(s) = field.as_mut() {
                sanitize_string(s, &format!("{base}/{name}"), r);
            }
        }
        if let Some(m) = sub.metrics.as_mut()
            && let Ok(mut v) = serde_json::to_value(&*m)
        {
            let before = r.len();
            sanitize_strings(&mut v, &format!("{base}/metrics"), r);
            if r.len() > before
                && let Ok(clean) = serde_json::from_value(v)
            {
                *m = clean;
            }
        }
        sanitize_map(&mut sub.meta, &format!("{base}/meta"), r);
        sanitize_map(&mut sub.storage_refs, &format!("{base}/storage_refs"), r);
    }
    if let Some(v) = bundle.previous.as_mut() {
        sanitize_value(v, "/previous", r);
    }
    if let Some(v) = bundle.correlations.as_mut() {
        sanitize_value(v, "/correlations", r);
    }
    sanitize_map(&mut bundle.meta, "/meta", r);
    report
}

/// [`sanitize_bundle`] on the JSON form of a bundle (same fields, same paths), for callers that
/// keep the parsed document (the gate digests it without re-serializing the series).
pub fn sanitize_bundle_value(bundle: &mut Value) -> Vec<Redaction> {
    let mut report = Vec::new();
    let r = &mut report;
    let Some(top) = bundle.as_object_mut() else {
        return report;
    };
    if let Some(Value::String(s)) = top.get_mut("created_at") {
        sanitize_string(s, "/created_at", r);
    }
    if let Some(Value::Array(subs)) = top.get_mut("submissions") {
        for (i, sub) in subs.iter_mut().enumerate() {
            let Some(sub) = sub.as_object_mut() else {
                continue;
            };
            let base = format!("/submissions/{i}");
            for name in ["stage", "window", "reference_currency"] {
                if let Some(Value::String(s)) = sub.get_mut(name) {
                    sanitize_string(s, &format!("{base}/{name}"), r);
                }
            }
            if let Some(v) = sub.get_mut("metrics") {
                sanitize_strings(v, &format!("{base}/metrics"), r);
            }
            for name in ["meta", "storage_refs"] {
                if let Some(v) = sub.get_mut(name) {
                    sanitize_value(v, &format!("{base}/{name}"), r);
                }
            }
        }
    }
    for name in ["previous", "correlations", "meta"] {
        if let Some(v) = top.get_mut(name) {
            sanitize_value(v, &format!("/{name}"), r);
        }
    }
    report
}

// ---------------------------------------------------------------------------------------------
// Pass 1: URLs and PEM blocks (they span characters the token pass treats as separators).

fn urls_and_pem(text: &str, kinds: &mut Vec<RedactionKind>) -> Option<String> {
    if !(text.contains("://") || text.contains("-----BEGIN")) {
        return None;
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    let mut changed = false;
    while i < bytes.len() {
        let rest = text.get(i..).unwrap_or_default();
        if rest.starts_with("-----BEGIN ")
            && let Some(end) = pem_end(rest)
        {
            out.push_str(text.get(last..i).unwrap_or_default());
            out.push_str(&marker(RedactionKind::PrivateKey));
            kinds.push(RedactionKind::PrivateKey);
            changed = true;
            i += end;
            last = i;
            continue;
        }
        if (rest.starts_with("https://") || rest.starts_with("http://"))
            || (rest.len() > 3 && starts_with_ci(rest, "https://"))
        {
            let len = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
                .unwrap_or(rest.len());
            let url = rest.get(..len).unwrap_or_default();
            if let Some(clean) = clean_url(url, kinds) {
                out.push_str(text.get(last..i).unwrap_or_default());
                out.push_str(&clean);
                changed = true;
                last = i + len;
            }
            i += len.max(1);
            continue;
        }
        i += 1;
        while i < bytes.len() && !text.is_char_boundary(i) {
            i += 1;
        }
    }
    if !changed {
        return None;
    }
    out.push_str(text.get(last..).unwrap_or_default());
    Some(out)
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
}

/// Length of a `-----BEGIN … PRIVATE KEY-----` block at the start of `s` (to the end of the
/// matching `-----END …-----`, or of the text when the block is cut off).
fn pem_end(s: &str) -> Option<usize> {
    let header_end = s.get(11..)?.find("-----")? + 11;
    let label = s.get(11..header_end)?;
    if !label.ends_with("PRIVATE KEY") || label.len() > 40 {
        return None;
    }
    let body = header_end + 5;
    match s.get(body..)?.find("-----END ") {
        Some(e) => {
            let after = body + e + 9;
            let close = s
                .get(after..)?
                .find("-----")
                .map_or(s.len(), |c| after + c + 5);
            Some(close)
        }
        None => Some(s.len()),
    }
}

/// Query parameters that make a URL a signed (credential-bearing) URL.
const SIGNED_PARAMS: &[&str] = &[
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "x-goog-signature",
    "x-goog-credential",
    "googleaccessid",
    "awsaccesskeyid",
    "signature",
    "sig",
    "se",
    "sp",
    "sv",
    "skoid",
    "key-pair-id",
    "policy",
    "token",
    "access_token",
    "code",
    "api_key",
    "apikey",
    "key",
];

/// The URL without signed query/fragment and userinfo, or `None` when it is clean.
fn clean_url(url: &str, kinds: &mut Vec<RedactionKind>) -> Option<String> {
    let scheme_end = url.find("://")? + 3;
    let after_scheme = url.get(scheme_end..)?;
    let auth_len = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    let authority = after_scheme.get(..auth_len)?;
    let mut changed = false;
    let mut out = String::from(url.get(..scheme_end)?);
    match authority.rfind('@') {
        Some(at) => {
            out.push_str(authority.get(at + 1..)?);
            kinds.push(RedactionKind::UrlCredentials);
            changed = true;
        }
        None => out.push_str(authority),
    }
    let rest = after_scheme.get(auth_len..)?;
    let q = rest.find(['?', '#']).unwrap_or(rest.len());
    out.push_str(rest.get(..q)?);
    let query = rest.get(q..)?;
    let signed = query
        .trim_start_matches(['?', '#'])
        .split(['&', '#', '?', ';'])
        .any(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            SIGNED_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(name))
        });
    if signed {
        kinds.push(RedactionKind::SignedUrl);
        changed = true;
    } else {
        out.push_str(query);
    }
    changed.then_some(out)
}

// ---------------------------------------------------------------------------------------------
// Pass 2: tokens, secret pairs and local paths, tried at each word boundary.

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// One match: bytes consumed from the boundary, bytes of it kept verbatim, what replaces the
/// rest, and its kind.
struct Hit {
    len: usize,
    keep: usize,
    replacement: String,
    kind: RedactionKind,
}

fn tokens(text: &str, kinds: &mut Vec<RedactionKind>) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut last = 0;
    let mut i = 0;
    let mut changed = false;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        let prev = i.checked_sub(1).and_then(|j| bytes.get(j).copied());
        let boundary = prev.is_none_or(|p| !is_word(p));
        if b.is_ascii() && boundary {
            let rest = text.get(i..).unwrap_or_default();
            let hit = token_at(rest)
                .or_else(|| pair_at(rest))
                .or_else(|| local_path_at(rest, text.get(..i).unwrap_or_default()));
            if let Some(hit) = hit {
                out.push_str(text.get(last..i + hit.keep).unwrap_or_default());
                out.push_str(&hit.replacement);
                kinds.push(hit.kind);
                changed = true;
                i += hit.len;
                last = i;
                continue;
            }
            if is_word(b) {
                // Skip the rest of this word: matches start only at boundaries.
                i += bytes
                    .get(i..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|&&c| is_word(c))
                    .count();
                continue;
            }
        }
        i += 1;
        while i < bytes.len() && !text.is_char_boundary(i) {
            i += 1;
        }
    }
    if !changed {
        return None;
    }
    out.push_str(text.get(last..).unwrap_or_default());
    Some(out)
}

/// Length of the run of bytes at the start of `s` satisfying `f`.
fn run_len(s: &str, f: impl Fn(u8) -> bool) -> usize {
    s.bytes().take_while(|&b| f(b)).count()
}

fn b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn redact(len: usize, keep: usize, kind: RedactionKind) -> Option<Hit> {
    Some(Hit {
        len,
        keep,
        replacement: marker(kind),
        kind,
    })
}

/// A provider token starting at `s`.
fn token_at(s: &str) -> Option<Hit> {
    use RedactionKind as K;
    let word = run_len(s, is_word);
    let alnum_after = |p: usize| {
        run_len(s.get(p..).unwrap_or_default(), |b| {
            b.is_ascii_alphanumeric()
        })
    };
    if (s.starts_with("AKIA") || s.starts_with("ASIA"))
        && run_len(s, |b| b.is_ascii_uppercase() || b.is_ascii_digit()) >= 16
    {
        return redact(word, 0, K::AwsAccessKeyId);
    }
    if s.starts_with("AIza") && word >= 30 {
        return redact(word, 0, K::GoogleApiKey);
    }
    if ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]
        .iter()
        .any(|p| s.starts_with(p))
        && alnum_after(4) >= 20
    {
        return redact(word, 0, K::GithubToken);
    }
    if s.starts_with("github_pat_") && word >= 30 {
        return redact(word, 0, K::GithubToken);
    }
    if [
        "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-", "xapp-",
    ]
    .iter()
    .any(|p| s.starts_with(p))
        && word >= 15
    {
        return redact(word, 0, K::SlackToken);
    }
    if ["sk_live_", "rk_live_", "sk_test_", "rk_test_", "pk_live_"]
        .iter()
        .any(|p| s.starts_with(p))
        && alnum_after(8) >= 10
    {
        return redact(word, 0, K::StripeKey);
    }
    if s.starts_with("eyJ") {
        // header.payload.signature, each base64url; the payload is JSON too (`eyJ`).
        let h = run_len(s, b64url);
        let rest = s.get(h..).unwrap_or_default();
        if h >= 10 && rest.starts_with(".eyJ") {
            let p = run_len(rest.get(1..).unwrap_or_default(), b64url);
            let tail = rest.get(1 + p..).unwrap_or_default();
            if p >= 10 && tail.starts_with('.') {
                let sig = run_len(tail.get(1..).unwrap_or_default(), b64url);
                return redact(h + 1 + p + 1 + sig, 0, K::Jwt);
            }
        }
    }
    if starts_with_ci(s, "bearer") {
        let spaces = run_len(s.get(6..).unwrap_or_default(), |b| b == b' ');
        if spaces > 0 {
            let start = 6 + spaces;
            let tok = run_len(s.get(start..).unwrap_or_default(), |b| {
                b.is_ascii_alphanumeric() || b"-._~+/=".contains(&b)
            });
            if tok >= 8 {
                return redact(start + tok, start, K::BearerToken);
            }
        }
    }
    None
}

/// `name=value` or `name: value` (name quoted or not) where the name ends in a secret word.
fn pair_at(s: &str) -> Option<Hit> {
    let name_len = run_len(s, |b| is_word(b) || b == b'.');
    if !(3..=64).contains(&name_len) {
        return None;
    }
    let name = s.get(..name_len)?.to_ascii_lowercase().replace('-', "_");
    if !secret_suffix(&name) && !matches!(name.as_str(), "pwd" | "auth" | "sig") {
        return None;
    }
    let mut p = name_len;
    let at = |p: usize| s.as_bytes().get(p).copied();
    if matches!(at(p), Some(b'"' | b'\'')) {
        p += 1;
    }
    p += run_len(s.get(p..)?, |b| b == b' ');
    if !matches!(at(p), Some(b'=' | b':')) {
        return None;
    }
    p += 1;
    p += run_len(s.get(p..)?, |b| b == b' ');
    let quote = match at(p) {
        Some(q @ (b'"' | b'\'')) => {
            p += 1;
            Some(q)
        }
        _ => None,
    };
    let tail = s.get(p..)?;
    if starts_with_ci(tail, "bearer ") {
        return None; // the bearer rule redacts the token itself
    }
    if starts_with_ci(tail, "basic ") {
        p += 6 + run_len(s.get(p + 6..)?, |b| b == b' ');
    }
    let value = match quote {
        Some(q) => run_len(s.get(p..)?, |b| b != q),
        None => run_len(s.get(p..)?, |b| {
            !(b.is_ascii_whitespace() || b"&;,}){]\"'".contains(&b))
        }),
    };
    if value == 0 || s.get(p..)?.starts_with("[REDACTED:") {
        return None;
    }
    let kind = if name.ends_with("secret_access_key") {
        RedactionKind::AwsSecretAccessKey
    } else if ["accountkey", "sharedaccesskey", "sharedaccesssignature"]
        .iter()
        .any(|k| name.ends_with(k))
    {
        RedactionKind::AzureKey
    } else {
        RedactionKind::SecretPair
    };
    redact(p + value, p, kind)
}

/// `/home/<user>`, `/Users/<user>`, `/root`, `X:\Users\<user>` (or with `/`) at `s`; `before`
/// is the text before `s` (a path must not continue another path or URL).
fn local_path_at(s: &str, before: &str) -> Option<Hit> {
    let prev = before.as_bytes().last().copied();
    if prev.is_some_and(|p| p == b'/' || p == b'\\' || p == b'.') && !before.ends_with("file://") {
        return None;
    }
    let sep = |b: u8| b == b'/' || b == b'\\';
    let user_end = |from: usize| -> Option<usize> {
        let n = run_len(s.get(from..)?, |b| {
            !(sep(b) || b.is_ascii_whitespace() || b"\"'`,;:)]}".contains(&b))
        });
        (n > 0).then_some(from + n)
    };
    let end = if s.starts_with("/home/") {
        user_end(6)?
    } else if s.starts_with("/Users/") {
        user_end(7)?
    } else if s.starts_with("/root") && s.as_bytes().get(5).is_none_or(|&b| sep(b) || !is_word(b)) {
        5
    } else {
        let b = s.as_bytes();
        let drive = b.first().is_some_and(u8::is_ascii_alphabetic)
            && b.get(1) == Some(&b':')
            && b.get(2).is_some_and(|&c| sep(c));
        if drive
            && s.get(3..9).is_some_and(|u| {
                u.eq_ignore_ascii_case("users\\") || u.eq_ignore_ascii_case("users/")
            })
        {
            user_end(9)?
        } else {
            return None;
        }
    };
    Some(Hit {
        len: end,
        keep: 0,
        replacement: "<local>".into(),
        kind: RedactionKind::LocalPath,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn clean(s: &str) -> (String, Vec<RedactionKind>) {
        let mut kinds = Vec::new();
        let out = sanitize_text(s, &mut kinds).unwrap_or_else(|| s.to_string());
        (out, kinds)
    }

    #[test]
    fn cloud_keys_and_tokens_are_redacted() {
        use RedactionKind as K;
        let cases: &[(&str, &str, K)] = &[
            (
                "key AKIAIOSFODNN7EXAMPLE here",
                "key [REDACTED:aws_access_key_id] here",
                K::AwsAccessKeyId,
            ),
            (
                "ASIAY34FZKBOKMUTVV7A",
                "[REDACTED:aws_access_key_id]",
                K::AwsAccessKeyId,
            ),
            (
                "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "aws_secret_access_key=[REDACTED:aws_secret_access_key]",
                K::AwsSecretAccessKey,
            ),
            (
                "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
                "[REDACTED:google_api_key]",
                K::GoogleApiKey,
            ),
            (
                "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;EndpointSuffix=core.windows.net",
                "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=[REDACTED:azure_key];EndpointSuffix=core.windows.net",
                K::AzureKey,
            ),
            (
                "token ghp_16C7e42F292c6912E7710c838347Ae178B4a",
                "token [REDACTED:github_token]",
                K::GithubToken,
            ),
            (
                "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX",
                "[REDACTED:github_token]",
                K::GithubToken,
            ),
            (
                "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
                "[REDACTED:slack_token]",
                K::SlackToken,
            ),
            (
                "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
                "[REDACTED:stripe_key]",
                K::StripeKey,
            ),
            (
                "Authorization: Bearer abc123.def456-ghi",
                "Authorization: Bearer [REDACTED:bearer_token]",
                K::BearerToken,
            ),
            (
                "jwt=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                "jwt=[REDACTED:jwt]",
                K::Jwt,
            ),
            (
                "password=hunter2&user=bob",
                "password=[REDACTED:secret_pair]&user=bob",
                K::SecretPair,
            ),
            (
                r#"{"api_key": "abc"}"#,
                r#"{"api_key": "[REDACTED:secret_pair]"}"#,
                K::SecretPair,
            ),
            (
                "DB_PASSWORD: 's3cr3t pass'",
                "DB_PASSWORD: '[REDACTED:secret_pair]'",
                K::SecretPair,
            ),
        ];
        for (input, want, kind) in cases {
            let (got, kinds) = clean(input);
            assert_eq!(&got, want, "{input}");
            assert!(kinds.contains(kind), "{input}: {kinds:?}");
        }
    }

    #[test]
    fn private_key_blocks_are_redacted_whole() {
        let gcp = "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n-----END PRIVATE KEY-----\\n\", \"client_email\": \"x@p.iam.gserviceaccount.com\"}";
        let (got, kinds) = clean(gcp);
        assert!(!got.contains("MIIEvQ"), "{got}");
        assert!(got.contains("[REDACTED:private_key]"));
        assert!(got.contains("client_email"));
        assert_eq!(kinds, vec![RedactionKind::PrivateKey]);
        let cut = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ";
        assert_eq!(clean(cut).0, "[REDACTED:private_key]");
        let public = "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----";
        assert_eq!(clean(public).1, vec![]);
    }

    #[test]
    fn signed_urls_lose_their_query_strings() {
        let cases = [
            (
                "https://bucket.s3.us-east-1.amazonaws.com/runs/returns.parquet?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20251202%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20251202T100000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
                "https://bucket.s3.us-east-1.amazonaws.com/runs/returns.parquet",
            ),
            (
                "https://storage.googleapis.com/my-bucket/pnl.parquet?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40proj.iam.gserviceaccount.com%2F20251202%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20251202T100000Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature=3b1c0a",
                "https://storage.googleapis.com/my-bucket/pnl.parquet",
            ),
            (
                "https://acct.blob.core.windows.net/runs/r.parquet?sv=2022-11-02&ss=b&srt=o&sp=r&se=2025-12-03T00:00:00Z&st=2025-12-02T00:00:00Z&spr=https&sig=Zm9vYmFyYmF6cXV4%3D",
                "https://acct.blob.core.windows.net/runs/r.parquet",
            ),
            (
                "https://d111111abcdef8.cloudfront.net/r.parquet?Expires=1764669600&Signature=nitfHRCrtziwO2HwPfWw~yYDhUF5EwRunQA-j19DzZrvDh6hQ73lDx~-ar3UocvvRQVw6EkC~GdpGQyyOSKQim-TxAnW7d8F5Kkai9HVx0FIu-5jcQb0UEmatEXAMPLE3ReXySpLSMj0yCd3ZAB4UcBCAqEijkytL6f3fVYNGQI6&Key-Pair-Id=K2JCJMDEHXQW5F",
                "https://d111111abcdef8.cloudfront.net/r.parquet",
            ),
        ];
        for (url, want) in cases {
            let (got, kinds) = clean(&format!("see {url} now"));
            assert_eq!(got, format!("see {want} now"));
            assert_eq!(kinds, vec![RedactionKind::SignedUrl]);
        }
        let plain = "https://example.com/a?page=2";
        assert_eq!(clean(plain), (plain.to_string(), vec![]));
        assert_eq!(
            clean("https://bob:pw@example.com/x").0,
            "https://example.com/x"
        );
    }

    #[test]
    fn local_paths_are_replaced() {
        for (input, want) in [
            ("/home/alice/runs/r.csv", "<local>/runs/r.csv"),
            (
                "saved to /Users/bob/q/x.json.",
                "saved to <local>/q/x.json.",
            ),
            (r"C:\Users\carol\data\r.parquet", r"<local>\data\r.parquet"),
            ("/root/.aws/credentials", "<local>/.aws/credentials"),
            ("file:///home/dave/x", "file://<local>/x"),
            ("/home/erin", "<local>"),
        ] {
            assert_eq!(clean(input).0, want, "{input}");
        }
        for same in [
            "https://example.com/home/alice/x",
            "/srv/home/x",
            "/rooted",
            "s3://b/Users/x",
        ] {
            assert_eq!(clean(same).0, same);
        }
    }

    #[test]
    fn secret_named_keys_are_redacted_and_reported_by_path() {
        let mut v = json!({
            "password": {"nested": 1},
            "apiKey": "plain",
            "X-Api-Key": "k",
            "tokens": 5,
            "note": "ok",
            "list": ["/home/zed/x", "fine"],
            "a/b": "Bearer abcdefgh12345",
        });
        let mut report = Vec::new();
        sanitize_value(&mut v, "/meta", &mut report);
        assert_eq!(v["password"], "[REDACTED:secret_field]");
        assert_eq!(v["apiKey"], "[REDACTED:secret_field]");
        assert_eq!(v["X-Api-Key"], "[REDACTED:secret_field]");
        assert_eq!(v["tokens"], 5);
        assert_eq!(v["list"][0], "<local>/x");
        let got: Vec<_> = report.iter().map(|r| (r.path.as_str(), r.kind)).collect();
        assert_eq!(
            got,
            vec![
                ("/meta/password", RedactionKind::SecretField),
                ("/meta/apiKey", RedactionKind::SecretField),
                ("/meta/X-Api-Key", RedactionKind::SecretField),
                ("/meta/list/0", RedactionKind::LocalPath),
                ("/meta/a~1b", RedactionKind::BearerToken),
            ]
        );
    }

    #[test]
    fn clean_text_is_untouched() {
        for s in [
            "",
            "momentum strategy, sharpe 1.8",
            "token count: 5 tokens",
            "AKIA short",
            "eyJ not a jwt",
            "bearer of bad news",
            "日本語のテキスト /home",
        ] {
            assert_eq!(clean(s), (s.to_string(), vec![]), "{s}");
        }
    }

    /// Realistic secrets; none may survive anywhere in a sanitized bundle's output.
    const SECRETS: &[&str] = &[
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7",
        "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
        "Zm9vYmFyYmF6cXV4",
        "3b1c0a9f7e",
        "hunter2",
        "alice",
        "s3cr3tvalue",
        "K2JCJMDEHXQW5F",
    ];

    fn leaky_bundle() -> Value {
        json!({
            "bundle_version": 1,
            "world_id": "w",
            "created_at": "2025-12-02T10:00:00Z by /home/alice/ci",
            "meta": {"ci_token": "s3cr3tvalue", "note": "uploaded with AKIAIOSFODNN7EXAMPLE"},
            "submissions": [{
                "strategy_id": "s",
                "returns": [0.01, -0.02],
                "stage": "backtest password=hunter2",
                "window": "2025-12-01/2025-12-02",
                "meta": {
                    "env": "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    "gcp": {"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n"},
                    "gcp_text": "{\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n-----END PRIVATE KEY-----\\n\"}",
                    "maps": "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
                    "azure": "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;EndpointSuffix=core.windows.net",
                    "tags": ["ghp_16C7e42F292c6912E7710c838347Ae178B4a", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"],
                    "headers": "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                    "billing": "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
                    "workdir": "/Users/alice/strategies"
                },
                "storage_refs": {
                    "s3": "https://b.s3.amazonaws.com/r.parquet?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20251202&X-Amz-Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
                    "gcs": "https://storage.googleapis.com/b/p.parquet?X-Goog-Signature=3b1c0a9f7e",
                    "azure": "https://a.blob.core.windows.net/c/r.parquet?sv=2022-11-02&sp=r&se=2025-12-03&sig=Zm9vYmFyYmF6cXV4",
                    "cf": "https://d1.cloudfront.net/r.parquet?Expires=1&Signature=abc&Key-Pair-Id=K2JCJMDEHXQW5F",
                    "local": "C:\\Users\\alice\\runs\\r.parquet"
                },
                "metrics": {"risk": {"concentration_warnings": ["see /home/alice/report.txt"]}}
            }]
        })
    }

    #[test]
    fn no_secret_survives_in_the_sanitized_bundle() {
        let mut v = leaky_bundle();
        let report = sanitize_bundle_value(&mut v);
        let out = serde_json::to_string(&v).unwrap();
        let report_text = serde_json::to_string(&report).unwrap();
        for s in SECRETS {
            assert!(!out.contains(s), "`{s}` survived: {out}");
            assert!(!report_text.contains(s), "`{s}` is in the report");
        }
        assert!(out.contains("https://b.s3.amazonaws.com/r.parquet\""));
        assert!(
            report
                .iter()
                .any(|r| r.path == "/submissions/0/storage_refs/s3"
                    && r.kind == RedactionKind::SignedUrl)
        );
        assert!(
            report
                .iter()
                .any(|r| r.path == "/meta/ci_token" && r.kind == RedactionKind::SecretField)
        );
        assert!(
            report
                .iter()
                .any(|r| r.path == "/submissions/0/metrics/risk/concentration_warnings/0")
        );
    }

    #[test]
    fn typed_and_json_sanitizers_agree() {
        let mut v = leaky_bundle();
        let mut b: crate::schema::Bundle = serde_json::from_value(v.clone()).unwrap();
        let from_value = sanitize_bundle_value(&mut v);
        let typed = sanitize_bundle(&mut b);
        assert_eq!(typed, from_value);
        assert_eq!(
            serde_json::to_value(&b.submissions[0].meta).unwrap(),
            v["submissions"][0]["meta"]
        );
    }
}
