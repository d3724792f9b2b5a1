//! The hashes of Scholion, in one place: [`fingerprint`] for the keys of
//! the caches the preview keeps in memory (never stored), [`Digest`] for
//! what is published (the search files' version), stable across Rust
//! releases, and [`WordHasher`] for the search index's word maps. The last
//! two are written out by hand, eight bytes a step: measured much quicker
//! than the standard library's SipHash on short words, and Digest must not
//! change when the standard library's hashing does.

/// A 64-bit hash of anything hashable, for the keys of the caches that
/// `scholion serve` keeps in memory ([`AnchorCache`], the parse cache) and
/// for its change detection. The same within a process (the standard
/// library's `DefaultHasher::new` is unseeded); never stored.
pub fn fingerprint<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// The hash of the word maps, in the manner of FxHash: eight bytes at a
/// time, a rotation, an exclusive or and a multiplication each. Much
/// quicker than the default SipHash on short words; the keys are the site's
/// own words, not an attacker's.
#[derive(Default)]
pub struct WordHasher(u64);

/// The odd multiplier of [`WordHasher`] and [`Digest`] (FxHash's), also the
/// mixer of the search index's word-key table.
pub const MUL: u64 = 0x517c_c1b7_2722_0a95;

fn mix(h: u64, w: u64) -> u64 {
    (h.rotate_left(5) ^ w).wrapping_mul(MUL)
}

/// `bytes` mixed into `h` eight at a time.
fn mix_bytes(mut h: u64, bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        h = mix(h, u64::from_le_bytes(c.try_into().unwrap_or_default()));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(b));
    }
    h
}

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = mix_bytes(self.0, bytes);
    }

    fn write_u8(&mut self, i: u8) {
        self.0 = mix(self.0, i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiplication leaves the low bits, which pick the bucket,
        // the weakest.
        self.0.rotate_left(26)
    }
}

/// The hash behind [`version`]: each step (a rotation, an exclusive or
/// with eight bytes, a multiplication by an odd number) is one-to-one, so
/// any single change of what is hashed changes the result; lengths are
/// hashed too. Written out here, not taken from the standard library,
/// whose hashing may change between Rust releases.
#[derive(Default)]
pub struct Digest(pub u64);

impl Digest {
    pub fn word(&mut self, w: u64) {
        self.0 = mix(self.0, w);
    }

    pub fn bytes(&mut self, b: &[u8]) {
        self.word(b.len() as u64);
        self.0 = mix_bytes(self.0, b);
    }

    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    pub fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.word(u64::MAX),
        }
    }

    pub fn strs(&mut self, v: &[String]) {
        self.word(v.len() as u64);
        for s in v {
            self.str(s);
        }
    }

    /// The hash with its bits well mixed (the finaliser of SplitMix64).
    pub fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}
