//! Index terms: the words of a story that say what it is about, for the
//! related-stories engine (and the store, which keeps each story's counts).
//! Lower-cased words of two letters or more, without stopwords or pure
//! numbers, plurals folded; Chinese, Japanese and Korean as pairs of
//! neighbouring characters.

use crate::article::ArticleId;

/// A story's ID with its term counts: what the related engine is built from.
pub type Doc = (ArticleId, Vec<(String, u32)>);

/// Takes stories' term counts one at a time, as a store hands them out.
pub type DocSink<'a> = dyn FnMut(&ArticleId, &[(&str, u32)]) + 'a;

/// How many times the title's words count.
pub const TITLE_WEIGHT: u32 = 2;
/// Common English words that say nothing about a story's topic.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "ago",
    "all",
    "almost",
    "also",
    "although",
    "am",
    "among",
    "an",
    "and",
    "another",
    "any",
    "are",
    "around",
    "as",
    "at",
    "back",
    "be",
    "became",
    "because",
    "become",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "came",
    "can",
    "cannot",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "down",
    "during",
    "each",
    "either",
    "else",
    "even",
    "ever",
    "every",
    "few",
    "first",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "go",
    "going",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "last",
    "least",
    "less",
    "like",
    "made",
    "make",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "never",
    "new",
    "next",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "often",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "others",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "per",
    "put",
    "rather",
    "said",
    "same",
    "say",
    "says",
    "see",
    "seen",
    "she",
    "should",
    "since",
    "so",
    "some",
    "still",
    "such",
    "take",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "three",
    "through",
    "thus",
    "to",
    "told",
    "too",
    "took",
    "two",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "use",
    "used",
    "very",
    "via",
    "was",
    "way",
    "we",
    "well",
    "went",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "year",
    "years",
    "yet",
    "you",
    "your",
    "yours",
];

/// Is `word` (lower case) a stopword?
pub fn is_stopword(word: &str) -> bool {
    /// The list as a hash set: a lookup a word, for every word of every story.
    static SET: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::LazyLock::new(|| STOPWORDS.iter().copied().collect());
    SET.contains(word)
}

/// Words ending in "s" that are not plurals.
const NOT_PLURAL: &[&str] = &[
    "always",
    "athletics",
    "economics",
    "news",
    "perhaps",
    "physics",
    "politics",
    "series",
    "species",
];

/// Reduces a plural to its singular: "stories" → "story", "taxes" → "tax",
/// "banks" → "bank"; leaves "news", "glass", "bus" alone.
fn stem(word: &str) -> std::borrow::Cow<'_, str> {
    let n = word.len();
    if NOT_PLURAL.contains(&word) {
        return word.into();
    }
    if n > 4 && word.ends_with("ies") {
        return format!("{}y", &word[..n - 3]).into();
    }
    if n > 4
        && (word.ends_with("ses")
            || word.ends_with("xes")
            || word.ends_with("ches")
            || word.ends_with("shes"))
    {
        return word[..n - 2].into();
    }
    if n > 3
        && word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
    {
        return word[..n - 1].into();
    }
    word.into()
}

/// The index terms of a text, in order: lower-cased words of two or more
/// letters (apostrophes dropped), without stopwords or pure numbers,
/// stemmed; in Chinese, Japanese and Korean, which are written without
/// spaces, each pair of neighbouring characters (a lone one stands alone).
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, |t| out.push(t));
    out
}

/// [`terms`], one at a time: no list of every term, however long the text.
pub fn for_each_term(text: &str, mut f: impl FnMut(String)) {
    for_each_term_seeing(text, |t| f(t.to_owned()), |_| {});
}

/// [`for_each_term`], lending each term for the length of the call (a
/// pass makes no string of a term the caller has seen before), and
/// showing `see` every token of the text first (for what else is made
/// from the same pass, such as a MinHash signature).
pub fn for_each_term_seeing(
    text: &str,
    mut f: impl FnMut(&str),
    mut see: impl FnMut(&crate::tokens::Token<'_>),
) {
    use crate::tokens::Token;
    let mut run: Vec<char> = Vec::new();
    let mut pair = String::new();
    let mut flush_run = |run: &mut Vec<char>, f: &mut dyn FnMut(&str)| {
        match run.len() {
            0 => {}
            1 => f(run[0].encode_utf8(&mut [0; 4])),
            _ => run.windows(2).for_each(|w| {
                pair.clear();
                pair.extend(w);
                f(&pair)
            }),
        }
        run.clear();
    };
    crate::tokens::for_each(text, |token| {
        see(&token);
        match token {
            Token::Cjk { c, joined } => {
                if !joined {
                    flush_run(&mut run, &mut f);
                }
                run.push(c);
            }
            Token::Word(word) => {
                flush_run(&mut run, &mut f);
                if word.chars().nth(1).is_some()
                    && !word.bytes().all(|c| c.is_ascii_digit())
                    && !is_stopword(word)
                {
                    f(&stem(word))
                }
            }
        }
    });
    flush_run(&mut run, &mut f);
}

/// A story's term counts: title words count [`TITLE_WEIGHT`] times.
pub fn term_counts(title: &str, body: &str) -> Vec<(String, u32)> {
    term_counts_seeing(title, body, |_| {})
}

/// [`term_counts`], showing `see` every token of the title, then of the
/// body, as it goes.
pub fn term_counts_seeing(
    title: &str,
    body: &str,
    mut see: impl FnMut(&crate::tokens::Token<'_>),
) -> Vec<(String, u32)> {
    let mut counts: rustc_hash::FxHashMap<String, u32> = Default::default();
    // Counts a term, making its string only the first time.
    let mut count = |term: &str, by: u32| match counts.get_mut(term) {
        Some(n) => *n += by,
        None => {
            counts.insert(term.to_owned(), by);
        }
    };
    for_each_term_seeing(title, |t| count(t, TITLE_WEIGHT), &mut see);
    for_each_term_seeing(body, |t| count(t, 1), &mut see);
    let mut counts: Vec<(String, u32)> = counts.into_iter().collect();
    counts.sort_unstable();
    counts
}

/// Encodes term counts for the store: "term:count term:count".
pub fn encode_counts(counts: &[(String, u32)]) -> String {
    let mut out = String::new();
    for (term, count) in counts {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(term);
        out.push(':');
        out.push_str(&count.to_string());
    }
    out
}

/// Decodes what [`encode_counts`] wrote into `out`, borrowing the terms
/// from `text`: a pass over a library's counts makes no string a term.
pub fn decode_counts_into<'a>(text: &'a str, out: &mut Vec<(&'a str, u32)>) {
    out.clear();
    out.extend(text.split(' ').filter_map(|pair| {
        let (term, count) = pair.rsplit_once(':')?;
        Some((term, count.parse().ok()?))
    }));
}

/// Decodes what [`encode_counts`] wrote.
pub fn decode_counts(text: &str) -> Vec<(String, u32)> {
    text.split(' ')
        .filter_map(|pair| {
            let (term, count) = pair.rsplit_once(':')?;
            Some((term.to_owned(), count.parse().ok()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_sorted_and_found() {
        assert!(
            STOPWORDS.windows(2).all(|w| w[0] < w[1]),
            "keep STOPWORDS sorted"
        );
        assert!(is_stopword("the"));
        assert!(!is_stopword("ferry"));
    }

    #[test]
    fn terms_are_lowercased_stemmed_and_filtered() {
        assert_eq!(
            terms("The Bank's 2 banks raise TAXES on stories, and news!"),
            ["bank", "bank", "raise", "tax", "story", "news"]
        );
        assert_eq!(terms("Putin’s 深圳 plan"), ["putin", "深圳", "plan"]);
        assert_eq!(
            terms("深圳发生洪水。雨"),
            ["深圳", "圳发", "发生", "生洪", "洪水", "雨"]
        );
    }

    #[test]
    fn title_words_count_more_and_counts_round_trip() {
        let counts = term_counts("Ferry fares", "ferry boats");
        assert_eq!(
            counts,
            vec![("boat".into(), 1), ("fare".into(), 2), ("ferry".into(), 3)]
        );
        assert_eq!(decode_counts(&encode_counts(&counts)), counts);
    }
}
