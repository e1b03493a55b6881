//! The fuzzy finder over headlines (fuzzy-matcher's skim algorithm).
//!
//! A query is split at spaces and every word must match, in any order, as
//! in fzf. A word matches a story's title or, failing that, its source.
//! Accents fold away on both sides ("zurich" finds "Zürich"), and a
//! match's positions point at the headline's own characters.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// One matching story: its index in the searched list and its score.
/// Plain data, so that a million of them are dropped at once; the matched
/// characters of the few on screen come from [`positions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub index: usize,
    pub score: i64,
}

/// What the finder searches: a headline and its source.
pub trait Searchable {
    fn title(&self) -> &str;
    fn source(&self) -> Option<&str>;
}

/// The most of a headline or source the finder looks at, in bytes: a
/// headline is at most [`crate::article::MAX_TITLE`] characters, so this
/// only bounds the work for a store written before headlines were.
const MATCHED_BYTES: usize = 4 * crate::article::MAX_TITLE;

/// `text`, cut to [`MATCHED_BYTES`] at a character boundary.
fn bounded(text: &str) -> &str {
    if text.len() <= MATCHED_BYTES {
        return text;
    }
    let mut at = MATCHED_BYTES;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    &text[..at]
}

impl<T: Searchable> Searchable for &T {
    fn title(&self) -> &str {
        (*self).title()
    }
    fn source(&self) -> Option<&str> {
        (*self).source()
    }
}

impl Searchable for crate::article::StorySummary {
    fn title(&self) -> &str {
        bounded(&self.title)
    }
    fn source(&self) -> Option<&str> {
        self.source.as_deref().map(bounded)
    }
}

impl Searchable for crate::store::Headline<'_> {
    fn title(&self) -> &str {
        bounded(self.title)
    }
    fn source(&self) -> Option<&str> {
        self.source.map(bounded)
    }
}

/// Lists longer than this are ranked on all cores.
const PARALLEL_FROM: usize = 5_000;

/// One word of a query, ready for the prefilter: what to look for, one
/// character at a time.
struct Word {
    text: String,
    needles: Vec<Needle>,
}

enum Needle {
    /// An ASCII character: either of two bytes (its two cases, or itself twice).
    Ascii(u8, u8),
    /// Any other character, which only matches itself (the scorer folds
    /// ASCII case only), as its UTF-8 bytes.
    Exact(Vec<u8>),
}

impl Word {
    fn new(text: &str) -> Word {
        // Smart case, as the scorer has it: a capital makes the word exact.
        let exact = text.chars().any(char::is_uppercase);
        let needles = text
            .chars()
            .map(|c| match c {
                c if c.is_ascii() && !exact => {
                    Needle::Ascii(c.to_ascii_lowercase() as u8, c.to_ascii_uppercase() as u8)
                }
                c if c.is_ascii() => Needle::Ascii(c as u8, c as u8),
                c => Needle::Exact(c.to_string().into_bytes()),
            })
            .collect();
        Word {
            text: text.to_owned(),
            needles,
        }
    }

    /// Could this word fuzzy-match `text`? Its characters must appear in
    /// order. Exact for the scorer's rules, and fast (memchr), so that the
    /// scorer runs only on real matches.
    fn may_match(&self, text: &str) -> bool {
        let hay = text.as_bytes();
        let mut at = 0;
        for needle in &self.needles {
            let rest = &hay[at..];
            let found = match needle {
                Needle::Ascii(a, b) if a == b => memchr::memchr(*a, rest).map(|i| i + 1),
                Needle::Ascii(a, b) => memchr::memchr2(*a, *b, rest).map(|i| i + 1),
                Needle::Exact(bytes) => memchr::memmem::find(rest, bytes).map(|i| i + bytes.len()),
            };
            match found {
                Some(end) => at += end,
                None => return false,
            }
        }
        true
    }
}

/// `text` with accents folded, borrowed when it is ASCII (most are).
fn folded(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(crate::fold::fold(text))
    }
}

/// A query ready to score items with: its words, folded, each with its
/// prefilter. Made once a query, shared by every thread that ranks.
pub struct Pattern {
    words: Vec<Word>,
}

impl Pattern {
    pub fn new(query: &str) -> Pattern {
        Pattern {
            words: folded(query).split_whitespace().map(Word::new).collect(),
        }
    }

    /// A blank query, which matches everything.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The query's words, folded.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(|w| w.text.as_str())
    }

    /// How many words the query has.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// `item`'s score, or `None` when some word matches neither its title
    /// nor its source (no positions).
    pub fn score(&self, matcher: &SkimMatcherV2, item: &impl Searchable) -> Option<i64> {
        self.score_from(matcher, item, 0)
    }

    /// `item`'s score for the words from the `first` on: a score is the sum
    /// of its words', so the rest may come from an earlier query's.
    pub fn score_from(
        &self,
        matcher: &SkimMatcherV2,
        item: &impl Searchable,
        first: usize,
    ) -> Option<i64> {
        let words = &self.words[first.min(self.words.len())..];
        let title = folded(item.title());
        let title = title.as_ref();
        let mut source = LazySource { item, folded: None };
        // Every word must match the headline or the source. The prefilter
        // (which agrees with the scorer) first, for every word: no word is
        // scored for a story that another word rules out.
        let mut in_title: u64 = 0;
        for (k, word) in words.iter().enumerate() {
            if word.may_match(title) {
                in_title |= 1u64.checked_shl(k as u32).unwrap_or(0);
            } else if !source.get().is_some_and(|s| word.may_match(s)) {
                return None;
            }
        }
        let mut total = 0;
        for (k, word) in words.iter().enumerate() {
            let may = match 1u64.checked_shl(k as u32) {
                Some(bit) => in_title & bit != 0,
                None => word.may_match(title),
            };
            let in_title = may
                .then(|| matcher.fuzzy_match(title, &word.text))
                .flatten();
            total += match in_title {
                Some(score) => score,
                // A source match counts, but less than a headline match.
                None => {
                    let source = source.get()?;
                    word.may_match(source)
                        .then(|| matcher.fuzzy_match(source, &word.text))
                        .flatten()?
                        / 2
                }
            };
        }
        Some(total)
    }
}

/// A story's source, folded when first asked for.
struct LazySource<'a, T> {
    item: &'a T,
    folded: Option<Option<std::borrow::Cow<'a, str>>>,
}

impl<T: Searchable> LazySource<'_, T> {
    fn get(&mut self) -> Option<&str> {
        let item = self.item;
        self.folded
            .get_or_insert_with(|| item.source().map(folded))
            .as_deref()
    }
}

/// The scorer every ranking uses: skim's, with smart case.
pub fn matcher() -> SkimMatcherV2 {
    SkimMatcherV2::default().smart_case()
}

/// Sorts matches best first; ties keep the list's order. The one order
/// of the finder and `search`.
pub fn sort_matches(matches: &mut [Match]) {
    matches.sort_unstable_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
}

/// The char positions in `title` that the query's words matched.
pub fn positions(title: &str, query: &str) -> Vec<usize> {
    let matcher = matcher();
    let query = folded(query);
    let (text, map) = if title.is_ascii() {
        (std::borrow::Cow::Borrowed(title), None)
    } else {
        let (text, map) = crate::fold::fold_with_map(title);
        (std::borrow::Cow::Owned(text), Some(map))
    };
    let mut positions: Vec<usize> = query
        .split_whitespace()
        .filter_map(|w| matcher.fuzzy_indices(&text, w))
        .flat_map(|(_, p)| p)
        .map(|p| map.as_ref().map_or(p, |m| m[p]))
        .collect();
    positions.sort_unstable();
    positions.dedup();
    positions
}

fn rank_slice<T: Searchable>(items: &[T], pattern: &Pattern, offset: usize) -> Vec<Match> {
    let matcher = matcher();
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            pattern.score(&matcher, item).map(|score| Match {
                index: offset + i,
                score,
            })
        })
        .collect()
}

/// Ranks `items` against `query`, best first; ties keep the list's order.
/// An empty query matches everything, in order.
pub fn rank<T: Searchable + Sync>(items: &[T], query: &str) -> Vec<Match> {
    let pattern = Pattern::new(query);
    if pattern.is_empty() {
        return (0..items.len())
            .map(|index| Match { index, score: 0 })
            .collect();
    }
    let mut matches = if items.len() >= PARALLEL_FROM {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let chunk = items.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = items
                .chunks(chunk)
                .enumerate()
                .map(|(n, part)| {
                    let pattern = &pattern;
                    scope.spawn(move || rank_slice(part, pattern, n * chunk))
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect::<Vec<_>>()
        })
    } else {
        rank_slice(items, &pattern, 0)
    };
    sort_matches(&mut matches);
    matches
}

#[cfg(test)]
mod tests {
    use super::*;

    struct H(&'static str, &'static str);
    impl Searchable for H {
        fn title(&self) -> &str {
            self.0
        }
        fn source(&self) -> Option<&str> {
            Some(self.1)
        }
    }

    const ITEMS: &[H] = &[
        H("China unleashes hackers against Russia", "NYT"),
        H("Bus fares rise in March", "Straits Times"),
        H("Russia and China sign gas deal", "Reuters"),
        H("Night buses return", "City Desk"),
    ];

    #[test]
    fn every_word_must_match_in_any_order() {
        let m = rank(ITEMS, "russia china");
        let found: Vec<usize> = m.iter().map(|m| m.index).collect();
        assert_eq!(found.len(), 2);
        assert!(found.contains(&0) && found.contains(&2));
        assert!(rank(ITEMS, "russia bus").is_empty());
    }

    #[test]
    fn positions_point_at_title_chars() {
        let m = rank(ITEMS, "bus");
        assert!(!m.is_empty());
        let best = &m[0];
        let title: Vec<char> = ITEMS[best.index].0.chars().collect();
        let picked: String = positions(ITEMS[best.index].0, "bus")
            .iter()
            .map(|&p| title[p].to_ascii_lowercase())
            .collect();
        assert_eq!(picked, "bus");
    }

    #[test]
    fn the_prefilter_agrees_with_the_matcher() {
        let may = |text: &str, word: &str| Word::new(word).may_match(text);
        assert!(may("China unleashes hackers", "chn"));
        assert!(!may("China unleashes hackers", "CHI"));
        assert!(may("深圳 floods", "深圳"));
        assert!(!may("Bus fares", "fsb"));
        // The prefilter never rejects what the scorer accepts, and rejects
        // what it would reject, over awkward cases.
        let matcher = matcher();
        let texts = [
            "Café owners — 中文 “quotes” CHINA",
            "KELVIN \u{212A} and İstanbul ǅ",
            "a-b_c.d e",
            "",
        ];
        let words = [
            "caf", "CAF", "é", "É", "中文", "china", "China", "k", "K", "i", "ǆ", "abcde", "zz",
            "“q",
        ];
        for text in texts {
            for word in words {
                assert_eq!(
                    may(text, word),
                    matcher.fuzzy_match(text, word).is_some(),
                    "{word:?} in {text:?}"
                );
            }
        }
        let many: Vec<H> = (0..30_000)
            .map(|_| H("Russia and China sign gas deal", "Reuters"))
            .collect();
        let m = rank(&many, "china gas");
        assert_eq!(m.len(), 30_000, "the parallel path finds every match");
        assert_eq!(m[0].index, 0);
    }

    #[test]
    fn source_matches_count_and_empty_query_keeps_all() {
        let m = rank(ITEMS, "straits");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].index, 1);
        assert!(
            positions(ITEMS[1].0, "straits").is_empty(),
            "none in the title"
        );
        assert_eq!(rank(ITEMS, "  ").len(), ITEMS.len());
    }

    #[test]
    fn a_story_scores_the_sum_of_its_words_headline_or_source() {
        let pattern = Pattern::new("fares straits");
        let matcher = matcher();
        let by_word = |word: &str, text: &str| matcher.fuzzy_match(text, word).unwrap();
        // One word in the headline, one only in the source (at half).
        let expected = by_word("fares", ITEMS[1].0) + by_word("straits", ITEMS[1].1) / 2;
        assert_eq!(pattern.score(&matcher, &ITEMS[1]), Some(expected));
        // A word that matches neither rules the story out, whichever comes first.
        for query in ["fares zebra", "zebra fares", "fares straits zebra"] {
            assert_eq!(
                Pattern::new(query).score(&matcher, &ITEMS[1]),
                None,
                "{query}"
            );
        }
        // An accented source is folded before it is matched.
        let wire = H("Markets close higher", "Agence Française");
        assert!(
            Pattern::new("markets francaise")
                .score(&matcher, &wire)
                .is_some()
        );
    }

    #[test]
    fn accents_and_case_fold_on_both_sides_and_highlights_stay_true() {
        const WORLD: &[H] = &[
            H("Floods close Zürich airport", "SRF"),
            H("Erdoğan meets Macron", "AFP"),
            H("École reopens after storm", "Le Monde"),
            H("Nothing to see", "Zeitung Köln"),
        ];
        let found =
            |q: &str| -> Vec<&str> { rank(WORLD, q).iter().map(|m| WORLD[m.index].0).collect() };
        assert_eq!(found("zurich"), ["Floods close Zürich airport"]);
        assert_eq!(found("erdogan"), ["Erdoğan meets Macron"]);
        // As in fzf, an accent in the query folds too: "é" is any e.
        assert!(found("é").contains(&"École reopens after storm"));
        assert_eq!(positions("École reopens", "éc"), [0, 1], "É and c");
        assert_eq!(found("zürich"), ["Floods close Zürich airport"]);
        assert_eq!(found("koln"), ["Nothing to see"], "sources fold too");
        let m = &rank(WORLD, "zurich")[0];
        let title: Vec<char> = WORLD[m.index].0.chars().collect();
        let marked: String = positions(WORLD[m.index].0, "zurich")
            .iter()
            .map(|&p| title[p])
            .collect();
        assert_eq!(marked, "Zürich");
    }
}
