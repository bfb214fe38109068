//! The hasher of the policy engine's per-strategy lookup tables (metric names → values).
//!
//! In the wasm build these tables use a multiply-rotate hash (FxHash's step, with a final mix so
//! the low bits a table indexes by depend on every input byte): std's SipHash costs about a third
//! of building a strategy's metrics view there, and buys no flooding resistance in that build
//! anyway (wasm32-unknown-unknown has no entropy source, so `RandomState`'s keys are
//! predictable). Natively the tables keep std's randomly keyed `RandomState`. Neither changes an
//! outcome: the tables are `IndexMap`s (insertion order) or only looked up.

use std::hash::Hasher;

/// The `BuildHasher` of the policy's lookup tables.
#[cfg(target_arch = "wasm32")]
pub(crate) type FastState = std::hash::BuildHasherDefault<FxHasher>;
/// The `BuildHasher` of the policy's lookup tables.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) type FastState = std::collections::hash_map::RandomState;

const K: u64 = 0xf135_7aea_2e62_a9c5;

/// Multiply-rotate hashing of 8-byte words.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    #[inline(always)]
    fn add(&mut self, word: u64) {
        self.0 = (self.0 ^ word).wrapping_mul(K).rotate_left(26);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        // Words assembled by shifts: `copy_from_slice` would be a `memory.copy` call per word
        // in the wasm build.
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = 0u64;
            for (k, b) in c.iter().enumerate() {
                w |= u64::from(*b) << (8 * k);
            }
            self.add(w);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = (rest.len() as u64) << 59;
            for (k, b) in rest.iter().enumerate() {
                w ^= u64::from(*b) << (8 * k);
            }
            self.add(w);
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        let h = self.0;
        (h ^ (h >> 32)).wrapping_mul(K) ^ (h >> 29)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, BuildHasherDefault};

    #[test]
    fn similar_names_spread_over_the_low_bits() {
        // Metric names differ in a byte or two; a table indexes by the low bits.
        let b = BuildHasherDefault::<FxHasher>::default();
        let mut seen = std::collections::HashSet::new();
        for i in 0..256 {
            seen.insert(b.hash_one(format!("returns.metric_{i}")) & 0x3ff);
        }
        assert!(seen.len() > 200, "{} distinct of 256", seen.len());
        assert_ne!(b.hash_one("ab"), b.hash_one("ba"));
        assert_ne!(b.hash_one(""), b.hash_one("\0"));
    }
}
