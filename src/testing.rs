//! What the unit tests share: a small deterministic pseudo-random source
//! (xorshift64) for the tests that compare a fast path with the algorithm it
//! replaced on many generated inputs. The same seed gives the same inputs
//! on every run, so a failure can be reproduced.

pub(crate) struct Rng(u64);

impl Rng {
    /// A source started at `seed` (not zero).
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next number below `n`.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    /// One of `items`, picked at random.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
