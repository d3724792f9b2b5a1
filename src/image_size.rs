//! The kind and pixel size of a facsimile image, read from its first bytes:
//! PNG (IHDR), JPEG (the first SOF marker) and WebP (VP8, VP8L, VP8X). A
//! reader page gives every facsimile its width and height so the image
//! takes its room before it loads; a few dozen lines of header reading do
//! that without an image-decoding dependency. A leaf: `parse` checks the
//! files with it.

/// What a facsimile file is, by its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Png,
    Jpeg,
    Webp,
}

impl Kind {
    pub fn mime(self) -> &'static str {
        match self {
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Webp => "image/webp",
        }
    }
}

/// An image's kind and its size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Size {
    pub kind: Kind,
    pub width: u32,
    pub height: u32,
}

fn be16(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes(
        b.get(i..i + 2)?.try_into().ok()?,
    )))
}
fn le16(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes(
        b.get(i..i + 2)?.try_into().ok()?,
    )))
}
fn le24(b: &[u8], i: usize) -> Option<u32> {
    let s = b.get(i..i + 3)?;
    Some(u32::from(s[0]) | u32::from(s[1]) << 8 | u32::from(s[2]) << 16)
}

/// The kind and size of `bytes`; `None` for a file that is not a PNG, JPEG
/// or WebP image, or whose header is cut short or gives no size.
pub fn read(bytes: &[u8]) -> Option<Size> {
    let size = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        if bytes.get(12..16)? != b"IHDR" {
            return None;
        }
        let w = u32::from_be_bytes(bytes.get(16..20)?.try_into().ok()?);
        let h = u32::from_be_bytes(bytes.get(20..24)?.try_into().ok()?);
        Size {
            kind: Kind::Png,
            width: w,
            height: h,
        }
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        jpeg(bytes)?
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12)? == b"WEBP" {
        let (w, h) = match bytes.get(12..16)? {
            b"VP8 " => {
                if bytes.get(23..26)? != [0x9D, 0x01, 0x2A] {
                    return None;
                }
                (le16(bytes, 26)? & 0x3FFF, le16(bytes, 28)? & 0x3FFF)
            }
            b"VP8L" => {
                if *bytes.get(20)? != 0x2F {
                    return None;
                }
                let v = u32::from_le_bytes(bytes.get(21..25)?.try_into().ok()?);
                ((v & 0x3FFF) + 1, ((v >> 14) & 0x3FFF) + 1)
            }
            b"VP8X" => (le24(bytes, 24)? + 1, le24(bytes, 27)? + 1),
            _ => return None,
        };
        Size {
            kind: Kind::Webp,
            width: w,
            height: h,
        }
    } else {
        return None;
    };
    (size.width > 0 && size.height > 0).then_some(size)
}

/// A JPEG's size from its first start-of-frame marker (SOF0–SOF15 but the
/// DHT, JPG and DAC markers that share the range).
fn jpeg(b: &[u8]) -> Option<Size> {
    let mut i = 2;
    loop {
        while *b.get(i)? != 0xFF {
            i += 1;
        }
        while *b.get(i)? == 0xFF {
            i += 1;
        }
        let marker = *b.get(i)?;
        i += 1;
        if matches!(marker, 0xD0..=0xD9 | 0x01) {
            continue;
        }
        let len = be16(b, i)? as usize;
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let h = be16(b, i + 3)?;
            let w = be16(b, i + 5)?;
            return Some(Size {
                kind: Kind::Jpeg,
                width: w,
                height: h,
            });
        }
        i += len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_size_is_read_from_its_header() {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        b.extend_from_slice(&300u32.to_be_bytes());
        b.extend_from_slice(&420u32.to_be_bytes());
        b.extend_from_slice(&[8, 0, 0, 0, 0]);
        assert_eq!(
            read(&b),
            Some(Size {
                kind: Kind::Png,
                width: 300,
                height: 420
            })
        );
        assert_eq!(read(&b[..20]), None, "a cut header gives no size");
    }

    #[test]
    fn jpeg_size_is_read_from_the_frame_marker_after_other_segments() {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0];
        b.extend_from_slice(&[0xFF, 0xC4, 0, 3, 0]); // a DHT is not a frame
        b.extend_from_slice(&[0xFF, 0xC0, 0, 11, 8, 0x01, 0x90, 0x02, 0x58, 3]);
        assert_eq!(
            read(&b),
            Some(Size {
                kind: Kind::Jpeg,
                width: 600,
                height: 400
            })
        );
    }

    #[test]
    fn webp_sizes_are_read_for_all_three_forms() {
        let head = |chunk: &[u8]| {
            let mut b = b"RIFF\0\0\0\0WEBP".to_vec();
            b.extend_from_slice(chunk);
            b
        };
        let mut x = head(b"VP8X\x0a\0\0\0\0\0\0\0");
        x.extend_from_slice(&[0x2B, 0x01, 0x00, 0xC7, 0x00, 0x00]);
        assert_eq!(read(&x).map(|s| (s.width, s.height)), Some((300, 200)));
        let mut l = head(b"VP8L\0\0\0\0\x2f");
        let v: u32 = 99 | (49 << 14);
        l.extend_from_slice(&v.to_le_bytes());
        assert_eq!(read(&l).map(|s| (s.width, s.height)), Some((100, 50)));
        let mut y = head(b"VP8 \0\0\0\0\0\0\0\x9d\x01\x2a");
        y.extend_from_slice(&[0x40, 0x01, 0xF0, 0x00]);
        assert_eq!(read(&y).map(|s| (s.width, s.height)), Some((320, 240)));
    }

    #[test]
    fn other_files_are_not_images() {
        assert_eq!(read(b"GIF89a\x01\0\x01\0"), None);
        assert_eq!(read(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), None);
        assert_eq!(read(b""), None);
    }
}
