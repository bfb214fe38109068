//! Content digests: `sha256:<64 lowercase hex>` of bytes or of canonical JSON
//! ([`crate::json::canonical`]), so equal documents have equal digests in every runtime.
//!
//! An embedding may supply its platform's SHA-256 ([`set_platform_sha256`]): the package's
//! Node entry passes `node:crypto`'s, which uses the CPU's SHA instructions and hashes a
//! megabyte in about a sixth of the time SHA-256 in wasm takes. Inputs of at least
//! [`PLATFORM_MIN_BYTES`] go to it; shorter ones, and every input when it fails, are hashed by
//! the built-in code. The digests are the same either way.

pub mod sha256;

use crate::error::Error;
use crate::json::canonical::{
    canonical_json, canonical_with_series, to_canonical_string, write_with_series,
};
use crate::json::{Series, SeriesSpec};
use serde::Serialize;
use serde_json::Value;
use std::cell::Cell;

/// A one-shot SHA-256 supplied by the embedding; `None` when it failed.
pub type PlatformSha256 = fn(&[u8]) -> Option<[u8; 32]>;

/// Inputs shorter than this are hashed by the built-in code even when a platform SHA-256 is
/// installed: below it, the call into the host costs more than it saves.
pub const PLATFORM_MIN_BYTES: usize = 4096;

thread_local! {
    static PLATFORM: Cell<Option<PlatformSha256>> = const { Cell::new(None) };
}

/// Installs `f` as the SHA-256 for large inputs (on this thread), or removes it (`None`).
/// A function that does not reproduce the FIPS 180-2 examples is not installed.
///
/// Returns whether a platform SHA-256 is installed afterwards.
pub fn set_platform_sha256(f: Option<PlatformSha256>) -> bool {
    const VECTORS: [(&[u8], &str); 2] = [
        (
            b"abc",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        (
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
    ];
    let f = f.filter(|f| {
        VECTORS
            .iter()
            .all(|(input, hex)| f(input).is_some_and(|h| prefixed_hex(h).get(7..) == Some(*hex)))
    });
    PLATFORM.with(|p| p.set(f));
    f.is_some()
}

/// The platform's SHA-256 of `bytes`, if one is installed, the input is long enough and it
/// answers.
fn platform_sha256(bytes: &[u8]) -> Option<[u8; 32]> {
    if bytes.len() < PLATFORM_MIN_BYTES {
        return None;
    }
    PLATFORM.with(Cell::get).and_then(|f| f(bytes))
}

/// An incremental sha256 that ends as `sha256:<hex>`: [`sha256`] in the wasm build,
/// the `sha2` crate natively (same digests; tests compare the two).
#[derive(Debug, Clone, Default)]
pub struct Hasher(Inner);

#[cfg(target_arch = "wasm32")]
type Inner = sha256::Sha256;
#[cfg(not(target_arch = "wasm32"))]
type Inner = sha2::Sha256;

impl Hasher {
    /// A hasher that has seen nothing.
    pub fn new() -> Self {
        Hasher::default()
    }

    /// Hashes `bytes` after what came before.
    #[inline]
    pub fn update(&mut self, bytes: &[u8]) {
        #[cfg(not(target_arch = "wasm32"))]
        sha2::Digest::update(&mut self.0, bytes);
        #[cfg(target_arch = "wasm32")]
        self.0.update(bytes);
    }

    /// `sha256:<64 lowercase hex>` of everything hashed.
    pub fn finish(self) -> String {
        #[cfg(not(target_arch = "wasm32"))]
        let hash: [u8; 32] = sha2::Digest::finalize(self.0).into();
        #[cfg(target_arch = "wasm32")]
        let hash = self.0.finalize();
        prefixed_hex(hash)
    }
}

/// `sha256:` and the hash in lowercase hex.
fn prefixed_hex(hash: [u8; 32]) -> String {
    let mut out = String::with_capacity(71);
    out.push_str("sha256:");
    for b in hash {
        out.push(hex_digit(b >> 4));
        out.push(hex_digit(b & 0xf));
    }
    out
}

/// `sha256:<hex>` of raw bytes.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    if let Some(hash) = platform_sha256(bytes) {
        return prefixed_hex(hash);
    }
    let mut h = Hasher::new();
    h.update(bytes);
    h.finish()
}

fn hex_digit(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'a' + n - 10 })
}

/// `sha256:<hex>` of the canonical JSON of a tree read by
/// [`parse_with_series`](crate::json::parse_with_series) (the digest of
/// [`canonical_with_series`]). The built-in code hashes each series' text where it is instead
/// of copying it into one canonical text; a platform SHA-256 gets the whole text.
pub fn digest_with_series(value: &Value, spec: &SeriesSpec, series: &[Series]) -> String {
    if PLATFORM.with(Cell::get).is_some() {
        return sha256_bytes(canonical_with_series(value, spec, series).as_bytes());
    }
    let mut h = Hasher::new();
    let mut out = String::new();
    write_with_series(value, spec, series, &mut out, &mut |out, text| {
        out.push('[');
        h.update(out.as_bytes());
        out.clear();
        h.update(text.as_bytes());
        out.push(']');
    });
    h.update(out.as_bytes());
    h.finish()
}

/// `sha256:<hex>` of the canonical JSON of a value.
pub fn digest_value(value: &Value) -> String {
    sha256_bytes(to_canonical_string(value).as_bytes())
}

/// `sha256:<hex>` of the canonical JSON of any serializable value.
///
/// # Errors
/// `E_INTERNAL` when the value cannot be represented as JSON.
pub fn digest<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    Ok(sha256_bytes(canonical_json(value)?.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: SeriesSpec = SeriesSpec {
        array: "submissions",
        fields: &["returns", "equity", "pnl"],
    };

    fn bundle_digest(v: &Value, series: &[Series]) -> String {
        digest_with_series(v, &SPEC, series)
    }

    #[test]
    fn known_sha256_vectors() {
        // FIPS 180-2 examples.
        assert_eq!(
            sha256_bytes(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_bytes(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn bundle_digest_is_the_digest_of_the_canonical_text() {
        let doc = r#"{"world_id":"w","submissions":[{"strategy_id":"a","returns":[0.10, 2e-3,"nan"],
            "meta":{"x":[1.50]}},{"pnl":[],"strategy_id":"b","equity":[1,2]}],"bundle_version":1}"#;
        let (v, series) =
            crate::json::parse_with_series(doc.as_bytes(), &Default::default(), &SPEC).unwrap();
        let text = canonical_with_series(&v, &SPEC, &series);
        assert_eq!(bundle_digest(&v, &series), sha256_bytes(text.as_bytes()));
        // And both are the digest of the whole document read as a tree.
        let full: Value = serde_json::from_str(doc).unwrap();
        assert_eq!(bundle_digest(&v, &series), digest_value(&full));
    }

    /// A platform SHA-256 for the tests: `sha2`, counting its calls (per thread: each test
    /// runs on its own thread, and so does its installed function).
    fn counted_sha2(bytes: &[u8]) -> Option<[u8; 32]> {
        CALLS.with(|c| c.set(c.get() + 1));
        Some(sha2::Digest::finalize(<sha2::Sha256 as sha2::Digest>::new_with_prefix(bytes)).into())
    }
    thread_local! { static CALLS: Cell<usize> = const { Cell::new(0) }; }

    #[test]
    fn a_platform_sha256_hashes_large_inputs_with_the_same_digests() {
        let doc = format!(
            r#"{{"bundle_version":1,"world_id":"w","submissions":[{{"strategy_id":"a","returns":[{}]}}]}}"#,
            vec!["0.0123"; 2000].join(",")
        );
        let (v, series) =
            crate::json::parse_with_series(doc.as_bytes(), &Default::default(), &SPEC).unwrap();
        let big = vec![7u8; PLATFORM_MIN_BYTES];
        let builtin = (
            bundle_digest(&v, &series),
            sha256_bytes(&big),
            sha256_bytes(b"abc"),
        );

        assert!(set_platform_sha256(Some(counted_sha2)));
        CALLS.with(|c| c.set(0));
        let platform = (
            bundle_digest(&v, &series),
            sha256_bytes(&big),
            sha256_bytes(b"abc"),
        );
        // The bundle and the 4 KiB input went to the platform; "abc" did not.
        assert_eq!(CALLS.with(Cell::get), 2);
        assert_eq!(platform, builtin);
        assert!(!set_platform_sha256(None));
        assert_eq!(sha256_bytes(&big), builtin.1);
    }

    #[test]
    fn a_wrong_or_failing_platform_sha256_is_not_used() {
        fn wrong(_: &[u8]) -> Option<[u8; 32]> {
            Some([0; 32])
        }
        fn failing(_: &[u8]) -> Option<[u8; 32]> {
            None
        }
        fn fails_on_large(bytes: &[u8]) -> Option<[u8; 32]> {
            if bytes.len() >= PLATFORM_MIN_BYTES {
                return None;
            }
            Some(
                sha2::Digest::finalize(<sha2::Sha256 as sha2::Digest>::new_with_prefix(bytes))
                    .into(),
            )
        }
        let big = vec![1u8; 10_000];
        let expected = sha256_bytes(&big);
        assert!(!set_platform_sha256(Some(wrong)));
        assert!(!set_platform_sha256(Some(failing)));
        assert_eq!(sha256_bytes(&big), expected);
        // Installed (the short vectors pass), then failing: the built-in code takes over.
        assert!(set_platform_sha256(Some(fails_on_large)));
        assert_eq!(sha256_bytes(&big), expected);
        set_platform_sha256(None);
    }

    #[test]
    fn key_order_and_spacing_do_not_change_the_digest() {
        let a: Value = serde_json::from_str(r#"{"b": [1.0, 2], "a": "x"}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":"x","b":[1,2.0]}"#).unwrap();
        assert_eq!(digest_value(&a), digest_value(&b));
        // The canonical text is `{"a":"x","b":[1,2]}`; its sha256 computed independently
        // (printf '%s' '{"a":"x","b":[1,2]}' | sha256sum).
        assert_eq!(
            digest_value(&a),
            "sha256:721ef82f2d6c0997bffb7a8ab3f40f8fb45b0b52ce2af3afa6b0f05efbdc317f"
        );
    }
}
