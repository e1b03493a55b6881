//! Text helpers shared by the parsers: boilerplate, credits, captions,
//! sentences and paragraphs, dates and ages.

use std::sync::LazyLock;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
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
    if LINE_BOILERPLATE.is_match(trimmed) {
        return (String::new(), None);
    }
    let mut site = None;
    let mut out = trimmed.to_owned();
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
        if LINE_BOILERPLATE.is_match(&out) {
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

/// A photo caption's start: "PHOTO:", "FILE PHOTO:", "ST PHOTO:", "PHOTOS:".
static CAPTION_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\b[A-Z][A-Z.&]*\s+){0,3}\b(?:PHOTO|PHOTOS|PICTURE|PICTURES|IMAGE|VIDEO)\s*:")
        .expect("caption pattern")
});

/// Splits a photo caption off `text`: everything from the first caption
/// marker on. Returns (text before, caption).
pub fn split_caption(text: &str) -> (String, Option<String>) {
    match CAPTION_START.find(text) {
        Some(m) => {
            let before = text[..m.start()].trim().to_owned();
            let caption = text[m.start()..].trim().to_owned();
            (before, Some(caption))
        }
        None => (text.trim().to_owned(), None),
    }
}

/// Known wire and newspaper credits; any all-capitals tail of one to five
/// words after a sentence counts too.
fn is_credit_word(word: &str) -> bool {
    let word = word.trim_end_matches(',');
    word.len() >= 2
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '&' || c == '-')
        && word.chars().any(|c| c.is_ascii_uppercase())
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
        || head
            .chars()
            .last()
            .is_some_and(|c| matches!(c, '.' | '!' | '?' | '\'' | '"' | '’' | '”' | ')' | '…'));
    if after_sentence && credit.len() <= 40 && (n > 1 || credit.len() >= 3) {
        (head, Some(credit.trim_end_matches(',').to_owned()))
    } else {
        (text.to_owned(), None)
    }
}

/// "10 minutes ago", "an hour ago", "3 days ago", "yesterday", "just now".
pub fn parse_age(line: &str) -> Option<Duration> {
    static AGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(an?|one|\d+)\s+(sec|second|min|minute|hr|hour|day|week|month|year)s?\s+ago$",
        )
        .expect("age pattern")
    });
    let line = line.trim();
    match line.to_ascii_lowercase().as_str() {
        "just now" | "now" => return Some(Duration::zero()),
        "yesterday" => return Some(Duration::days(1)),
        _ => {}
    }
    let caps = AGE.captures(line)?;
    let count: i64 = match caps[1].to_ascii_lowercase().as_str() {
        "a" | "an" | "one" => 1,
        n => n.parse().ok()?,
    };
    let unit = match caps[2].to_ascii_lowercase().as_str() {
        "sec" | "second" => Duration::seconds(1),
        "min" | "minute" => Duration::minutes(1),
        "hr" | "hour" => Duration::hours(1),
        "day" => Duration::days(1),
        "week" => Duration::weeks(1),
        "month" => Duration::days(30),
        _ => Duration::days(365),
    };
    unit.checked_mul(count.min(1_000_000) as i32)
}

/// Parses the dates feeds and front matter use: RFC 3339, RFC 2822,
/// "2026-11-20 08:30[:00]", "2026-11-20", or Unix seconds.
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(text) {
        return Some(d.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(text, fmt) {
            return Some(d.and_utc());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|d| d.and_utc());
    }
    if let Ok(secs) = text.parse::<i64>() {
        return DateTime::from_timestamp(secs, 0);
    }
    None
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "lt", "col", "sgt", "capt", "rep",
    "sen", "gov", "no", "inc", "co", "corp", "ltd", "vs", "etc", "mt", "ft", "jan", "feb", "aug",
    "sept", "oct", "nov", "dec", "est", "approx", "fig",
];

fn is_opening_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '‘' | '“')
}

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '’' | '”' | ')' | ']')
}

/// Splits running text into sentences, keeping abbreviations ("Mr", "U.S.")
/// and initials inside their sentence.
pub fn split_sentences(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        if matches!(c, '.' | '!' | '?' | '…') {
            let mut j = i + 1;
            while j < chars.len()
                && (is_closing(chars[j].1) || matches!(chars[j].1, '.' | '!' | '?'))
            {
                j += 1;
            }
            let followed_by_space = j < chars.len() && chars[j].1 == ' ';
            let mut k = j;
            while k < chars.len() && chars[k].1 == ' ' {
                k += 1;
            }
            let next_starts = k < chars.len() && {
                let n = chars[k].1;
                n.is_uppercase() || n.is_numeric() || is_opening_quote(n) || !n.is_alphabetic()
            };
            if followed_by_space
                && next_starts
                && !(c == '.' && ends_with_abbreviation(&text[start..chars[i].0]))
            {
                let end = chars[j].0;
                sentences.push(text[start..end].trim());
                start = chars[k].0;
                i = k;
                continue;
            }
        }
        i += 1;
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        sentences.push(rest);
    }
    sentences.retain(|s| !s.is_empty());
    sentences
}

fn ends_with_abbreviation(before: &str) -> bool {
    let word = before.rsplit([' ', '(', '"', '\'']).next().unwrap_or("");
    let bare = word.trim_start_matches(['‘', '“']);
    if bare.chars().count() == 1 && bare.chars().all(char::is_uppercase) {
        return true; // an initial: "Charles R. Breyer"
    }
    if bare.contains('.') {
        return true; // "U.S", "e.g"
    }
    ABBREVIATIONS.contains(&bare.to_lowercase().as_str())
}

/// A dateline at the start of a sentence: "WASHINGTON - ", "SAN FRANCISCO, June 20 - ".
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[A-Z][A-Z.'’]+(?:[ ,][A-Z][A-Za-z.'’]*){0,4}(?:,\s*[A-Z][a-z]+\.? \d{1,2})?\s+[-–—]\s+",
    )
    .expect("dateline pattern")
});

/// Splits a body that was scraped onto one line back into paragraphs: a new
/// paragraph at a dateline, at a sentence that opens a quotation, and
/// otherwise every three sentences.
pub fn split_paragraphs(text: &str) -> Vec<String> {
    const MAX_SENTENCES: usize = 3;
    const MAX_CHARS: usize = 600;
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    let mut count = 0;
    let mut in_quote_paragraph = false;
    let mut closed_quote = false;
    for sentence in split_sentences(text) {
        let opens_quote = sentence.chars().next().is_some_and(is_opening_quote);
        let dateline = DATELINE.is_match(sentence);
        let full = count >= MAX_SENTENCES || current.len() >= MAX_CHARS;
        // A quotation is a paragraph of its own: leave it once it closes.
        let leave_quote = in_quote_paragraph && (count >= 2 || closed_quote);
        closed_quote = sentence
            .chars()
            .last()
            .is_some_and(|c| matches!(c, '\'' | '"' | '’' | '”'));
        if !current.is_empty() && (opens_quote || dateline || full || leave_quote) {
            paragraphs.push(std::mem::take(&mut current));
            count = 0;
        }
        if current.is_empty() {
            in_quote_paragraph = opens_quote;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(sentence);
        count += 1;
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
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
    fn ages() {
        assert_eq!(parse_age("10 minutes ago"), Some(Duration::minutes(10)));
        assert_eq!(parse_age("an hour ago"), Some(Duration::hours(1)));
        assert_eq!(parse_age("3 days ago"), Some(Duration::days(3)));
        assert_eq!(parse_age("Straits Times"), None);
    }

    #[test]
    fn dates() {
        let d = parse_date("2026-11-20T08:30:00Z").unwrap();
        assert_eq!(d.to_rfc3339(), "2026-11-20T08:30:00+00:00");
        assert_eq!(parse_date("Fri, 20 Nov 2026 08:30:00 +0000"), Some(d));
        assert_eq!(parse_date("2026-11-20 08:30"), Some(d));
        assert!(parse_date("2026-11-20").is_some());
        assert_eq!(parse_date("not a date"), None);
    }

    #[test]
    fn sentences_respect_abbreviations_and_initials() {
        let s = split_sentences(
            "Mr Smith met U.S. officials. Judge Charles R. Breyer agreed. 'Yes,' he said! Done",
        );
        assert_eq!(
            s,
            vec![
                "Mr Smith met U.S. officials.",
                "Judge Charles R. Breyer agreed.",
                "'Yes,' he said!",
                "Done"
            ]
        );
    }

    #[test]
    fn paragraphs_break_at_datelines_quotes_and_length() {
        let text = "WASHINGTON - A court ruled. It was late. \"We will appeal,\" she said. \
                    Others agreed. One. Two. Three. Four.";
        let p = split_paragraphs(text);
        assert_eq!(p[0], "WASHINGTON - A court ruled. It was late.");
        assert!(p[1].starts_with("\"We will appeal,\" she said."));
        assert!(p.len() >= 3);
        assert_eq!(p.concat().replace(' ', ""), text.replace(' ', ""));
    }
}
