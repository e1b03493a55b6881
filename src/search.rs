//! The fuzzy finder over headlines (fuzzy-matcher's skim algorithm).
//!
//! A query is split at spaces and every word must match, in any order, as
//! in fzf. A word matches a story's title or, failing that, its source.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// One matching story: its index in the searched list, its score, and the
/// char positions in its title that matched (for highlighting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub index: usize,
    pub score: i64,
    pub positions: Vec<usize>,
}

/// What the finder searches: a headline and its source.
pub trait Searchable {
    fn title(&self) -> &str;
    fn source(&self) -> Option<&str>;
}

impl Searchable for crate::store::StorySummary {
    fn title(&self) -> &str {
        &self.title
    }
    fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
}

/// Scores one item against the words of a query.
fn score_item(
    matcher: &SkimMatcherV2,
    item: &impl Searchable,
    words: &[&str],
) -> Option<(i64, Vec<usize>)> {
    let mut total = 0;
    let mut positions = Vec::new();
    for word in words {
        if let Some((score, pos)) = matcher.fuzzy_indices(item.title(), word) {
            total += score;
            positions.extend(pos);
        } else {
            // A source match counts, but less than a headline match.
            let score = item.source().and_then(|s| matcher.fuzzy_match(s, word))?;
            total += score / 2;
        }
    }
    positions.sort_unstable();
    positions.dedup();
    Some((total, positions))
}

/// Ranks `items` against `query`, best first; ties keep the list's order.
/// An empty query matches everything, in order.
pub fn rank<T: Searchable>(items: &[T], query: &str) -> Vec<Match> {
    let words: Vec<&str> = query.split_whitespace().collect();
    if words.is_empty() {
        return (0..items.len())
            .map(|index| Match {
                index,
                score: 0,
                positions: Vec::new(),
            })
            .collect();
    }
    let matcher = SkimMatcherV2::default().smart_case();
    let mut matches: Vec<Match> = items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            score_item(&matcher, item, &words).map(|(score, positions)| Match {
                index,
                score,
                positions,
            })
        })
        .collect();
    matches.sort_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
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
        let picked: String = best
            .positions
            .iter()
            .map(|&p| title[p].to_ascii_lowercase())
            .collect();
        assert_eq!(picked, "bus");
    }

    #[test]
    fn source_matches_count_and_empty_query_keeps_all() {
        let m = rank(ITEMS, "straits");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].index, 1);
        assert!(m[0].positions.is_empty());
        assert_eq!(rank(ITEMS, "  ").len(), ITEMS.len());
    }
}
