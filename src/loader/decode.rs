//! Reading a file's bytes and decoding them to text.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::SkipReason;

/// Files larger than this are skipped, never read.
pub const MAX_FILE_SIZE: u64 = 16 << 20;

/// How far into a file a NUL byte marks it as binary.
const BINARY_SNIFF: usize = 8000;

/// A file's text, and a warning when it had to be repaired.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub warning: Option<String>,
}

/// Opens `path` (a regular file only), reads at most [`MAX_FILE_SIZE`] bytes
/// and decodes them.
pub fn read_text(path: &Path) -> Result<Decoded, SkipReason> {
    let meta = std::fs::metadata(path).map_err(|e| SkipReason::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(SkipReason::NotRegular(super::walk::kind_of(
            &meta.file_type(),
        )));
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(SkipReason::TooLarge { size: meta.len() });
    }
    let file = File::open(path).map_err(|e| SkipReason::Io(e.to_string()))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SkipReason::Io(e.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(SkipReason::TooLarge {
            size: bytes.len() as u64,
        });
    }
    decode(&bytes)
}

/// Decodes bytes: UTF-8 (a BOM is dropped, invalid bytes become U+FFFD) or
/// UTF-16 with a BOM. Empty and binary content is refused.
pub fn decode(bytes: &[u8]) -> Result<Decoded, SkipReason> {
    if bytes.is_empty() {
        return Err(SkipReason::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Ok(decode_utf16(rest, u16::from_le_bytes));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Ok(decode_utf16(rest, u16::from_be_bytes));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0) {
        return Err(SkipReason::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: text.to_owned(),
            warning: None,
        }),
        Err(_) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let replaced = text.chars().filter(|&c| c == '\u{FFFD}').count();
            Ok(Decoded {
                text,
                warning: Some(format!(
                    "invalid UTF-8: decoded lossily ({replaced} character{} replaced)",
                    if replaced == 1 { "" } else { "s" }
                )),
            })
        }
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Decoded {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut bad = bytes.len() % 2;
    let text: String = char::decode_utf16(units)
        .map(|r| {
            r.unwrap_or_else(|_| {
                bad += 1;
                '\u{FFFD}'
            })
        })
        .collect();
    Decoded {
        text,
        warning: (bad > 0).then(|| format!("invalid UTF-16: {bad} units replaced")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_stripped() {
        let d = decode(b"\xEF\xBB\xBFTitle\n").unwrap();
        assert_eq!(d.text, "Title\n");
        assert!(d.warning.is_none());
    }

    #[test]
    fn latin1_byte_is_replaced_and_rest_kept() {
        let d = decode(b"a \xA315.8m signing, more text").unwrap();
        assert_eq!(d.text, "a \u{FFFD}15.8m signing, more text");
        assert!(d.warning.unwrap().contains("1 character replaced"));
    }

    #[test]
    fn utf16_with_bom_is_transcoded() {
        let mut le = vec![0xFF, 0xFE];
        for u in "Héllo 深圳".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&le).unwrap().text, "Héllo 深圳");
        let mut be = vec![0xFE, 0xFF];
        for u in "Hi".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&be).unwrap().text, "Hi");
    }

    #[test]
    fn nul_means_binary_and_empty_is_refused() {
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0").unwrap_err(),
            SkipReason::Binary
        );
        assert_eq!(decode(b"").unwrap_err(), SkipReason::Empty);
    }
}
