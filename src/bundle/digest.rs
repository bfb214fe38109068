//! Content digests: `sha256:<64 lowercase hex>` of bytes or of canonical JSON
//! ([`canonical`](super::canonical)), so equal documents have equal digests in every runtime.

use super::canonical::{canonical_json, to_canonical_string};
use crate::error::Error;
use serde::Serialize;
use serde_json::Value;

/// An incremental sha256 that ends as `sha256:<hex>`: [`super::sha256`] in the wasm build,
/// the `sha2` crate natively (same digests; tests compare the two).
#[derive(Debug, Clone, Default)]
pub struct Hasher(Inner);

#[cfg(target_arch = "wasm32")]
type Inner = super::sha256::Sha256;
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
        let mut out = String::with_capacity(71);
        out.push_str("sha256:");
        for b in hash {
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 0xf));
        }
        out
    }
}

/// `sha256:<hex>` of raw bytes.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    let mut h = Hasher::new();
    h.update(bytes);
    h.finish()
}

fn hex_digit(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'a' + n - 10 })
}

/// `sha256:<hex>` of the canonical JSON of a bundle read by
/// [`parse_bundle`](super::json::parse_bundle) (the digest of
/// [`bundle_to_canonical_string`](super::canonical::bundle_to_canonical_string)), hashing each
/// series' text where it is instead of copying it into one canonical text.
pub fn bundle_digest(value: &Value, series: &[super::Series]) -> String {
    let mut h = Hasher::new();
    let mut out = String::new();
    super::canonical::write_bundle(value, series, &mut out, &mut |out, text| {
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
        let (v, series) = super::super::parse_bundle(doc.as_bytes(), &Default::default()).unwrap();
        let text = super::super::canonical::bundle_to_canonical_string(&v, &series);
        assert_eq!(bundle_digest(&v, &series), sha256_bytes(text.as_bytes()));
        // And both are the digest of the whole document read as a tree.
        let full: Value = serde_json::from_str(doc).unwrap();
        assert_eq!(bundle_digest(&v, &series), digest_value(&full));
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
