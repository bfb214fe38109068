//! The text scanners: one pass over the text per family of shapes, each O(n) in the text's
//! length. [`scan`] runs them in order on one layer of text; [`super::sanitize_text`] runs it on
//! the text as given and on each decoded form ([`super::decode`]).
//!
//! 1. URLs (any `scheme://`) and PEM blocks, which span characters the later passes treat as
//!    separators;
//! 2. provider tokens, `name=value` pairs and host-local paths: pairs and paths at word
//!    boundaries, the distinctive provider prefixes (`AKIA`, `eyJ…`, `ghp_`, …) anywhere, also
//!    inside a word (`xxAKIA…yy`);
//! 3. AWS secret access keys: a 40-character base64 run, upper and lower case, beside an access
//!    key id or the word `aws` in the same text; elsewhere it must also hold a digit.

use super::{RedactionKind, is_secret_key, marker, secret_suffix};

/// What the passes found: each change's kind, and the text it removed (kept only inside the
/// sanitizer, to remove what one layer found from the text another layer gives).
#[derive(Default)]
pub(super) struct Found {
    pub(super) kinds: Vec<RedactionKind>,
    pub(super) removed: Vec<(RedactionKind, String)>,
}

impl Found {
    fn push(&mut self, kind: RedactionKind, removed: &str) {
        self.kinds.push(kind);
        self.removed.push((kind, removed.to_string()));
    }
}

/// Runs every pass on `text`: `None` when nothing was found.
pub(super) fn scan(text: &str, kinds: &mut Found) -> Option<String> {
    let from = kinds.kinds.len();
    let pass1 = urls_and_pem(text, kinds);
    let cur = pass1.as_deref().unwrap_or(text);
    let pass2 = tokens(cur, kinds);
    let cur2 = pass2.as_deref().unwrap_or(cur);
    let near_key_id = kinds
        .kinds
        .get(from..)
        .is_some_and(|k| k.contains(&RedactionKind::AwsAccessKeyId))
        || contains_ci(text, "aws");
    let pass3 = aws_secret_keys(cur2, near_key_id, kinds);
    pass3.or(pass2).or(pass1)
}

/// Whether `text` contains `needle` (ASCII, case-insensitive).
/// The byte index of the character after the one at `i`.
fn next_char(text: &str, mut i: usize) -> usize {
    i += 1;
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A scan's answer: `out` with the rest of `text` from `last`, or `None` when nothing changed.
fn finish(mut out: String, text: &str, last: usize, changed: bool) -> Option<String> {
    if !changed {
        return None;
    }
    out.push_str(text.get(last..).unwrap_or_default());
    Some(out)
}

fn contains_ci(text: &str, needle: &str) -> bool {
    let n = needle.len();
    text.as_bytes()
        .windows(n)
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

// ---------------------------------------------------------------------------------------------
// Pass 1: URLs and PEM blocks (they span characters the token pass treats as separators).

fn urls_and_pem(text: &str, kinds: &mut Found) -> Option<String> {
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
            kinds.push(
                RedactionKind::PrivateKey,
                rest.get(..end).unwrap_or_default(),
            );
            changed = true;
            i += end;
            last = i;
            continue;
        }
        if rest.starts_with("://") {
            // The scheme: the letters, digits, `+`, `-`, `.` before `://` (not before `last`).
            let start = scheme_start(text, last, i);
            let len = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
                .unwrap_or(rest.len());
            if start < i {
                let url = text.get(start..i + len).unwrap_or_default();
                if let Some(clean) = clean_url(url, kinds) {
                    out.push_str(text.get(last..start).unwrap_or_default());
                    out.push_str(&clean);
                    changed = true;
                    last = i + len;
                }
            }
            i += len.max(1);
            continue;
        }
        i = next_char(text, i);
    }
    finish(out, text, last, changed)
}

/// Start of the URL scheme ending at `colon` (`colon` itself when there is none); never before
/// `floor`.
fn scheme_start(text: &str, floor: usize, colon: usize) -> usize {
    let b = text.as_bytes();
    let mut j = colon;
    while j > floor
        && b.get(j - 1)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
    {
        j -= 1;
    }
    // A scheme starts with a letter.
    while j < colon && !b.get(j).is_some_and(u8::is_ascii_alphabetic) {
        j += 1;
    }
    j
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
    "jsessionid",
    "sessionid",
    "session",
    "client_secret",
];

/// The URL without signed query/fragment and userinfo, or `None` when it is clean.
fn clean_url(url: &str, kinds: &mut Found) -> Option<String> {
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
            kinds.push(RedactionKind::UrlCredentials, authority.get(..at)?);
            changed = true;
        }
        None => out.push_str(authority),
    }
    let rest = after_scheme.get(auth_len..)?;
    // Parameters follow `?`, `&`, `;` (also path parameters, `/k;sig=…`) or `#`; a name may be
    // percent-encoded (`X%2DAmz%2DSignature`).
    let q = rest.find(['?', '#', ';']).unwrap_or(rest.len());
    out.push_str(rest.get(..q)?);
    let query = rest.get(q..)?;
    let signed = query.split(['&', '#', '?', ';', '/']).any(|pair| {
        let Some((name, _)) = pair.split_once('=') else {
            return false;
        };
        let name = super::decode::percent_decode_lossy(name);
        SIGNED_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(&name)) || is_secret_key(&name)
    });
    if signed {
        kinds.push(RedactionKind::SignedUrl, query);
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

fn tokens(text: &str, kinds: &mut Found) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut last = 0;
    let mut i = 0;
    let mut changed = false;
    while let Some(&b) = bytes.get(i) {
        let prev = i.checked_sub(1).and_then(|j| bytes.get(j).copied());
        let boundary = prev.is_none_or(|p| !is_word(p));
        let hit = if !b.is_ascii() {
            None
        } else if boundary {
            let rest = text.get(i..).unwrap_or_default();
            token_at(rest, prev)
                .or_else(|| pair_at(rest))
                .or_else(|| local_path_at(rest, text.get(..i).unwrap_or_default()))
        } else if TOKEN_STARTS.contains(&b) {
            token_at(text.get(i..).unwrap_or_default(), prev)
        } else {
            None
        };
        if let Some(hit) = hit {
            out.push_str(text.get(last..i + hit.keep).unwrap_or_default());
            out.push_str(&hit.replacement);
            kinds.push(
                hit.kind,
                text.get(i + hit.keep..i + hit.len).unwrap_or_default(),
            );
            changed = true;
            i += hit.len;
            last = i;
            continue;
        }
        i = next_char(text, i);
    }
    finish(out, text, last, changed)
}

/// First bytes of the provider prefixes matched inside words too (`xxAKIA…`, `key_ghp_…`).
const TOKEN_STARTS: &[u8] = b"AgxesrpA";

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

/// A provider token starting at `s`; `prev` is the byte before it. Inside a word (`prev` a
/// word byte) only the distinctive prefixes count, and a key id ends where its upper-case run
/// does (`xxAKIA…yy` keeps `xx` and `yy`).
fn token_at(s: &str, prev: Option<u8>) -> Option<Hit> {
    use RedactionKind as K;
    let inside = prev.is_some_and(is_word);
    let word = run_len(s, is_word);
    let alnum_after = |p: usize| {
        run_len(s.get(p..).unwrap_or_default(), |b| {
            b.is_ascii_alphanumeric()
        })
    };
    if s.starts_with("AKIA") || s.starts_with("ASIA") {
        let id = run_len(s, |b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !inside && id >= 16 {
            return redact(word, 0, K::AwsAccessKeyId);
        }
        if id >= 20 {
            return redact(id, 0, K::AwsAccessKeyId);
        }
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
        && alnum_after(8)
            >= if prev.is_some_and(|p| p.is_ascii_alphabetic()) {
                // Glued to a word (`xxsk_live_…`): only a key's full length (`task_live_x` is not).
                20
            } else {
                10
            }
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
    if !inside && starts_with_ci(s, "bearer") {
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

// ---------------------------------------------------------------------------------------------
// Pass 3: AWS secret access keys (40 base64 characters, no prefix of their own).

/// Redacts each run of exactly 40 characters of `[A-Za-z0-9/+]` (`/` at its ends not counted)
/// with both cases; beside a key id (`near_key_id`) that is enough (and a longer run counts),
/// elsewhere it must also hold a digit (hex digests have one case and are kept).
fn aws_secret_keys(text: &str, near_key_id: bool, kinds: &mut Found) -> Option<String> {
    let class = |c: u8| c.is_ascii_alphanumeric() || c == b'/' || c == b'+';
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut last = 0;
    let mut i = 0;
    let mut changed = false;
    while i < bytes.len() {
        let n = run_len(text.get(i..).unwrap_or_default(), class);
        if n < 40 {
            i += n.max(1);
            continue;
        }
        let run = text.get(i..i + n).unwrap_or_default();
        let lead = run.len() - run.trim_start_matches('/').len();
        let core = run.trim_matches('/');
        let (start, end) = (i + lead, i + lead + core.len());
        i += n;
        // Beside a key id a longer run is a key with text glued to it (`…KEYyy`).
        if core.len() != 40 && !(near_key_id && core.len() > 40) {
            continue;
        }
        let has = |f: fn(&u8) -> bool| core.as_bytes().iter().any(f);
        let mixed = has(u8::is_ascii_uppercase) && has(u8::is_ascii_lowercase);
        if mixed && (near_key_id || has(u8::is_ascii_digit)) {
            out.push_str(text.get(last..start).unwrap_or_default());
            out.push_str(&marker(RedactionKind::AwsSecretAccessKey));
            kinds.push(
                RedactionKind::AwsSecretAccessKey,
                text.get(start..end).unwrap_or_default(),
            );
            changed = true;
            last = end;
        }
    }
    if !changed {
        return None;
    }
    out.push_str(text.get(last..).unwrap_or_default());
    Some(out)
}
