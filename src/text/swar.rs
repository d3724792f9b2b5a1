//! Eight bytes tested at once, in one `u64` ("SIMD within a register"):
//! the few bit tests that the hot scans share (search text squeezed and
//! escaped as JSON, body text escaped as HTML), where nearly every stretch
//! of eight bytes needs nothing done and can be passed over whole.
//!
//! A test gives the high bit of each byte that may match. [`eq`] and
//! [`below`] never miss a byte that matches; they may also flag a byte above
//! one that matches (where the subtraction borrows), so a caller that finds
//! a test non-zero looks at those eight bytes one by one. The tests of ASCII
//! letters and digits that the word scan uses ([`alphanumeric`],
//! [`capitals`]) are exact: it takes their bits as the answer.

/// The byte 0x01 eight times.
pub const ONES: u64 = u64::from_le_bytes([0x01; 8]);
/// The high bit of every byte: `x & HIGHS` flags the bytes beyond ASCII.
pub const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);

/// The eight bytes of `b` from `i`, the first in the lowest byte, if eight
/// are left.
#[inline]
pub fn load(b: &[u8], i: usize) -> Option<u64> {
    let chunk: [u8; 8] = b.get(i..i + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The high bit of each byte of `x` that may equal `byte`.
#[inline]
pub fn eq(x: u64, byte: u8) -> u64 {
    let y = x ^ (ONES * byte as u64);
    y.wrapping_sub(ONES) & !y & HIGHS
}

/// The high bit of each byte of `x` that may be below `n` (`n` at most
/// 0x80).
#[inline]
pub fn below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(ONES * n as u64) & !x & HIGHS
}

/// The high bit of each byte of `x` that is 0xC0 or above: the first byte
/// of a UTF-8 character beyond U+007F (exact, never a false flag).
#[inline]
pub fn lead(x: u64) -> u64 {
    x & (x << 1) & HIGHS
}

/// A mask of the lowest `k` bytes, `k` from 0 to 7.
#[inline]
pub fn low_bytes(k: usize) -> u64 {
    !(u64::MAX << (8 * k))
}

/// The high bit of each byte of `a` (all below 0x80) that is `lo` or
/// above: exact, as no byte's sum carries into the next.
#[inline]
fn at_least(a: u64, lo: u8) -> u64 {
    a.wrapping_add(ONES * (0x80 - lo) as u64) & HIGHS
}

/// The high bit of each byte of `x` that is an ASCII letter or digit
/// (exact: a byte of 0x80 or above is never flagged).
#[inline]
pub fn alphanumeric(x: u64) -> u64 {
    let a = x & !HIGHS;
    let digit = at_least(a, b'0') & !at_least(a, b'9' + 1);
    // Capitals made small, so one range tests both.
    let l = a | (ONES * 0x20);
    let letter = at_least(l, b'a') & !at_least(l, b'z' + 1);
    (digit | letter) & !x
}

/// The high bit of each byte of `x` that is an ASCII capital (exact).
#[inline]
pub fn capitals(x: u64) -> u64 {
    let a = x & !HIGHS;
    at_least(a, b'A') & !at_least(a, b'Z' + 1) & !x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_matching_byte_is_flagged_at_every_position() {
        for pos in 0..8 {
            for v in 0..=255u8 {
                let mut bytes = [b'a'; 8];
                bytes[pos] = v;
                let x = load(&bytes, 0).unwrap();
                let bit = 0x80u64 << (8 * pos);
                for target in [b'"', b'\\', b'&', b'<', b'>', b' '] {
                    if v == target {
                        assert_ne!(eq(x, target) & bit, 0, "{v:#x} at {pos}");
                    }
                }
                if v < 0x20 {
                    assert_ne!(below(x, 0x20) & bit, 0, "{v:#x} at {pos}");
                }
                assert_eq!(lead(x) & bit != 0, v >= 0xC0, "{v:#x} at {pos}");
            }
        }
        // Plain letters are never flagged.
        assert_eq!(low_bytes(0), 0);
        assert_eq!(low_bytes(3), 0xFF_FFFF);
        let x = load(b"abcdefgh", 0).unwrap();
        assert_eq!(eq(x, b'"') | below(x, 0x20) | lead(x), 0);
        assert_eq!(load(b"short", 0), None);
    }

    #[test]
    fn the_ascii_class_tests_are_exact_at_every_position() {
        for pos in 0..8 {
            for v in 0..=255u8 {
                // Neighbours of every kind, so a borrow or carry would show.
                for fill in [b'a', b'Z', b'0', b' ', 0x00, 0x7F, 0xC3, 0xFF] {
                    let mut bytes = [fill; 8];
                    bytes[pos] = v;
                    let x = load(&bytes, 0).unwrap();
                    for (i, &b) in bytes.iter().enumerate() {
                        let bit = 0x80u64 << (8 * i);
                        assert_eq!(
                            alphanumeric(x) & bit != 0,
                            b.is_ascii_alphanumeric(),
                            "{b:#x} at {i} in {bytes:?}"
                        );
                        assert_eq!(
                            capitals(x) & bit != 0,
                            b.is_ascii_uppercase(),
                            "{b:#x} at {i} in {bytes:?}"
                        );
                    }
                }
            }
        }
    }
}
