//! Boilerplate learned from repetition: a line (or a sentence at the edge
//! of a paragraph) that stories of one source repeat verbatim is site
//! furniture there, not news ("Subscribe to The Harbour Courier for
//! unlimited access.", "Share this article").
//!
//! The parsers give each story its candidate units (normalised lines and
//! edge sentences, hashed), before anything is removed. The store counts
//! them per source, by distinct headline so that copies of one story never
//! count twice, and a unit seen under at least [`MIN_TITLES`] headlines
//! and a fifth of the source's headlines is boilerplate there. [`apply`]
//! then removes it from each story of that source, inline too.

use std::collections::HashSet;

use super::furniture::split_credit;
use super::sentences::split_sentences;
use crate::article::Article;

/// A unit must be seen under at least this many different headlines.
pub const MIN_TITLES: i64 = 3;
/// ... and under this share of the source's headlines (one in five).
pub const MIN_SHARE: i64 = 5;
/// Longer lines and sentences are never boilerplate.
const MAX_UNIT_CHARS: usize = 200;
/// Units a story offers at most: furniture sits at the edges.
const MAX_UNITS: usize = 32;

/// The threshold for a source with `titles` different headlines.
pub fn threshold(titles: i64) -> i64 {
    MIN_TITLES.max((titles + MIN_SHARE - 1) / MIN_SHARE)
}

/// The key of a source's boilerplate: its name, case folded. Keys and
/// units are 32-bit hashes: a source holds far too few units for two to
/// collide in a way that matters, and the store keeps a row per unit.
pub fn source_key(source: Option<&str>) -> i64 {
    let name = source.unwrap_or("").trim().to_lowercase();
    xxhash_rust::xxh3::xxh3_64(name.as_bytes()) as i32 as i64
}

/// The (32-bit) hash of a text's words, or None when it has fewer than
/// `min` words.
fn unit(text: &str, min: usize) -> Option<i64> {
    if text.chars().count() > MAX_UNIT_CHARS {
        return None;
    }
    // The hash of the words joined by spaces, made as they come.
    let mut hash = xxhash_rust::xxh3::Xxh3::new();
    let mut words = 0;
    crate::tokens::for_each(text, |token| {
        if words > 0 {
            hash.update(b" ");
        }
        match token {
            crate::tokens::Token::Word(w) => hash.update(w.as_bytes()),
            crate::tokens::Token::Cjk { c, .. } => {
                hash.update(c.encode_utf8(&mut [0; 4]).as_bytes())
            }
        }
        words += 1;
    });
    (words >= min).then(|| hash.digest() as i32 as i64)
}

/// A sentence without a leading run of capitals (a wire credit glued on:
/// "AFP Subscribe to ..."), if it has one.
fn without_credit(sentence: &str) -> Option<&str> {
    let (caps, rest) = split_caps(sentence);
    (!caps.is_empty() && !rest.is_empty()).then_some(rest)
}

/// Splits a leading run of words in capitals off a sentence.
fn split_caps(sentence: &str) -> (&str, &str) {
    let mut end = 0;
    for word in sentence.split(' ') {
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if letters >= 2 && word.chars().all(|c| !c.is_lowercase()) {
            end += word.len() + 1;
        } else {
            break;
        }
    }
    let end = end.min(sentence.len());
    (sentence[..end].trim(), sentence[end..].trim())
}

/// The edge sentences of a paragraph: its first and its last.
fn edge_sentences(paragraph: &str) -> Vec<&str> {
    let sentences = split_sentences(paragraph);
    match sentences.as_slice() {
        [] | [_] => Vec::new(),
        [first, .., last] => vec![*first, *last],
    }
}

/// Paragraphs at each end of a story whose edge sentences are candidates:
/// furniture glued to a paragraph sits at the story's edges.
const EDGE_PARAGRAPHS: usize = 2;

/// The candidate units of a story, before anything is removed: each short
/// paragraph whole (the standfirst too), and the edge sentences of the
/// paragraphs at each end, also without a credit glued in front.
pub fn units(article: &Article) -> Vec<i64> {
    let mut out = Vec::new();
    let n = article.paragraphs.len();
    let edges = article
        .paragraphs
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < EDGE_PARAGRAPHS || *i + EDGE_PARAGRAPHS >= n)
        .map(|(_, p)| p);
    for p in article.standfirst.iter().chain(&article.paragraphs) {
        out.extend(unit(p, 1));
    }
    for p in article.standfirst.iter().chain(edges) {
        for s in edge_sentences(p) {
            out.extend(unit(s, 3));
            out.extend(without_credit(s).and_then(|s| unit(s, 3)));
        }
    }
    if out.len() > MAX_UNITS {
        out.drain(MAX_UNITS / 2..out.len() - MAX_UNITS / 2);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Removes the source's boilerplate from a story: whole paragraphs, and
/// edge sentences inline (a credit glued before one stays, and is then
/// split off as the credit). A story is never emptied: when every
/// paragraph would go, it is left as it was. Returns whether it changed.
pub fn apply(article: &mut Article, boilerplate: &HashSet<i64>) -> bool {
    if boilerplate.is_empty() {
        return false;
    }
    let is_bp = |text: &str, min| unit(text, min).is_some_and(|u| boilerplate.contains(&u));
    let mut paragraphs: Vec<String> = Vec::with_capacity(article.paragraphs.len());
    let mut changed = false;
    for p in &article.paragraphs {
        if is_bp(p, 1) {
            changed = true;
            continue;
        }
        let edges = edge_sentences(p);
        let mut text = p.clone();
        for s in edges {
            // A credit glued before the furniture stays, whether or not the
            // two repeat together.
            if let Some(rest) = without_credit(s).filter(|r| is_bp(r, 3)) {
                text = text.replacen(rest, "", 1);
            } else if is_bp(s, 3) {
                text = text.replacen(s, "", 1);
            } else {
                continue;
            }
            changed = true;
        }
        let text = super::sanitize::collapse_whitespace(&text);
        if !text.is_empty() {
            paragraphs.push(text);
        }
    }
    if !changed || paragraphs.is_empty() {
        return false;
    }
    if article.standfirst.as_deref().is_some_and(|s| is_bp(s, 1)) {
        article.standfirst = None;
    }
    // A credit the furniture hid comes out now, unless it is all there is.
    if article.credit.is_none()
        && let Some(last) = paragraphs.last()
        && let (rest, Some(credit)) = split_credit(last)
        && (!rest.is_empty() || paragraphs.len() > 1)
    {
        article.credit = Some(credit);
        paragraphs.pop();
        if !rest.is_empty() {
            paragraphs.push(rest);
        }
    }
    article.paragraphs = paragraphs;
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Role;

    #[test]
    fn a_unit_is_the_hash_of_its_words_joined_by_spaces() {
        let joined = |s: &str| xxhash_rust::xxh3::xxh3_64(s.as_bytes()) as i32 as i64;
        assert_eq!(
            unit("Subscribe to The Courier’s “news”!", 1),
            Some(joined("subscribe to the couriers news"))
        );
        assert_eq!(unit("订阅 our 新闻", 1), Some(joined("订 阅 our 新 闻")));
        assert_eq!(unit("Share this", 3), None);
        assert_eq!(unit("", 1), None);
    }

    fn story(paragraphs: &[&str]) -> Article {
        let mut a = Article::new("A story".into(), Role::Main);
        a.paragraphs = paragraphs.iter().map(|p| p.to_string()).collect();
        a
    }

    const SUBSCRIBE: &str = "Subscribe to The Harbour Courier for unlimited access.";

    #[test]
    fn whole_lines_and_glued_sentences_go() {
        let a = story(&[
            "The council met on Monday to vote on the wall.",
            "It passed easily, said the mayor. COURIER STAFF Subscribe to The Harbour Courier for unlimited access.",
            SUBSCRIBE,
            "Share this article",
        ]);
        // The glued sentence repeats whole too, credit and all.
        let glued = "COURIER STAFF Subscribe to The Harbour Courier for unlimited access.";
        let set: HashSet<i64> = [SUBSCRIBE, "Share this article", glued]
            .iter()
            .filter_map(|t| unit(t, 1))
            .collect();
        // The units a story offers include the glued sentence without its credit.
        let offered = units(&a);
        assert!(set.iter().all(|u| offered.contains(u)));
        let mut b = a.clone();
        assert!(apply(&mut b, &set));
        assert_eq!(
            b.paragraphs,
            vec![
                "The council met on Monday to vote on the wall.",
                "It passed easily, said the mayor."
            ]
        );
        assert_eq!(b.credit.as_deref(), Some("COURIER STAFF"));
    }

    #[test]
    fn a_story_is_never_emptied() {
        let mut a = story(&[SUBSCRIBE]);
        let set: HashSet<i64> = unit(SUBSCRIBE, 1).into_iter().collect();
        assert!(!apply(&mut a, &set));
        assert_eq!(a.paragraphs, vec![SUBSCRIBE]);
        // Found by the fuzzer: what is left is only a credit.
        let mut a = story(&[SUBSCRIBE, "AFP"]);
        assert!(apply(&mut a, &set));
        assert_eq!((a.paragraphs, a.credit), (vec!["AFP".to_owned()], None));
    }

    #[test]
    fn thresholds() {
        assert_eq!(threshold(4), 3);
        assert_eq!(threshold(15), 3);
        assert_eq!(threshold(16), 4);
        assert_eq!(threshold(1000), 200);
        assert_eq!(
            source_key(Some(" The Courier ")),
            source_key(Some("the courier"))
        );
    }
}
