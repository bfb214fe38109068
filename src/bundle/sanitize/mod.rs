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
//! AWS secret access keys (40 base64 characters with no prefix) are redacted beside an access
//! key id or the word `aws`, and anywhere when they mix cases and digits.
//!
//! **Decoded before matching.** Each text is scanned as given and then in its decoded forms, up
//! to [`MAX_DECODE_LAYERS`] layers deep: percent-encoding (`%41KIA…`, `key%3DAKIA…`,
//! `X%2DAmz%2DSignature=…`), `+` as a space, and JSON escapes written in text (`\u0041`,
//! `\/`). A text whose secret shows only once decoded is kept in that decoded form, redacted:
//! no encoding of a secret survives.
//!
//! **Keys as well as values.** In objects, a key that names a secret (`password`, `api_key`,
//! `token`, `authorization`, `private_key`, …) has its value replaced whatever it looks like, and
//! a key that *holds* a secret (`{"AKIA…": 1}`, a custom metric `n_AKIA…`) is renamed to its
//! sanitized text, made unique in its object with a `#2`, `#3`… suffix. Every change is reported
//! as a [`Redaction`]: JSON pointer (of the renamed key, never of the secret) and kind, never the
//! value.
//!
//! **Free text outside bundles** (a run transition's reason, a policy's source, an idempotency
//! key) goes through [`sanitize_field`]; error documents that quote input through
//! [`sanitize_errors`].
//!
//! All of it is linear in the text: a bundle's numeric series are never visited, only strings.
//!
//! ```
//! use worldgate::bundle::sanitize::sanitize_field;
//! let out = sanitize_field("rotated key %41KIAIOSFODNN7EXAMPLE", "/reason");
//! assert_eq!(out.text, "rotated key [REDACTED:aws_access_key_id]");
//! assert_eq!(out.redactions[0].path, "/reason");
//! ```

mod decode;
mod scan;
#[cfg(test)]
mod tests;

use crate::error::{Error, pointer_join};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// How many layers of encoding [`sanitize_text`] looks through (`%2541` is two).
pub const MAX_DECODE_LAYERS: usize = 4;

/// Above this many distinct secrets found in layers other than the deepest one, a text is
/// replaced whole (see [`sanitize_text`]).
const MAX_CROSS_LAYER_FINDS: usize = 32;

/// What was removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// A free-text field after sanitizing: the text to store and what was removed from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema, ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SanitizedText {
    /// The text with every secret replaced (the input itself when nothing was found).
    pub text: String,
    /// One entry per change, at the field's path.
    pub redactions: Vec<Redaction>,
}

/// Sanitizes one free-text field that is stored or served (a transition's reason, a policy's
/// source with its comments, an idempotency key), reporting each change at `path`.
pub fn sanitize_field(text: &str, path: &str) -> SanitizedText {
    let mut redactions = Vec::new();
    let mut s = text.to_string();
    sanitize_string(&mut s, path, &mut redactions);
    SanitizedText {
        text: s,
        redactions,
    }
}

/// Sanitizes error documents before they leave the engine: `message`, `help` and each segment of
/// `path` (a pointer into the input may name a secret-bearing key).
pub fn sanitize_errors(errors: &mut [Error]) {
    let mut kinds = Vec::new();
    for e in errors {
        if let Some(m) = sanitize_text(&e.message, &mut kinds) {
            e.message = m;
        }
        if let Some(h) = e.help.as_deref().and_then(|h| sanitize_text(h, &mut kinds)) {
            e.help = Some(h);
        }
        if let Some(p) = sanitize_pointer(&e.path) {
            e.path = p;
        }
    }
}

/// A JSON pointer with each segment sanitized, or `None` when none changed.
fn sanitize_pointer(path: &str) -> Option<String> {
    let mut kinds = Vec::new();
    let mut changed = false;
    let mut out = String::with_capacity(path.len());
    for seg in path.split('/').skip(1) {
        let raw = seg.replace("~1", "/").replace("~0", "~");
        let clean = sanitize_text(&raw, &mut kinds);
        changed |= clean.is_some();
        out = pointer_join(&out, clean.as_deref().unwrap_or(&raw));
    }
    changed.then_some(out)
}

/// Sanitizes every string and every key in `value` (values of secret-named keys are replaced;
/// keys holding a secret are renamed), appending one [`Redaction`] per change to `report`.
/// `path` is the pointer of `value`.
pub fn sanitize_value(value: &mut Value, path: &str, report: &mut Vec<Redaction>) {
    walk(value, path, report, true);
}

/// [`sanitize_value`] without the key-name rule: string contents change and keys holding a
/// secret are renamed (a typed document's field names never hold one), so a typed document (a
/// metric block and its `custom` names) keeps its shape.
pub fn sanitize_strings(value: &mut Value, path: &str, report: &mut Vec<Redaction>) {
    walk(value, path, report, false);
}

fn walk(value: &mut Value, path: &str, report: &mut Vec<Redaction>, field_rule: bool) {
    match value {
        Value::String(s) => sanitize_string(s, path, report),
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                if matches!(item, Value::String(_) | Value::Array(_) | Value::Object(_)) {
                    walk(item, &pointer_join(path, i), report, field_rule);
                }
            }
        }
        Value::Object(map) if field_rule => sanitize_map(map, path, report),
        Value::Object(map) => {
            sanitize_keys(map, path, report);
            for (k, v) in map.iter_mut() {
                walk(v, &pointer_join(path, k), report, field_rule);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// [`sanitize_value`] for an object's members.
pub fn sanitize_map(map: &mut Map<String, Value>, path: &str, report: &mut Vec<Redaction>) {
    sanitize_keys(map, path, report);
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

/// Renames the members of `map` whose key holds a secret: the new key is the key's sanitized
/// text, suffixed `#2`, `#3`… when another member already has it. Order is kept; each change is
/// reported at the new key's pointer.
fn sanitize_keys(map: &mut Map<String, Value>, path: &str, report: &mut Vec<Redaction>) {
    let mut renames: Vec<(usize, String, Vec<RedactionKind>)> = Vec::new();
    for (i, key) in map.keys().enumerate() {
        let mut kinds = Vec::new();
        if let Some(clean) = sanitize_text(key, &mut kinds) {
            renames.push((i, clean, kinds));
        }
    }
    if renames.is_empty() {
        return;
    }
    let old = std::mem::take(map);
    let mut used: std::collections::HashSet<String> = old
        .keys()
        .enumerate()
        .filter(|(i, _)| !renames.iter().any(|(j, _, _)| j == i))
        .map(|(_, k)| k.clone())
        .collect();
    let mut renames = renames.into_iter().peekable();
    for (i, (key, v)) in old.into_iter().enumerate() {
        let key = match renames.next_if(|(j, _, _)| *j == i) {
            Some((_, clean, kinds)) => {
                let mut unique = clean.clone();
                let mut n = 2;
                while used.contains(&unique) {
                    unique = format!("{clean}#{n}");
                    n += 1;
                }
                used.insert(unique.clone());
                let p = pointer_join(path, &unique);
                report.extend(kinds.into_iter().map(|kind| Redaction {
                    path: p.clone(),
                    kind,
                }));
                unique
            }
            None => key,
        };
        map.insert(key, v);
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
/// each change pushed to `kinds`.
///
/// The text and its decoded forms (each `decode` layer of the one before, up to
/// [`MAX_DECODE_LAYERS`]) are scanned independently. When only the text as given holds
/// secrets, the answer keeps its encoding. When a decoded form holds one, the answer is the
/// deepest such form, redacted (`key%3D%41KIA…` → `key=[REDACTED:aws_access_key_id]`), with
/// whatever a shallower layer found removed from it as well (in the form it has there): every
/// layer's secrets are gone, and a match in one layer never cuts through the shape another
/// layer needs. A text with more than 32 such distinct finds is replaced whole by one marker (the
/// work stays linear on hostile input).
pub fn sanitize_text(text: &str, kinds: &mut Vec<RedactionKind>) -> Option<String> {
    let mut layers: Vec<(Option<String>, scan::Found)> = Vec::new();
    let mut found = scan::Found::default();
    layers.push((scan::scan(text, &mut found), found));
    let mut decoded: Option<String> = None;
    for _ in 0..MAX_DECODE_LAYERS {
        let Some(next) = decode::decode_once(decoded.as_deref().unwrap_or(text)) else {
            break;
        };
        let mut found = scan::Found::default();
        let clean = scan::scan(&next, &mut found);
        layers.push((
            clean
                .or_else(|| Some(next.clone()))
                .filter(|_| !found.kinds.is_empty()),
            found,
        ));
        decoded = Some(next);
    }
    // The deepest layer that finds something its shallower neighbour did not (a secret in plain
    // text is found again in every decoded layer: it alone does not make the answer decoded).
    let adds = |i: usize| -> bool {
        let Some((_, found)) = layers.get(i) else {
            return false;
        };
        let Some(prev) = i.checked_sub(1).and_then(|j| layers.get(j)) else {
            return !found.kinds.is_empty();
        };
        found.removed.iter().any(|(_, r)| {
            !prev.1.removed.iter().any(|(_, p)| {
                p == r || decode::decode_once(p).is_some_and(|d| d.trim() == r.trim())
            })
        })
    };
    let deepest = (0..layers.len()).rev().find(|&i| adds(i))?;
    let mut out = layers.get(deepest)?.0.clone()?;
    // What the other layers found, as it reads in the deepest layer (decoded as often as it was).
    let mut forms: Vec<(RedactionKind, String)> = Vec::new();
    for (i, (_, found)) in layers.iter().enumerate() {
        if i == deepest {
            continue;
        }
        for (kind, removed) in &found.removed {
            let mut form = removed.clone();
            for _ in i..deepest {
                if let Some(d) = decode::decode_once(&form) {
                    form = d;
                }
            }
            let form = form.trim().to_string();
            if form.len() >= 4 && !forms.iter().any(|(_, f)| *f == form) {
                forms.push((*kind, form));
            }
        }
    }
    let mut extra: Vec<RedactionKind> = Vec::new();
    if forms.len() > MAX_CROSS_LAYER_FINDS {
        // Pathological text (secrets by the hundred in several encodings): the whole text goes,
        // which keeps the work linear.
        let kind = forms.first().map_or(RedactionKind::SecretPair, |(k, _)| *k);
        out = marker(kind);
        extra.push(kind);
    } else {
        for (kind, form) in forms {
            if out.contains(&form) {
                out = out.replace(&form, &marker(kind));
                extra.push(kind);
            }
        }
    }
    if let Some((_, found)) = layers.get(deepest) {
        kinds.extend_from_slice(&found.kinds);
    }
    kinds.extend(extra);
    Some(out)
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
            && let Ok(mut v) = crate::json::to_value(&*m)
        {
            let before = r.len();
            sanitize_strings(&mut v, &format!("{base}/metrics"), r);
            if r.len() > before
                && let Ok(clean) = crate::schema::from_value(&v)
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

// The redaction's decoder from its field table (`crate::json::fields`); same messages and paths
// as the derived one.
crate::json::fields::table_struct!(Redaction { path, kind = RedactionKind::Jwt } required [path, kind]);
crate::json::fields::table_enum!(RedactionKind {
    AwsAccessKeyId = "aws_access_key_id",
    AwsSecretAccessKey = "aws_secret_access_key",
    GoogleApiKey = "google_api_key",
    AzureKey = "azure_key",
    GithubToken = "github_token",
    SlackToken = "slack_token",
    StripeKey = "stripe_key",
    BearerToken = "bearer_token",
    Jwt = "jwt",
    PrivateKey = "private_key",
    SecretPair = "secret_pair",
    SecretField = "secret_field",
    SignedUrl = "signed_url",
    UrlCredentials = "url_credentials",
    LocalPath = "local_path",
});
