//! Sentences and paragraphs: a body scraped onto one line is split back
//! into paragraphs at datelines, quotations and every few sentences.
//! Sentences end at `.`, `!`, `?` and `…` before a space, and at the
//! full-width `。`, `！` and `？` wherever they stand.

use std::sync::LazyLock;

use regex::Regex;

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "lt", "col", "sgt", "capt", "rep",
    "sen", "gov", "no", "inc", "co", "corp", "ltd", "vs", "etc", "mt", "ft", "jan", "feb", "aug",
    "sept", "oct", "nov", "dec", "est", "approx", "fig",
];

fn is_opening_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '‘' | '“')
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '’' | '”' | ')' | ']' | '」' | '』' | '）' | '】' | '〕' | '》' | '〉'
    )
}

/// Ends a sentence in Chinese and Japanese, with or without a space after.
fn is_full_width_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？')
}

/// Skips the characters `skip` accepts; returns the first one after them
/// (its position and the character), if any.
fn skip_while(
    chars: &mut std::str::CharIndices<'_>,
    skip: impl Fn(char) -> bool,
) -> Option<(usize, char)> {
    loop {
        match chars.clone().next() {
            Some((_, c)) if skip(c) => {
                chars.next();
            }
            other => return other,
        }
    }
}

/// Splits running text into sentences, keeping abbreviations ("Mr", "U.S.")
/// and initials inside their sentence. Looks ahead with cloned iterators:
/// no copy of the text, however long.
pub fn split_sentences(text: &str) -> Vec<&str> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        if is_full_width_end(c) {
            let mut rest = chars.clone();
            let end = skip_while(&mut rest, |n| is_closing(n) || is_full_width_end(n))
                .map_or(text.len(), |(p, _)| p);
            sentences.push(text[start..end].trim());
            start = skip_while(&mut rest, |n| n == ' ').map_or(text.len(), |(p, _)| p);
            chars = rest;
            continue;
        }
        if matches!(c, '.' | '!' | '?' | '…') {
            let mut rest = chars.clone();
            let after_end =
                skip_while(&mut rest, |n| is_closing(n) || matches!(n, '.' | '!' | '?'));
            let followed_by_space = matches!(after_end, Some((_, ' ')));
            let mut next = rest.clone();
            let starts = skip_while(&mut next, |n| n == ' ');
            let next_starts = starts.is_some_and(|(_, n)| {
                n.is_uppercase() || n.is_numeric() || is_opening_quote(n) || !n.is_alphabetic()
            });
            if let (true, true, Some((end, _)), Some((begin, _))) =
                (followed_by_space, next_starts, after_end, starts)
                && !(c == '.' && ends_with_abbreviation(&text[start..at]))
            {
                sentences.push(text[start..end].trim());
                start = begin;
                chars = next;
                continue;
            }
        }
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
        // Chinese and Japanese sentences follow each other with no space.
        let cjk_join = current.ends_with(is_full_width_end)
            && sentence.chars().next().is_some_and(crate::tokens::is_cjk);
        if !current.is_empty() && !cjk_join {
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
    fn full_width_stops_end_sentences() {
        assert_eq!(
            split_sentences("深圳发生洪水。居民撤离！会停吗？「好。」最后"),
            vec![
                "深圳发生洪水。",
                "居民撤离！",
                "会停吗？",
                "「好。」",
                "最后"
            ]
        );
        assert_eq!(split_sentences("雨。 Rain."), vec!["雨。", "Rain."]);
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
