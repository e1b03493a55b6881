//! Page furniture: the seed list of site boilerplate (learned boilerplate
//! is in [`super::boilerplate`]), photo captions and wire credits found by
//! their shape in any script, and a case-folded search for headlines.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::sanitize::collapse_whitespace;

/// Site furniture that can stand anywhere in a scraped text, inline too,
/// each with a word it cannot match without. Group 1, where present, is
/// the site's name.
///
/// The words hold neither `k` nor `s`: under Unicode case folding those
/// two also match `K` (the Kelvin sign) and `ſ`, which a plain ASCII
/// case-insensitive search would miss.
const INLINE_PATTERNS: [(&str, &str); 6] = [
    // "Join ST's Telegram channel and get the latest breaking news delivered to you."
    (
        "channel",
        r"(?i)\bJoin\s+([\p{L}\p{N}&.\- ]{1,40}?)(?:'s|’s)?\s+(?:Telegram|WhatsApp|Google News|Facebook|LINE|Viber)\s+channels?\b[^.!\n]{0,100}[.!]?",
    ),
    // "Sign up for ST's newsletters ..." / "Subscribe to our newsletter ..."
    (
        "letter",
        r"(?i)\b(?:Sign up|Subscribe)\s+(?:for|to)\s+[^.!\n]{0,40}newsletters?\b[^.!\n]{0,80}[.!]?",
    ),
    ("try our ai feature", r"(?i)\bTry Our AI Features\b"),
    (
        "can do for you",
        r"(?i)\bExplore what [^.:\n]{1,40} can do for you:?",
    ),
    ("no comment", r"(?i)\bNo comments yet(?:\.{3}|…|\.)?"),
    ("read more at ", r"(?i)\bRead more at [^\s]+\.?$"),
];

static INLINE_BOILERPLATE: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    INLINE_PATTERNS
        .iter()
        .map(|(_, p)| Regex::new(p).expect("boilerplate pattern"))
        .collect()
});

/// Finds the words of [`INLINE_PATTERNS`] in one pass over a line, so the
/// patterns run only on the few lines that hold one. (A regex set would
/// start at every "no" and "read" of the text: its prefilter is the
/// patterns' first words, and their `\b` sends it to the slow engine
/// wherever the text is not ASCII.)
static INLINE_WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(INLINE_PATTERNS.iter().map(|(word, _)| word))
        .expect("boilerplate words")
});

/// Which of [`INLINE_BOILERPLATE`] may match `text`, by their words.
fn inline_candidates(text: &str) -> [bool; INLINE_PATTERNS.len()] {
    let mut found = [false; INLINE_PATTERNS.len()];
    for m in INLINE_WORDS.find_overlapping_iter(text) {
        found[m.pattern().as_usize()] = true;
    }
    found
}

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
    let mut candidates = inline_candidates(trimmed);
    if !candidates.contains(&true) {
        return (out, site);
    }
    for (n, re) in INLINE_BOILERPLATE.iter().enumerate() {
        if !candidates[n] {
            continue;
        }
        let Some(found) = re.captures(&out) else {
            continue;
        };
        if site.is_none() {
            site = found
                .get(1)
                .map(|m| m.as_str().trim().to_owned())
                .filter(|s| !s.is_empty());
        }
        out = re.replace_all(&out, " ").into_owned();
        // What is left may hold words it did not (and lose others).
        candidates = inline_candidates(&out);
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

    /// Every pattern run on every line, as before the words picked lines.
    fn strip_by_every_pattern(text: &str) -> String {
        let mut out = text.trim().to_owned();
        for re in INLINE_BOILERPLATE.iter() {
            out = re.replace_all(&out, " ").into_owned();
        }
        collapse_whitespace(&out)
    }

    #[test]
    fn the_words_pick_every_line_a_pattern_matches() {
        let lines = [
            "JOIN THE DAILY PLANET’S TELEGRAM CHANNEL and get the news.",
            "Москва. join ST's Viber Channels now! Ещё текст.",
            "Please SUBSCRIBE to our weekly Newsletter for more.",
            "Sign up for 深圳 newsletters.",
            "tRY oUR ai fEATURES",
            "Explore what Acme Cloud can do for you: more",
            "Zürich. NO COMMENTS YET…",
            "Der Text. Read more at example.org.",
            "No comments here, and nothing to read more about.",
            "中文新闻 没有样板",
        ];
        for line in lines {
            let (out, _) = strip_boilerplate(line);
            assert_eq!(out, strip_by_every_pattern(line), "{line}");
        }
        // And the patterns did find something in all but the last two.
        let changed = lines
            .iter()
            .filter(|line| strip_by_every_pattern(line) != collapse_whitespace(line.trim()))
            .count();
        assert_eq!(changed, lines.len() - 2);
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
