//! Related stories and near-duplicates.
//!
//! Each story becomes a sparse TF-IDF vector over its title and text words:
//! lower-cased, stopwords removed, a light plural stemmer, the title counted
//! [`TITLE_WEIGHT`] times, sublinear term frequency, and very rare and very
//! common words cut. Related stories are found through an inverted index
//! and ranked by cosine similarity, then re-ranked once with the centroid of
//! the first neighbours (pseudo-relevance feedback), which pulls the ranking
//! toward the story's topic rather than its incidental words.
//!
//! Near-duplicates are found with MinHash over word shingles.

mod lsa;

use std::collections::HashMap;

pub use lsa::Dense;

/// How many times the title's words count.
pub const TITLE_WEIGHT: u32 = 3;
/// Words a story keeps in its vector (its highest-weighted ones).
pub const VECTOR_TERMS: usize = 64;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}
/// Terms in fewer stories than this are too rare to relate anything.
const MIN_DF: u32 = 2;
/// Terms in more than this share of stories say nothing about a topic.
const MAX_DF_SHARE: f32 = 0.5;

/// Common English words that say nothing about a story's topic.
const STOPWORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "ago", "all", "almost", "also", "although",
    "am", "among", "an", "and", "another", "any", "are", "around", "as", "at", "back", "be", "became",
    "because", "become", "been", "before", "being", "below", "between", "both", "but", "by", "came",
    "can", "cannot", "could", "did", "do", "does", "doing", "done", "down", "during", "each",
    "either", "else", "even", "ever", "every", "few", "first", "for", "from", "further", "get",
    "gets", "go", "going", "got", "had", "has", "have", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "however", "i", "if", "in", "into", "is", "it",
    "its", "itself", "just", "last", "least", "less", "like", "made", "make", "many", "may", "me",
    "might", "more", "most", "much", "must", "my", "myself", "never", "new", "next", "no", "nor",
    "not", "now", "of", "off", "often", "on", "once", "one", "only", "or", "other", "others",
    "our", "ours", "out", "over", "own", "per", "put", "rather", "said", "same", "say", "says",
    "see", "seen", "she", "should", "since", "so", "some", "still", "such", "take", "than",
    "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they",
    "this", "those", "though", "three", "through", "thus", "to", "told", "too", "took", "two",
    "under", "until", "up", "upon", "us", "use", "used", "very", "via", "was", "way", "we",
    "well", "went", "were", "what", "when", "where", "whether", "which", "while", "who", "whom",
    "whose", "why", "will", "with", "within", "without", "would", "year", "years", "yet", "you",
    "your", "yours",
];

/// Is `word` (lower case) a stopword?
pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.binary_search(&word).is_ok()
}

/// Reduces a plural to its singular: "stories" → "story", "taxes" → "tax",
/// "banks" → "bank"; leaves "news", "glass", "bus" alone.
fn stem(word: &str) -> &str {
    let n = word.len();
    if n > 4 && word.ends_with("ies") {
        return &word[..n - 3]; // "stori": consistent, not pretty
    }
    if n > 4 && (word.ends_with("ses") || word.ends_with("xes") || word.ends_with("ches") || word.ends_with("shes")) {
        return &word[..n - 2];
    }
    if n > 3 && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") && !word.ends_with("is") {
        return &word[..n - 1];
    }
    word
}

/// The index terms of a text, in order: lower-cased words of two or more
/// letters (apostrophes dropped), without stopwords or pure numbers, stemmed.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<String>| {
        if word.chars().count() >= 2 && !word.chars().all(|c| c.is_ascii_digit()) && !is_stopword(word) {
            out.push(stem(word).to_owned());
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if c == '\'' || c == '’' {
            // "Putin's" → "putins" → "putin"; "don't" → "dont"
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A story's term counts: title words count [`TITLE_WEIGHT`] times.
pub fn term_counts(title: &str, body: &str) -> Vec<(String, u32)> {
    let mut counts: HashMap<String, u32> = HashMap::new();
    for t in terms(title) {
        *counts.entry(t).or_default() += env_or("BL_TW", TITLE_WEIGHT);
    }
    for t in terms(body) {
        *counts.entry(t).or_default() += 1;
    }
    let mut counts: Vec<(String, u32)> = counts.into_iter().collect();
    counts.sort_unstable();
    counts
}

/// A sparse unit vector: (term index, weight), sorted by term index.
pub type Vector = Vec<(u32, f32)>;

fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

fn normalize(v: &mut Vector) {
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in v.iter_mut() {
            *w /= norm;
        }
    }
}

/// Keeps the `k` heaviest terms, renormalised and sorted by term.
fn prune(mut v: Vector, k: usize) -> Vector {
    if v.len() > k {
        v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
        v.truncate(k);
    }
    v.sort_unstable_by_key(|(t, _)| *t);
    normalize(&mut v);
    v
}

/// The related-stories index over a set of documents.
#[derive(Debug, Clone)]
pub struct Engine {
    vocab: HashMap<String, u32>,
    df: Vec<u32>,
    /// Each document's unit vector (empty for removed documents).
    vectors: Vec<Vector>,
    /// term → (document, weight).
    postings: Vec<Vec<(u32, f32)>>,
    /// Each document's unit LSA embedding, `dims` floats a document.
    embeddings: Vec<f32>,
    dims: usize,
    /// The term projection V: a new document's embedding is its row · V.
    projection: Dense,
}

/// Tunable parts of a query, for the evaluation.
#[derive(Debug, Clone, Copy)]
pub struct QueryOptions {
    /// Neighbours whose centroid is added to the query; 0 turns feedback off.
    pub feedback: usize,
    /// The centroid's weight against the story's own vector.
    pub feedback_weight: f32,
    /// The LSA similarity's share of the score; the rest is TF-IDF cosine.
    pub lsa_weight: f32,
}

impl Default for QueryOptions {
    fn default() -> Self {
        QueryOptions { feedback: 8, feedback_weight: 0.7, lsa_weight: 0.5 }
    }
}

/// LSA dimensions.
pub const LSA_DIMS: usize = 64;

impl Engine {
    /// Builds the index from documents' term counts.
    pub fn build(docs: &[Vec<(String, u32)>]) -> Engine {
        let mut vocab: HashMap<String, u32> = HashMap::new();
        let mut df: Vec<u32> = Vec::new();
        let mut ids: Vec<Vec<(u32, u32)>> = Vec::with_capacity(docs.len());
        for doc in docs {
            let mut row = Vec::with_capacity(doc.len());
            for (term, count) in doc {
                let next = vocab.len() as u32;
                let id = *vocab.entry(term.clone()).or_insert(next);
                if id as usize == df.len() {
                    df.push(0);
                }
                df[id as usize] += 1;
                row.push((id, *count));
            }
            ids.push(row);
        }
        let n = docs.len().max(1) as f32;
        let min_df: u32 = env_or("BL_MIN_DF", MIN_DF);
        let max_df = ((n * env_or("BL_MAX_DF", MAX_DF_SHARE)) as u32).max(min_df);
        let vector_terms: usize = env_or("BL_TERMS", VECTOR_TERMS);
        let idf: Vec<f32> = df
            .iter()
            .map(|&d| if d < min_df || d > max_df { 0.0 } else { (n / d as f32).ln() })
            .collect();
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); df.len()];
        let mut vectors = Vec::with_capacity(ids.len());
        let mut full_rows = Vec::with_capacity(ids.len());
        for (doc, row) in ids.into_iter().enumerate() {
            let mut full: Vector = row
                .into_iter()
                .filter(|(t, _)| idf[*t as usize] > 0.0)
                .map(|(t, c)| (t, (1.0 + (c as f32).ln()) * idf[t as usize]))
                .collect();
            normalize(&mut full);
            let v = prune(full.clone(), vector_terms);
            for &(t, w) in &v {
                postings[t as usize].push((doc as u32, w));
            }
            vectors.push(v);
            full_rows.push(full);
        }
        let dims: usize = env_or("BL_DIMS", LSA_DIMS);
        let projection = lsa::term_projection(&full_rows, df.len(), dims, env_or("BL_POWER", 2));
        let dims = projection.cols;
        let mut embeddings = Vec::with_capacity(full_rows.len() * dims);
        for row in &full_rows {
            embeddings.extend(lsa::embed(row, &projection));
        }
        Engine { vocab, df, vectors, postings, embeddings, dims, projection }
    }

    pub fn len(&self) -> usize {
        self.vectors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }

    /// A document's vector.
    pub fn vector(&self, doc: usize) -> &[(u32, f32)] {
        &self.vectors[doc]
    }

    fn embedding(&self, doc: usize) -> &[f32] {
        &self.embeddings[doc * self.dims..(doc + 1) * self.dims]
    }

    /// Scores every document: the LSA cosine with `embedding`, blended with
    /// the TF-IDF cosine with `query` where the two share terms.
    fn blended(&self, query: &[(u32, f32)], embedding: &[f32], options: QueryOptions, out: &mut Vec<f32>) {
        let n = self.vectors.len();
        out.clear();
        out.resize(n, 0.0);
        let lw = options.lsa_weight;
        if lw > 0.0 && self.dims > 0 {
            for (d, score) in out.iter_mut().enumerate() {
                let e = &self.embeddings[d * self.dims..(d + 1) * self.dims];
                *score = lw * e.iter().zip(embedding).map(|(a, b)| a * b).sum::<f32>();
            }
        }
        for &(t, qw) in query {
            for &(doc, w) in &self.postings[t as usize] {
                out[doc as usize] += (1.0 - lw) * qw * w;
            }
        }
    }

    fn top_scores(scores: &[f32], skip: &dyn Fn(usize) -> bool, k: usize) -> Vec<(usize, f32)> {
        let mut all: Vec<(usize, f32)> =
            scores.iter().enumerate().filter(|(d, s)| **s > 0.0 && !skip(*d)).map(|(d, s)| (d, *s)).collect();
        let k = k.min(all.len());
        if k == 0 {
            return Vec::new();
        }
        all.select_nth_unstable_by(k - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        all.truncate(k);
        all.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        all
    }

    /// The `k` documents most related to `doc`, best first, with scores
    /// from 0 to 1. `skip` leaves documents out (the story's
    /// near-duplicates, say); `doc` itself is never returned.
    pub fn related(&self, doc: usize, k: usize, skip: &dyn Fn(usize) -> bool, options: QueryOptions) -> Vec<(usize, f32)> {
        let query = &self.vectors[doc];
        if query.is_empty() {
            return Vec::new();
        }
        let skip_doc = |d: usize| d == doc || skip(d);
        let mut scores = Vec::new();
        self.blended(query, self.embedding(doc), options, &mut scores);
        if options.feedback == 0 {
            return Self::top_scores(&scores, &skip_doc, k);
        }
        let first = Self::top_scores(&scores, &skip_doc, options.feedback);
        // Rocchio: the story plus the centroid of its first neighbours, in both spaces.
        let share = options.feedback_weight / first.len().max(1) as f32;
        let mut expanded: HashMap<u32, f32> = query.iter().copied().collect();
        let mut embedding = self.embedding(doc).to_vec();
        for (d, _) in &first {
            for &(t, w) in &self.vectors[*d] {
                *expanded.entry(t).or_default() += share * w;
            }
            for (e, x) in embedding.iter_mut().zip(self.embedding(*d)) {
                *e += share * x;
            }
        }
        let mut expanded: Vector = expanded.into_iter().collect();
        expanded.sort_unstable_by_key(|(t, _)| *t);
        let expanded = prune(expanded, VECTOR_TERMS * 2);
        let norm = embedding.iter().map(|x| x * x).sum::<f32>().sqrt().max(f32::EPSILON);
        embedding.iter_mut().for_each(|x| *x /= norm);
        self.blended(&expanded, &embedding, options, &mut scores);
        let mut ranked = Self::top_scores(&scores, &skip_doc, k);
        // Report the blend of plain cosines with the story itself: it means something on its own.
        let lw = options.lsa_weight;
        for (d, score) in ranked.iter_mut() {
            let lsa: f32 = self.embedding(doc).iter().zip(self.embedding(*d)).map(|(a, b)| a * b).sum();
            *score = (lw * lsa + (1.0 - lw) * dot(query, &self.vectors[*d])).clamp(0.0, 1.0);
        }
        ranked
    }

    /// The vocabulary size.
    pub fn terms(&self) -> usize {
        self.df.len()
    }

    /// Looks up a term's index.
    pub fn term_id(&self, term: &str) -> Option<u32> {
        self.vocab.get(term).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_sorted_and_found() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]), "keep STOPWORDS sorted");
        assert!(is_stopword("the"));
        assert!(!is_stopword("ferry"));
    }

    #[test]
    fn terms_are_lowercased_stemmed_and_filtered() {
        assert_eq!(terms("The Bank's 2 banks raise TAXES on stories, and news!"), ["bank", "bank", "raise", "tax", "stori", "news"]);
        assert_eq!(terms("Putin’s 深圳 plan"), ["putin", "深圳", "plan"]);
    }

    #[test]
    fn title_words_count_more() {
        let counts = term_counts("Ferry fares", "ferry boats");
        assert_eq!(counts, vec![("boat".into(), 1), ("fare".into(), 3), ("ferry".into(), 4)]);
    }

    fn doc(title: &str, body: &str) -> Vec<(String, u32)> {
        term_counts(title, body)
    }

    #[test]
    fn stories_on_one_topic_rank_above_others() {
        let docs = vec![
            doc("Harbour ferry fares cut", "The ferry operator cut fares on the harbour route for commuters."),
            doc("New electric ferry joins harbour fleet", "An electric ferry for the harbour route arrives, cutting fares."),
            doc("Striker injured before cup final", "The striker hurt his knee in training before the cup final."),
            doc("Cup final moved to new stadium", "The cup final will be played at a new stadium after the pitch failed."),
            doc("Ferry commuters welcome cheaper fares", "Harbour commuters said the ferry fares cut was overdue."),
            doc("Coach names squad for cup final", "The coach named a striker and a keeper in the squad for the final."),
        ];
        let engine = Engine::build(&docs);
        let ferry = engine.related(0, 2, &|_| false, QueryOptions::default());
        let found: Vec<usize> = ferry.iter().map(|(d, _)| *d).collect();
        assert!(found.contains(&1) && found.contains(&4), "{ferry:?}");
        assert!(ferry.iter().all(|(_, s)| (0.0..=1.0).contains(s)));
        let cup = engine.related(2, 2, &|_| false, QueryOptions { feedback: 0, ..Default::default() });
        assert!(cup.iter().all(|(d, _)| [3, 5].contains(d)), "{cup:?}");
        let skipped = engine.related(0, 5, &|d| d == 1, QueryOptions::default());
        assert!(skipped.iter().all(|(d, _)| *d != 1 && *d != 0));
    }
}
