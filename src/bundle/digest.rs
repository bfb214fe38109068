//! Content digests: `sha256:<64 lowercase hex>` of bytes or of canonical JSON
//! ([`canonical`](super::canonical)), so equal documents have equal digests in every runtime.

use super::canonical::{canonical_json, to_canonical_string};
use crate::error::Error;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// `sha256:<hex>` of raw bytes.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let mut out = String::with_capacity(71);
    out.push_str("sha256:");
    for b in hash {
        out.push(hex_digit(b >> 4));
        out.push(hex_digit(b & 0xf));
    }
    out
}

fn hex_digit(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'a' + n - 10 })
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
