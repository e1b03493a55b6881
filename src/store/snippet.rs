//! Snippets of full-text hits. The index keeps no copy of the text (see
//! the schema), so the passage around the matches is found here, in the
//! story's own text, the way the index matches: words split as its
//! `unicode61` tokenizer splits them, accents and case folded, the last
//! word of each query term as a prefix, and a CJK term as a run of
//! characters.

use std::ops::Range;

use super::fulltext::Snippet;
use crate::tokens::is_cjk;

/// Words a snippet shows at most, as FTS5's `snippet()` did.
const WINDOW: usize = 16;
/// Matches weighed at most: a common word may match all through a long text.
const MAX_HITS: usize = 1_000;

/// A token of the text: where it is, and its folded form.
struct Token {
    at: Range<usize>,
    folded: String,
}

fn fold_word(word: &str) -> String {
    crate::fold::fold(word).to_lowercase()
}

/// The tokens of `text`: runs of letters and digits, and each CJK
/// character by itself.
fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let flush = |start: &mut Option<usize>, end: usize, out: &mut Vec<Token>| {
        if let Some(s) = start.take() {
            out.push(Token {
                at: s..end,
                folded: fold_word(&text[s..end]),
            });
        }
    };
    for (i, c) in text.char_indices() {
        if is_cjk(c) {
            flush(&mut start, i, &mut out);
            out.push(Token {
                at: i..i + c.len_utf8(),
                folded: c.to_string(),
            });
        } else if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else {
            flush(&mut start, i, &mut out);
        }
    }
    flush(&mut start, text.len(), &mut out);
    out
}

/// Where in `tokens` each term of `query` matches: (first token, tokens
/// spanned, which term).
fn hits(text: &[Token], query: &str) -> Vec<(usize, usize, usize)> {
    let terms: Vec<Vec<String>> = query
        .split_whitespace()
        .map(|term| tokens(term).into_iter().map(|t| t.folded).collect())
        .filter(|t: &Vec<String>| !t.is_empty())
        .collect();
    let mut out = Vec::new();
    for start in 0..text.len() {
        for (n, term) in terms.iter().enumerate() {
            let Some((last, head)) = term.split_last() else {
                continue;
            };
            let fits = start + term.len() <= text.len()
                && head
                    .iter()
                    .zip(&text[start..])
                    .all(|(want, got)| *want == got.folded)
                && text[start + head.len()].folded.starts_with(last.as_str());
            if fits {
                out.push((start, term.len(), n));
                if out.len() == MAX_HITS {
                    return out;
                }
            }
        }
    }
    out
}

/// Whether every term of `query` is found in `text` as the index would
/// match it, each a run of tokens in order (what the index cannot check).
pub(super) fn finds_all(text: &str, query: &str) -> bool {
    let terms = query
        .split_whitespace()
        .filter(|t| !tokens(t).is_empty())
        .count();
    let hits = hits(&tokens(text), query);
    let mut found: Vec<usize> = hits.iter().map(|h| h.2).collect();
    found.sort_unstable();
    found.dedup();
    found.len() == terms || hits.len() == MAX_HITS
}

/// Whether token `i` opens a sentence: the first, or one after a stop or
/// a line break.
fn opens_sentence(text: &str, tokens: &[Token], i: usize) -> bool {
    i == 0
        || text[tokens[i - 1].at.end..tokens[i].at.start]
            .contains(['.', '!', '?', '\n', '。', '！', '？'])
}

/// Where a passage showing the hit at token `hit` starts: the sentence it
/// is in, when that opens close enough before it; else a little before it.
fn window_start(text: &str, tokens: &[Token], hit: usize) -> usize {
    let reach = hit.saturating_sub(WINDOW * 3 / 4);
    (reach..=hit)
        .rev()
        .find(|&i| opens_sentence(text, tokens, i))
        .unwrap_or(hit.saturating_sub(WINDOW / 4))
}

/// The passage of `text` (at most [`WINDOW`] words) holding the most of
/// `query`'s terms, the earliest of the best, with the matches marked. A
/// text without a match gives its opening.
pub(super) fn cut(text: &str, query: &str) -> Snippet {
    let tokens = tokens(text);
    if tokens.is_empty() {
        return Snippet::default();
    }
    let hits = hits(&tokens, query);
    let mut best = (0, 0, 0); // (distinct terms, hits, first token)
    for &(start, _, _) in &hits {
        let first = window_start(text, &tokens, start);
        let inside: Vec<&(usize, usize, usize)> = hits
            .iter()
            .filter(|(s, n, _)| *s >= first && s + n <= first + WINDOW)
            .collect();
        let mut terms: Vec<usize> = inside.iter().map(|h| h.2).collect();
        terms.sort_unstable();
        terms.dedup();
        let score = (terms.len(), inside.len());
        if score > (best.0, best.1) {
            best = (score.0, score.1, first);
        }
    }
    let first = best.2;
    let last = (first + WINDOW).min(tokens.len()) - 1;
    // The text's own opening and close are shown whole, punctuation and all.
    let from = if first == 0 {
        0
    } else {
        tokens[first].at.start
    };
    let to = if last + 1 == tokens.len() {
        text.len()
    } else {
        tokens[last].at.end
    };
    let mut out = Snippet::default();
    if first > 0 {
        out.text.push('…');
    }
    let base = out.text.len();
    for c in text[from..to].chars() {
        out.text.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
    let trimmed = out.text.trim_end().len();
    out.text.truncate(trimmed);
    for &(start, n, _) in &hits {
        if start >= first && start + n - 1 <= last {
            let hit =
                tokens[start].at.start - from + base..tokens[start + n - 1].at.end - from + base;
            if out
                .hits
                .last()
                .is_none_or(|h: &Range<usize>| h.end <= hit.start)
            {
                out.hits.push(hit);
            }
        }
    }
    if last + 1 < tokens.len() {
        out.text.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_passage_with_the_most_terms_is_cut_and_marked() {
        let text = "Opening words about nothing much at all, just filler. \
                    Then the ferry crossing was cancelled because of the storm, officials said. \
                    Later the harbour reopened, and the boats went out again under a clear \
                    sky for the rest of the week.";
        let s = cut(text, "ferr storm");
        assert_eq!(s.matched(), ["ferry", "storm"]);
        // The passage opens where the sentence does.
        assert!(s.text.starts_with("…Then the ferry"), "{}", s.text);
        assert!(s.text.ends_with('…'), "{}", s.text);
        assert!(s.text.split_whitespace().count() <= WINDOW);
    }

    #[test]
    fn accents_case_and_cjk_match_as_the_index_does() {
        let s = cut("Le président Erdoğan a parlé.", "erdogan PRESIDENT");
        assert_eq!(s.matched(), ["président", "Erdoğan"]);
        let s = cut("深圳发生洪水，居民撤离。", "洪水");
        assert_eq!(s.matched(), ["洪水"]);
        // No match: the opening, unmarked.
        let s = cut("Nothing here matches.", "zebra");
        assert_eq!(s.text, "Nothing here matches.");
        assert!(s.hits.is_empty());
        assert_eq!(cut("", "x"), Snippet::default());
    }

    #[test]
    fn any_text_gives_hits_on_its_own_character_boundaries() {
        let texts = [
            "e\u{301}cole, école, ÉCOLE… 🚀🚀 x\r\ny",
            "עברית ועוד עברית, العربية والعربية",
            "深圳\n\n发生洪水。。。深圳！",
            "   \n\t  ",
            "a",
            "ǅemal ﬁnds ﬁve ß ẞ",
        ];
        for text in texts {
            for query in ["e", "école", "深圳", "ß", "🚀", "fi", "a y", "עב"] {
                let s = cut(text, query);
                for hit in &s.hits {
                    assert!(
                        hit.start < hit.end && hit.end <= s.text.len(),
                        "{text:?} {query:?}"
                    );
                    assert!(s.text.is_char_boundary(hit.start) && s.text.is_char_boundary(hit.end));
                }
                let _ = finds_all(text, query);
            }
        }
    }

    #[test]
    fn a_run_of_tokens_is_found_only_in_order() {
        assert!(finds_all("深圳发生洪水", "洪水 深"));
        assert!(!finds_all("深圳发生洪水", "水洪"));
        assert!(finds_all("Storm in 2026年 hits", "2026年"));
        assert!(!finds_all("Storm in 2026 and 年", "2026年"));
        assert!(!finds_all("Storm", "storm rain"));
    }
}
