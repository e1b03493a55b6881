//! Reading a file's bytes and decoding them to text: a byte-order mark
//! first, then UTF-8, then UTF-16 without a mark where its shape shows,
//! then a charset the file declares (XML and HTML), then detection
//! (chardetng, the detector Firefox uses). Lossy decoding is the last
//! resort, and it warns.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use super::SkipReason;

/// Files larger than this are skipped, never read.
pub const MAX_FILE_SIZE: u64 = 16 << 20;

/// How far into a file a NUL byte marks it as binary.
const BINARY_SNIFF: usize = 8000;

/// A file's text, the encoding it was read in, and a warning when it had
/// to be repaired.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    /// The encoding's WHATWG name: "UTF-8", "windows-1252", "GBK"...
    pub encoding: &'static str,
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

/// Decodes a file's bytes. Empty and binary content is refused.
pub fn decode(bytes: &[u8]) -> Result<Decoded, SkipReason> {
    if bytes.is_empty() {
        return Err(SkipReason::Empty);
    }
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return Ok(with(encoding, &bytes[bom..]));
    }
    if let Some(encoding) = utf16_by_shape(bytes) {
        return Ok(with(encoding, bytes));
    }
    if bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0) {
        return Err(SkipReason::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_owned(),
            encoding: UTF_8.name(),
            warning: None,
        });
    }
    let encoding = declared(bytes)
        .or_else(|| mostly_utf8(bytes).then_some(UTF_8))
        .unwrap_or_else(|| detect(bytes));
    Ok(with(encoding, bytes))
}

/// UTF-8 with a few bad bytes (a cut scrape), rather than a legacy
/// encoding: it holds valid multi-byte characters (which legacy text
/// almost never forms by chance), at least as many as invalid sequences. Decoding it as a legacy encoding would garble every
/// one of those characters to repair a few.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    good > 0 && bad <= good
}

/// Decodes with `encoding`, warning about every character it had to replace.
fn with(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let warning = had_errors.then(|| {
        let replaced = text.chars().filter(|&c| c == '\u{FFFD}').count()
            - count_replacement_chars_in_source(encoding, bytes);
        format!(
            "invalid {}: decoded lossily ({replaced} character{} replaced)",
            encoding.name(),
            if replaced == 1 { "" } else { "s" }
        )
    });
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        warning,
    }
}

/// U+FFFD characters the source itself held (in UTF-8 form), so that only
/// the replaced ones are counted.
fn count_replacement_chars_in_source(encoding: &'static Encoding, bytes: &[u8]) -> usize {
    if encoding == UTF_8 {
        bytes.windows(3).filter(|w| w == b"\xEF\xBF\xBD").count()
    } else {
        0
    }
}

/// UTF-16 without a byte-order mark, told by its shape: text in a Latin
/// script has a NUL in every other byte, on one side only.
fn utf16_by_shape(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(BINARY_SNIFF) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let (mut even, mut odd) = (0, 0);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let mostly = |n: usize| n * 10 >= pairs * 3;
    let rarely = |n: usize| n * 20 <= pairs;
    let encoding = if mostly(odd) && rarely(even) {
        UTF_16LE
    } else if mostly(even) && rarely(odd) {
        UTF_16BE
    } else {
        return None;
    };
    // Unpaired surrogates would mean it is something else after all.
    let (_, had_errors) = encoding.decode_without_bom_handling(sample);
    (!had_errors).then_some(encoding)
}

/// The charset an XML prolog or an HTML `<meta>` declares near the start.
fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(2048)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    for key in [&b"encoding="[..], b"charset="] {
        let Some(at) = find(&lower, key) else {
            continue;
        };
        let value = &head[at + key.len()..];
        let value = value
            .strip_prefix(b"\"")
            .or_else(|| value.strip_prefix(b"'"))
            .unwrap_or(value);
        let end = value
            .iter()
            .position(|b| matches!(b, b'"' | b'\'' | b';' | b'>' | b' ' | b'/' | b'?'))
            .unwrap_or(value.len());
        if let Some(encoding) = Encoding::for_label(&value[..end]) {
            // A file that says UTF-8 but is not valid UTF-8 is detected.
            return (encoding != UTF_8).then_some(encoding);
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The most likely legacy encoding of bytes that are not UTF-8.
fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, Utf8Detection::Deny);
    if guess != WINDOWS_1252 && reads_as_western(bytes) {
        WINDOWS_1252
    } else {
        guess
    }
}

/// Non-ASCII bytes below which the detector has too little to go on.
const FEW_HIGH_BYTES: usize = 4;

/// Whether a text with very few non-ASCII bytes reads as Windows-1252 with
/// only the characters Western text uses (a pound sign, a quote, an é).
/// With so little to go on the detector may take `£15` for a Polish `Ł15`.
fn reads_as_western(bytes: &[u8]) -> bool {
    let high = bytes.iter().filter(|b| !b.is_ascii()).count();
    if high == 0 || high > FEW_HIGH_BYTES {
        return false;
    }
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
    text.chars().filter(|c| !c.is_ascii()).all(|c| {
        ('\u{C0}'..='\u{FF}').contains(&c) && c.is_alphabetic()
            || "£€¢¥©®°±–—‘’‚“”„…•·«»¿¡×½¼¾".contains(c)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_stripped() {
        let d = decode(b"\xEF\xBB\xBFTitle\n").unwrap();
        assert_eq!(d.text, "Title\n");
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.warning.is_none());
    }

    #[test]
    fn windows_1252_is_detected_and_decoded_whole() {
        let bytes = b"Caf\xE9 owners welcome \xA32m fund\n\n\x93We waited\x94 \x96 she said \x97 \x91yes\x92.\n";
        let d = decode(bytes).unwrap();
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(
            d.text,
            "Café owners welcome £2m fund\n\n“We waited” – she said — ‘yes’.\n"
        );
        assert!(d.warning.is_none());
        // One pound sign in otherwise plain ASCII, as in the BBC corpus.
        let d = decode(b"Mutu signs for \xA315.8m\n\nThe fee was \xA315.8m.\n").unwrap();
        assert!(d.text.starts_with("Mutu signs for £15.8m"), "{}", d.text);
        assert!(d.warning.is_none());
    }

    #[test]
    fn cjk_legacy_encodings_are_detected() {
        let text = "深圳发生洪水，居民连夜撤离。\n\n气象部门表示，暴雨将持续到周末，\
                    市民应当避免前往低洼地区。交通部门已经关闭了三条隧道。\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let d = decode(&gbk).unwrap();
        assert_eq!(d.encoding, "GBK");
        assert_eq!(d.text, text);
        let text = "東京で大雨、川の水位が上昇しています。\n\n気象庁は週末まで警戒するよう呼びかけました。\
                    鉄道の一部の路線が運転を見合わせています。\n";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let d = decode(&sjis).unwrap();
        assert_eq!(d.encoding, "Shift_JIS");
        assert_eq!(d.text, text);
        let text = "서울에 폭우가 내려 강물이 불어났습니다. 시민들은 저지대를 피해야 합니다.\n";
        let (euc, _, _) = encoding_rs::EUC_KR.encode(text);
        assert_eq!(decode(&euc).unwrap().text, text);
    }

    #[test]
    fn utf8_with_a_few_bad_bytes_stays_utf8() {
        let d = decode(
            "Zürich café — crème brûlée \u{201C}ok\u{201D} end"
                .as_bytes()
                .iter()
                .copied()
                .chain([0xE2, 0x80])
                .collect::<Vec<u8>>()
                .as_slice(),
        )
        .unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.starts_with("Zürich café — crème brûlée"));
        assert!(d.warning.unwrap().contains("1 character replaced"));
    }

    #[test]
    fn declared_charset_wins_over_detection() {
        let bytes =
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss><title>Caf\xE9</title></rss>";
        let d = decode(bytes).unwrap();
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.text.contains("Café"));
        let html = b"<html><head><meta charset=\"koi8-r\"></head><body>\xf0\xd2\xc9\xd7\xc5\xd4</body></html>";
        let d = decode(html).unwrap();
        assert_eq!(d.encoding, "KOI8-R");
        assert!(d.text.contains("Привет"));
    }

    #[test]
    fn utf16_with_and_without_bom_is_transcoded() {
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
        let text = "A story in UTF-16\n\nWith no byte-order mark at all.\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let d = decode(&le).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (text, "UTF-16LE"));
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&be).unwrap().encoding, "UTF-16BE");
    }

    #[test]
    fn nul_means_binary_and_empty_is_refused() {
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\x02\x03\x04").unwrap_err(),
            SkipReason::Binary
        );
        assert_eq!(decode(b"").unwrap_err(), SkipReason::Empty);
    }

    #[test]
    fn broken_utf16_warns_with_a_count() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend_from_slice(&[b'a', 0, 0x00, 0xD8, b'b', 0]);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, "a\u{FFFD}b");
        assert!(d.warning.unwrap().contains("1 character replaced"));
    }
}
