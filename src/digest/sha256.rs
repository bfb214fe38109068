//! SHA-256 (FIPS 180-4), incremental, for the WebAssembly build of the digests.
//!
//! The `sha2` crate's portable code relies on inlining its small round functions; the shipped
//! wasm is built at `opt-level = "s"` with a low inline threshold (scripts/build-pkg.sh), where
//! they stay calls and hashing runs at half speed. Here the rounds are unrolled by macros (four
//! groups of 16) and the message schedule lives in a 16-word window that the compiler keeps in
//! locals, so the speed does not depend on inlining decisions (~3 ms per MB in Node, against ~6.4 ms for
//! `sha2` in the same build). Native builds use `sha2` (hardware SHA instructions where the CPU
//! has them); tests check that both give the same digests.

/// Round constants: the first 32 bits of the fractional parts of the cube roots of the first 64
/// primes.
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// [`K`] in the four groups of 16 rounds that [`compress`] unrolls.
// Evaluated at compile time: an index out of range would fail the build, never a run.
#[allow(clippy::indexing_slicing)]
const K_GROUPS: [[u32; 16]; 4] = {
    let mut g = [[0; 16]; 4];
    let mut i = 0;
    while i < 64 {
        g[i / 16][i % 16] = K[i];
        i += 1;
    }
    g
};

/// Initial hash value: the first 32 bits of the fractional parts of the square roots of the
/// first 8 primes.
const H0: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// An incremental SHA-256: [`update`](Sha256::update) with any split of the input, then
/// [`finalize`](Sha256::finalize).
#[derive(Debug, Clone)]
pub struct Sha256 {
    state: [u32; 8],
    /// A partial block.
    block: [u8; 64],
    /// Bytes in `block`.
    filled: usize,
    /// Bytes hashed so far.
    len: u64,
}

impl Default for Sha256 {
    fn default() -> Self {
        Sha256::new()
    }
}

impl Sha256 {
    /// The hash of nothing yet.
    pub const fn new() -> Self {
        Sha256 {
            state: H0,
            block: [0; 64],
            filled: 0,
            len: 0,
        }
    }

    /// Hashes `data` after what came before.
    pub fn update(&mut self, mut data: &[u8]) {
        self.len = self.len.wrapping_add(data.len() as u64);
        if self.filled > 0 {
            let take = (64 - self.filled).min(data.len());
            let (head, rest) = data.split_at(take);
            if let Some(dst) = self.block.get_mut(self.filled..self.filled + take) {
                dst.copy_from_slice(head);
            }
            self.filled += take;
            data = rest;
            if self.filled < 64 {
                return;
            }
            compress(&mut self.state, &self.block);
            self.filled = 0;
        }
        let mut blocks = data.chunks_exact(64);
        for b in &mut blocks {
            if let Ok(b) = <&[u8; 64]>::try_from(b) {
                compress(&mut self.state, b);
            }
        }
        let rest = blocks.remainder();
        if let Some(dst) = self.block.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        self.filled = rest.len();
    }

    /// The digest of everything passed to [`update`](Sha256::update).
    pub fn finalize(mut self) -> [u8; 32] {
        let bits = self.len.wrapping_mul(8);
        self.update(&[0x80]);
        // Zeros up to 56 bytes into a block, then the length in bits.
        let zeros = (64 + 56 - self.filled) % 64;
        self.update([0u8; 64].get(..zeros).unwrap_or_default());
        self.update(&bits.to_be_bytes());
        let mut out = [0u8; 32];
        for (o, v) in out.chunks_exact_mut(4).zip(self.state) {
            o.copy_from_slice(&v.to_be_bytes());
        }
        out
    }

    /// The digest of `data`.
    pub fn digest(data: &[u8]) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(data);
        h.finalize()
    }
}

/// One 64-byte block into the state: the 64 rounds unrolled (four groups of 16, each but the
/// first after 16 schedule steps), the message schedule in a 16-word window.
fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
    macro_rules! load {
        ($i:expr) => {
            u32::from_be_bytes([
                block[4 * $i],
                block[4 * $i + 1],
                block[4 * $i + 2],
                block[4 * $i + 3],
            ])
        };
    }
    let mut w = [
        load!(0),
        load!(1),
        load!(2),
        load!(3),
        load!(4),
        load!(5),
        load!(6),
        load!(7),
        load!(8),
        load!(9),
        load!(10),
        load!(11),
        load!(12),
        load!(13),
        load!(14),
        load!(15),
    ];
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
    // The next 16 schedule words Wₜ = σ1(Wₜ₋₂) + Wₜ₋₇ + σ0(Wₜ₋₁₅) + Wₜ₋₁₆, in place in the
    // 16-word window (in order, so Wₜ₋₂ and Wₜ₋₇ are already the new words where they should be).
    macro_rules! schedule {
        ($j:expr) => {{
            let w15 = w[($j + 1) & 15];
            let w2 = w[($j + 14) & 15];
            let s0 = w15.rotate_right(7) ^ w15.rotate_right(18) ^ (w15 >> 3);
            let s1 = w2.rotate_right(17) ^ w2.rotate_right(19) ^ (w2 >> 10);
            w[$j] = w[$j]
                .wrapping_add(s0)
                .wrapping_add(w[($j + 9) & 15])
                .wrapping_add(s1);
        }};
    }
    // One round (FIPS 180-4 §6.2.2) with Ch(e, f, g) = g ⊕ (e ∧ (f ⊕ g)) and
    // Maj(a, b, c) = (a ∧ b) ∨ (c ∧ (a ∨ b)).
    macro_rules! round {
        ($k:expr, $j:expr) => {{
            let t1 = h
                .wrapping_add(e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25))
                .wrapping_add(g ^ (e & (f ^ g)))
                .wrapping_add($k[$j].wrapping_add(w[$j]));
            let t2 = (a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22))
                .wrapping_add((a & b) | (c & (a | b)));
            h = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }};
    }
    macro_rules! sixteen {
        ($m:ident $(, $k:expr)?) => {
            $m!($($k,)? 0);
            $m!($($k,)? 1);
            $m!($($k,)? 2);
            $m!($($k,)? 3);
            $m!($($k,)? 4);
            $m!($($k,)? 5);
            $m!($($k,)? 6);
            $m!($($k,)? 7);
            $m!($($k,)? 8);
            $m!($($k,)? 9);
            $m!($($k,)? 10);
            $m!($($k,)? 11);
            $m!($($k,)? 12);
            $m!($($k,)? 13);
            $m!($($k,)? 14);
            $m!($($k,)? 15);
        };
    }
    // Fully unrolled, so the window and the round constants stay in locals and immediates.
    let [k0, k1, k2, k3] = &K_GROUPS;
    sixteen!(round, k0);
    sixteen!(schedule);
    sixteen!(round, k1);
    sixteen!(schedule);
    sixteen!(round, k2);
    sixteen!(schedule);
    sixteen!(round, k3);
    for (s, v) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
        *s = s.wrapping_add(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(d: [u8; 32]) -> String {
        d.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn fips_180_examples() {
        // FIPS 180-2 appendix B and the NIST example values.
        assert_eq!(
            hex(Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(Sha256::digest(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(Sha256::digest(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        let mut h = Sha256::new();
        for _ in 0..1000 {
            h.update(&[b'a'; 1000]);
        }
        assert_eq!(
            hex(h.finalize()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    proptest::proptest! {
        /// Any split of any input gives the digest of the `sha2` crate (an independent
        /// implementation) on the whole input.
        #[test]
        fn agrees_with_sha2_for_any_split(
            data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
            cuts in proptest::collection::vec(0usize..400, 0..6),
        ) {
            use sha2::Digest as _;
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(data.len())).collect();
            cuts.sort_unstable();
            let mut h = Sha256::new();
            let mut at = 0;
            for c in cuts {
                h.update(&data[at..c]);
                at = c;
            }
            h.update(&data[at..]);
            let theirs: [u8; 32] = sha2::Sha256::digest(&data).into();
            proptest::prop_assert_eq!(h.finalize(), theirs);
        }
    }
}
