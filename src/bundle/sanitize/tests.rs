//! Unit tests of the sanitizer (the corpus and the property test are in `tests/sanitize.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

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

#[test]
fn secrets_behind_encodings_and_inside_words_are_found() {
    use RedactionKind as K;
    for (input, want, kind) in [
        (
            "key%3DAKIAIOSFODNN7EXAMPLE",
            "key%3D[REDACTED:aws_access_key_id]",
            K::AwsAccessKeyId,
        ),
        (
            "xxAKIAIOSFODNN7EXAMPLEyy",
            "xx[REDACTED:aws_access_key_id]yy",
            K::AwsAccessKeyId,
        ),
        (
            "id %41KIAIOSFODNN7EXAMPLE",
            "id [REDACTED:aws_access_key_id]",
            K::AwsAccessKeyId,
        ),
        (
            r"id \u0041KIAIOSFODNN7EXAMPLE",
            "id [REDACTED:aws_access_key_id]",
            K::AwsAccessKeyId,
        ),
        (
            "https://b.s3.amazonaws.com/k;X-Amz-Signature=abc123",
            "https://b.s3.amazonaws.com/k",
            K::SignedUrl,
        ),
        (
            "https://b.s3.amazonaws.com/k?a=1&X%2DAmz%2DSignature=abc123",
            "https://b.s3.amazonaws.com/k",
            K::SignedUrl,
        ),
        (
            "AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "[REDACTED:aws_access_key_id] / [REDACTED:aws_secret_access_key]",
            K::AwsSecretAccessKey,
        ),
        (
            "postgres://quant:pw@db:5432/runs",
            "postgres://db:5432/runs",
            K::UrlCredentials,
        ),
    ] {
        let (got, kinds) = clean(input);
        assert_eq!(got, want, "{input}");
        assert!(kinds.contains(&kind), "{input}: {kinds:?}");
    }
    // a 40-character hex digest is not a secret key; clean encoded text keeps its encoding
    for same in [
        "commit fe5f80f77d5fa3beca038a248ff027d0445342fe",
        "a%20b+c \\u0041",
        "task_live_counter",
    ] {
        assert_eq!(clean(same), (same.to_string(), vec![]), "{same}");
    }
}

#[test]
fn keys_holding_secrets_are_renamed_uniquely_in_place() {
    let mut v = json!({"a": 1, "AKIAIOSFODNN7EXAMPLE": 2, "[REDACTED:aws_access_key_id]": 3, "ASIAY34FZKBOKMUTVV7A": 4});
    let mut report = Vec::new();
    sanitize_value(&mut v, "/meta", &mut report);
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "a",
            "[REDACTED:aws_access_key_id]#2",
            "[REDACTED:aws_access_key_id]",
            "[REDACTED:aws_access_key_id]#3"
        ]
    );
    assert_eq!(v["[REDACTED:aws_access_key_id]#2"], 2);
    let paths: Vec<&str> = report.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/meta/[REDACTED:aws_access_key_id]#2",
            "/meta/[REDACTED:aws_access_key_id]#3"
        ]
    );
}

#[test]
fn errors_lose_the_secrets_they_quote() {
    let mut errors = vec![
        crate::Error::new(
            crate::Code::Schema,
            "/submissions/0/ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            "unknown field `ghp_16C7e42F292c6912E7710c838347Ae178B4a`",
        )
        .with_help("did you mean `sk_live_4eC39HqLyjWDarjtT1zdp7dc`?"),
    ];
    sanitize_errors(&mut errors);
    let text = serde_json::to_string(&errors).unwrap();
    assert!(
        !text.contains("16C7e42F") && !text.contains("4eC39Hq"),
        "{text}"
    );
    assert_eq!(errors[0].path, "/submissions/0/[REDACTED:github_token]");
}

#[test]
fn hostile_text_with_many_layered_secrets_stays_linear_and_clean() {
    // Each key id plain (found as given) and glued to an encoded one (found once decoded).
    let text: String = (0..200)
        .map(|i| format!("AKIA{i:016} %41KIA{i:016} "))
        .collect();
    let (got, kinds) = clean(&text);
    assert!(!got.contains("0000000"), "{}", &got[..200]);
    assert!(!kinds.is_empty());
}

#[test]
fn redaction_kind_table_names_the_variants_as_serialize_does() {
    crate::json::fields::check_enum_table(RedactionKind::table_variants());
}
