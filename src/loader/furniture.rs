//! Page furniture: the seed list of site boilerplate (learned boilerplate
//! is in [`super::boilerplate`]), photo captions and wire credits found by
//! their shape in any script, and a case-folded search for headlines.

use std::sync::LazyLock;

use regex::Regex;

use super::sanitize::collapse_whitespace;

/// Site furniture that can stand anywhere in a scraped text, inline too.
/// Group 1, where present, is the site's name.
static INLINE_BOILERPLATE: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // "Join ST's Telegram channel and get the latest breaking news delivered to you."
        r"(?i)\bJoin\s+([\p{L}\p{N}&.\- ]{1,40}?)(?:'s|’s)?\s+(?:Telegram|WhatsApp|Google News|Facebook|LINE|Viber)\s+channels?\b[^.!\n]{0,100}[.!]?",
        // "Sign up for ST's newsletters ..." / "Subscribe to our newsletter ..."
        r"(?i)\b(?:Sign up|Subscribe)\s+(?:for|to)\s+[^.!\n]{0,40}newsletters?\b[^.!\n]{0,80}[.!]?",
        r"(?i)\bTry Our AI Features\b",
        r"(?i)\bExplore what [^.:\n]{1,40} can do for you:?",
        r"(?i)\bNo comments yet(?:\.{3}|…|\.)?",
        r"(?i)\bRead more at [^\s]+\.?$",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("boilerplate pattern"))
    .collect()
});

/// Whether any of [`INLINE_BOILERPLATE`] may match: one pass over a line
/// instead of one a pattern, for the many lines that hold none.
static ANY_INLINE: LazyLock<regex::RegexSet> = LazyLock::new(|| {
    regex::RegexSet::new(INLINE_BOILERPLATE.iter().map(Regex::as_str))
        .expect("boilerplate patterns")
});

/// The longest line [`LINE_BOILERPLATE`] can match, in bytes, with room.
const LINE_BOILERPLATE_MAX: usize = 120;

/// Lines that are boilerplate only when they stand alone.
static LINE_BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:comments?|\d[\d,]* comments?|view comments|show comments|advertisement|share this article|share|continue reading|related articles|related stories|more from [^.]{1,40}|recommended|topics?:?)$",
    )
    .expect("line boilerplate pattern")
});

/// Removes site boilerplate from `text`, wherever it stands. Returns the
/// cleaned text and the site name a "Join X's channel" line gave, if any.
pub fn strip_boilerplate(text: &str) -> (String, Option<String>) {
    let trimmed = text.trim();
    if trimmed.len() <= LINE_BOILERPLATE_MAX && LINE_BOILERPLATE.is_match(trimmed) {
        return (String::new(), None);
    }
    let mut site = None;
    let mut out = trimmed.to_owned();
    if !ANY_INLINE.is_match(trimmed) {
        return (out, site);
    }
    for re in INLINE_BOILERPLATE.iter() {
        if !re.is_match(&out) {
            continue;
        }
        if site.is_none() {
            site = re
                .captures(&out)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().trim().to_owned())
                .filter(|s| !s.is_empty());
        }
        out = re.replace_all(&out, " ").into_owned();
    }
    if out.len() != trimmed.len() {
        out = collapse_whitespace(&out);
        if out.len() <= LINE_BOILERPLATE_MAX && LINE_BOILERPLATE.is_match(&out) {
            out.clear();
        }
    }
    (out, site)
}

/// The full name of a site the boilerplate names by its short form.
pub fn site_name(short: &str) -> String {
    match short.trim().to_ascii_uppercase().as_str() {
        "ST" | "THE STRAITS TIMES" | "STRAITS TIMES" => "The Straits Times".to_owned(),
        "BT" | "THE BUSINESS TIMES" | "BUSINESS TIMES" => "The Business Times".to_owned(),
        "NP" => "The New Paper".to_owned(),
        "SCMP" => "South China Morning Post".to_owned(),
        "CNA" => "CNA".to_owned(),
        _ => short.trim().to_owned(),
    }
}

/// A caption under a label known to mean "photo", in many languages:
/// "PHOTO:", "FILE PHOTO:", "ST PHOTO:", "FOTO:", "PHOTO :", "图：", "写真：".
static KNOWN_CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\b\p{Lu}[\p{Lu}.&]*\s+){0,3}\b(?:PHOTOS?|PICTURES?|IMAGES?|VIDEO|FOTOS?|FOTOGRAF[ÍI]A|BILD|IMAGEN|IMAGEM|ФОТО)\s?[:：]|(?:\b|^)(?:图片|圖片|图|圖|照片|写真|사진)\s?[:：]",
    )
    .expect("caption pattern")
});

/// The shape of any caption at the end of a text: up to four words in
/// capitals, a colon, and an agency in capitals ("ΦΩΤΟ: ΑΠΕ").
static TRAILING_CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|\s)((?:\p{Lu}[\p{Lu}\p{M}.&'-]*\s+){0,3}\p{Lu}[\p{Lu}\p{M}]+\s?[:：]\s*(?:\p{Lu}[\p{Lu}\p{M}\p{N}.&/'-]*(?:\s+|$)){1,6})$",
    )
    .expect("trailing caption pattern")
});

/// Splits a photo caption off `text`: everything from a caption label on.
/// Returns (text before, caption).
pub fn split_caption(text: &str) -> (String, Option<String>) {
    let text = text.trim();
    let start = KNOWN_CAPTION.find(text).map(|m| m.start()).or_else(|| {
        TRAILING_CAPTION
            .captures(text)
            .and_then(|c| c.get(1))
            .map(|m| m.start())
    });
    match start {
        Some(at) => {
            let before = text[..at].trim().to_owned();
            let caption = text[at..].trim().to_owned();
            (before, Some(caption))
        }
        None => (text.to_owned(), None),
    }
}

/// Finds `needle` in `haystack`, exactly or else ignoring case. Returns the
/// byte range in `haystack`: folding case can change a character's length
/// (the Kelvin sign, a dotted capital I), so the range is mapped back
/// through the folded copy rather than reused from it.
pub fn find_folded(haystack: &str, needle: &str) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    if let Some(p) = haystack.find(needle) {
        return Some((p, p + needle.len()));
    }
    let mut folded = String::with_capacity(haystack.len());
    // For each byte of `folded`, where its character starts in `haystack`.
    let mut origin = Vec::with_capacity(haystack.len() + 1);
    for (at, c) in haystack.char_indices() {
        for lower in c.to_lowercase() {
            folded.push(lower);
            origin.extend(std::iter::repeat_n(at, lower.len_utf8()));
        }
    }
    origin.push(haystack.len());
    let needle: String = needle.chars().flat_map(char::to_lowercase).collect();
    let start = folded.find(&needle)?;
    let end = start + needle.len();
    // The end maps to the next source character, so a character whose
    // folding the match covered only in part is left out whole.
    let end = if end == folded.len() {
        haystack.len()
    } else {
        origin[end]
    };
    Some((origin[start], end.max(origin[start])))
}

/// A word of a wire credit: capitals of any cased script ("AFP", "DPA",
/// "ΑΠΕ", "EPA-EFE"), two letters or more.
fn is_credit_word(word: &str) -> bool {
    let word = word.trim_end_matches(',');
    word.chars().count() >= 2
        && word
            .chars()
            .all(|c| c.is_uppercase() || matches!(c, '&' | '-' | '/'))
        && word.chars().any(char::is_uppercase)
}

/// Splits a trailing wire credit ("... he said. NYTIMES", "AFP, REUTERS")
/// off a paragraph. Returns (paragraph without it, credit).
pub fn split_credit(paragraph: &str) -> (String, Option<String>) {
    let text = paragraph.trim_end();
    let words: Vec<&str> = text.split(' ').collect();
    let mut n = 0;
    while n < words.len().min(5) && is_credit_word(words[words.len() - 1 - n]) {
        n += 1;
    }
    if n == 0 {
        return (text.to_owned(), None);
    }
    let head = words[..words.len() - n].join(" ");
    let credit = words[words.len() - n..].join(" ");
    let after_sentence = head.is_empty()
        || head.chars().last().is_some_and(|c| {
            matches!(
                c,
                '.' | '!' | '?' | '\'' | '"' | '’' | '”' | ')' | '…' | '。' | '！' | '？' | '」'
            )
        });
    if after_sentence && credit.len() <= 40 && (n > 1 || credit.len() >= 3) {
        (head, Some(credit.trim_end_matches(',').to_owned()))
    } else {
        (text.to_owned(), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_channel_boilerplate_is_removed_inline_and_names_the_site() {
        let (text, site) = strip_boilerplate(
            "He said so. NYTIMES Join ST's Telegram channel and get the latest breaking news delivered to you.",
        );
        assert_eq!(text, "He said so. NYTIMES");
        assert_eq!(site.as_deref(), Some("ST"));
        let (text, site) = strip_boilerplate(
            "Join The Daily Planet's WhatsApp channel to get the latest news delivered to you.",
        );
        assert_eq!(text, "");
        assert_eq!(site.as_deref(), Some("The Daily Planet"));
    }

    #[test]
    fn furniture_lines_are_removed() {
        for line in [
            "Comments",
            "12 comments",
            "No comments yet...",
            "Try Our AI Features",
            "Explore what Daily8 AI can do for you:",
        ] {
            assert_eq!(strip_boilerplate(line).0, "", "{line}");
        }
        assert_eq!(
            strip_boilerplate("Comments were closed on the plan.").0,
            "Comments were closed on the plan."
        );
    }

    #[test]
    fn credits_split_only_after_a_sentence() {
        assert_eq!(
            split_credit("he said. NYTIMES"),
            ("he said.".into(), Some("NYTIMES".into()))
        );
        assert_eq!(
            split_credit("'It ends.' AFP, REUTERS"),
            ("'It ends.'".into(), Some("AFP, REUTERS".into()))
        );
        assert_eq!(
            split_credit("done. THE STRAITS TIMES").1.as_deref(),
            Some("THE STRAITS TIMES")
        );
        assert_eq!(split_credit("The NATO summit opens in THE HAGUE").1, None);
        assert_eq!(split_credit("He spoke to the BBC").1, None);
        assert_eq!(
            split_credit("REUTERS"),
            (String::new(), Some("REUTERS".into()))
        );
    }

    #[test]
    fn captions_split_at_the_marker() {
        let (before, caption) = split_caption("A summary line. PHOTO: REUTERS");
        assert_eq!(before, "A summary line.");
        assert_eq!(caption.as_deref(), Some("PHOTO: REUTERS"));
        let (before, caption) =
            split_caption("FILE PHOTO: A man waves. REUTERS/Jo Bloggs/File Photo");
        assert_eq!(before, "");
        assert!(caption.unwrap().ends_with("File Photo"));
        assert_eq!(split_caption("no photo here: fine").1, None);
    }

    #[test]
    fn captions_in_other_languages_and_by_shape() {
        for (text, caption) in [
            ("Die Flut kam nachts. FOTO: DPA", "FOTO: DPA"),
            ("La digue a cédé. PHOTO : AFP", "PHOTO : AFP"),
            ("深圳遭遇暴雨。图：新华社", "图：新华社"),
            ("東京で大雨。写真：共同", "写真：共同"),
            ("Η πλημμύρα. ΦΩΤΟΓΡΑΦΙΑ: ΑΠΕ", "ΦΩΤΟΓΡΑΦΙΑ: ΑΠΕ"),
            ("Crowds gather at the pier.  PHOTO: AFP", "PHOTO: AFP"),
        ] {
            let (before, found) = split_caption(text);
            assert_eq!(found.as_deref(), Some(caption), "{text}");
            assert!(!before.is_empty());
        }
        // A colon in running text is not a caption.
        assert_eq!(split_caption("He said: we will rebuild the pier").1, None);
        assert_eq!(split_caption("Der Plan: mehr Geld für den Hafen").1, None);
        assert_eq!(split_caption("地图：市中心").1, None);
    }

    #[test]
    fn folded_search_maps_offsets_back() {
        let body = "\u{212A} STORM \u{130}\u{130} body";
        assert_eq!(find_folded(body, "STORM"), Some((4, 9)));
        let (s, e) = find_folded(body, "storm").unwrap();
        assert_eq!(&body[s..e], "STORM");
        let (s, e) = find_folded("\u{130}\u{130} storm", "i\u{307}\u{130}").unwrap();
        assert_eq!((s, e), (0, 4));
        let (s, e) = find_folded("x \u{212A}elvin y", "kelvin").unwrap();
        assert_eq!(&"x \u{212A}elvin y"[s..e], "\u{212A}elvin");
        assert_eq!(find_folded("abc", ""), None);
        assert_eq!(find_folded("abc", "zz"), None);
    }
}
