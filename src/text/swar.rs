//! Eight bytes tested at once, in one `u64` ("SIMD within a register"):
//! the few bit tests that the hot scans share (search text squeezed and
//! escaped as JSON, body text escaped as HTML), where nearly every stretch
//! of eight bytes needs nothing done and can be passed over whole.
//!
//! A test gives the high bit of each byte that may match. It never misses a
//! byte that matches; it may also flag a byte above one that matches (where
//! the subtraction borrows), so a caller that finds a test non-zero looks
//! at those eight bytes one by one.

const ONES: u64 = u64::from_le_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);

/// The eight bytes of `b` from `i`, the first in the lowest byte, if eight
/// are left.
pub fn load(b: &[u8], i: usize) -> Option<u64> {
    let chunk: [u8; 8] = b.get(i..i + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The high bit of each byte of `x` that may equal `byte`.
pub fn eq(x: u64, byte: u8) -> u64 {
    let y = x ^ (ONES * byte as u64);
    y.wrapping_sub(ONES) & !y & HIGHS
}

/// The high bit of each byte of `x` that may be below `n` (`n` at most
/// 0x80).
pub fn below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(ONES * n as u64) & !x & HIGHS
}

/// The high bit of each byte of `x` that is 0xC0 or above: the first byte
/// of a UTF-8 character beyond U+007F (exact, never a false flag).
pub fn lead(x: u64) -> u64 {
    x & (x << 1) & HIGHS
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
        let x = load(b"abcdefgh", 0).unwrap();
        assert_eq!(eq(x, b'"') | below(x, 0x20) | lead(x), 0);
        assert_eq!(load(b"short", 0), None);
    }
}
