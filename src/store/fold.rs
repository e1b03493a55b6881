//! One story, one story: copies of the same story in several files fold
//! into one, and different stories never do.
//!
//! Each copy carries the ID it gives itself (from its headline and the
//! opening of its text, or its feed GUID). Copies with the same ID are one
//! story. Copies under the same headline with different IDs are the same
//! story too when one's text is a prefix of the other's (a listing cut
//! short) or nearly all of it is contained in the other's (a re-scrape,
//! a listing with the page's furniture around it). A copy with no text at
//! all joins the one story under its headline, if there is exactly one.
//!
//! A folded story is known by the ID of its first copy (a page's own copy
//! before a listing, then the earliest published, then the smallest ID);
//! every other ID it has had stays an alias, so a mark or a script that
//! kept an older ID still finds it.

use std::collections::{HashMap, HashSet};

use rusqlite::{Transaction, params};

use super::codec::{Body, Unpacker};
use crate::tokens;

/// Share of the shorter text's word triples the longer must hold.
const CONTAINED: f32 = 0.9;
/// Texts shorter than this (in words) fold only as a prefix or an equal.
const MIN_WORDS: usize = 8;
/// In a headline shared by more copies than this, only copies whose
/// texts open alike are compared (pairwise comparison grows as the square).
const COMPARE_ALL_UP_TO: usize = 200;

/// One copy of a story, as folding sees it.
struct Copy {
    entry: i64,
    self_id: String,
    story: String,
    main: bool,
    published: Option<i64>,
    text: Text,
}

/// A copy's text as folding compares it.
struct Text {
    words: Vec<String>,
    /// The text itself, for its shingles.
    text: String,
    /// Word triples, each within one sentence: a sentence moved (a page's
    /// standfirst is its first sentence again in a listing) or cut short
    /// still matches where it stands. Made only when a comparison needs
    /// them (most copies are a prefix of another, or the same).
    shingles: std::cell::OnceCell<HashSet<u64>>,
}

impl Text {
    fn empty() -> Text {
        Text::of(String::new())
    }

    fn of(text: String) -> Text {
        Text {
            words: tokens::words(&text),
            text,
            shingles: std::cell::OnceCell::new(),
        }
    }

    fn shingles(&self) -> &HashSet<u64> {
        self.shingles.get_or_init(|| {
            let mut shingles = HashSet::new();
            for sentence in crate::loader::split_sentences(&self.text) {
                let words = tokens::words(sentence);
                for w in words.windows(3.min(words.len()).max(1)) {
                    shingles.insert(xxhash_rust::xxh3::xxh3_64(w.join(" ").as_bytes()));
                }
            }
            shingles
        })
    }
}

/// Whether `short` opens `long`, its last word perhaps cut short ("Mon"
/// for "Monday": a listing cut mid-word).
fn is_prefix(short: &[String], long: &[String]) -> bool {
    let Some((last, head)) = short.split_last() else {
        return true;
    };
    long.starts_with(head)
        && long
            .get(head.len())
            .is_some_and(|w| w.starts_with(last.as_str()))
}

/// Whether two copies under one headline are the same story.
fn same_story(a: &Text, b: &Text) -> bool {
    let (short, long) = if a.words.len() <= b.words.len() {
        (a, b)
    } else {
        (b, a)
    };
    if short.words.is_empty() {
        return false;
    }
    if is_prefix(&short.words, &long.words)
        && (short.words.len() >= MIN_WORDS || short.words.len() == long.words.len())
    {
        return true;
    }
    if short.words.len() < MIN_WORDS {
        return false;
    }
    let (short_set, long_set) = (short.shingles(), long.shingles());
    let shared = short_set.iter().filter(|x| long_set.contains(x)).count();
    shared as f32 >= CONTAINED * short_set.len() as f32
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// The copies' components: which copies are one story.
fn components(copies: &[Copy]) -> Vec<usize> {
    let n = copies.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let union = |parent: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (find(parent, a), find(parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    };
    // Equal IDs first: identical copies are one story.
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, c) in copies.iter().enumerate() {
        match by_id.get(c.self_id.as_str()) {
            Some(&j) => union(&mut parent, i, j),
            None => {
                by_id.insert(&c.self_id, i);
            }
        }
    }
    let firsts: Vec<usize> = by_id.values().copied().collect();
    let lead = |c: &Copy| {
        c.text
            .words
            .iter()
            .take(MIN_WORDS)
            .cloned()
            .collect::<Vec<_>>()
    };
    for (x, &i) in firsts.iter().enumerate() {
        for &j in &firsts[x + 1..] {
            if firsts.len() > COMPARE_ALL_UP_TO && lead(&copies[i]) != lead(&copies[j]) {
                continue;
            }
            if same_story(&copies[i].text, &copies[j].text) {
                union(&mut parent, i, j);
            }
        }
    }
    // A copy with no text joins the one story with text, if there is one.
    let with_text: HashSet<usize> = (0..n)
        .filter(|&i| !copies[i].text.words.is_empty())
        .map(|i| find(&mut parent, i))
        .collect();
    if with_text.len() == 1 {
        let root = *with_text.iter().next().expect("one");
        for (i, copy) in copies.iter().enumerate() {
            if copy.text.words.is_empty() {
                union(&mut parent, i, root);
            }
        }
    }
    (0..n).map(|i| find(&mut parent, i)).collect()
}

/// The ID a component of copies is known by.
fn canonical<'a>(copies: &'a [Copy], members: &[usize]) -> &'a str {
    let best = members
        .iter()
        .map(|&i| &copies[i])
        .min_by(|a, b| {
            b.main
                .cmp(&a.main)
                .then(
                    a.published
                        .unwrap_or(i64::MAX)
                        .cmp(&b.published.unwrap_or(i64::MAX)),
                )
                .then(a.self_id.cmp(&b.self_id))
        })
        .expect("components are not empty");
    &best.self_id
}

/// The copies under one headline. Their texts are read only when there is
/// something to compare: copies that all give the same ID are one story.
fn load_copies(
    tx: &Transaction,
    unpacker: &Unpacker,
    title_hash: i64,
) -> rusqlite::Result<Vec<Copy>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, self_id, story_id, role, published FROM entries WHERE title_hash = ?1 ORDER BY id",
    )?;
    let mut copies: Vec<Copy> = stmt
        .query_map([title_hash], |r| {
            Ok(Copy {
                entry: r.get(0)?,
                self_id: r.get(1)?,
                story: r.get(2)?,
                main: r.get::<_, String>(3)? == "main",
                published: r.get(4)?,
                text: Text::empty(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    if copies.iter().all(|c| c.self_id == copies[0].self_id) {
        return Ok(copies);
    }
    let mut text_of = tx.prepare_cached("SELECT body FROM entries WHERE id = ?1")?;
    for copy in &mut copies {
        let packed: Vec<u8> = text_of.query_row([copy.entry], |r| r.get(0))?;
        let body = Body::read(&unpacker.unpack(tx, &packed)?);
        let mut text = body.standfirst.unwrap_or_default();
        for p in body.paragraphs {
            // A paragraph ends a sentence, whether or not it has a stop.
            text.push_str(".\n");
            text.push_str(&p);
        }
        copy.text = Text::of(text);
    }
    Ok(copies)
}

/// Folds the copies under each of `titles` again: sets each copy's story,
/// keeps the aliases, and adds every story that changed to `stories`.
pub(super) fn fold_titles(
    tx: &Transaction,
    titles: &HashSet<i64>,
    stories: &mut HashSet<String>,
) -> rusqlite::Result<()> {
    let unpacker = Unpacker::default();
    for &title in titles {
        fold_title(tx, &unpacker, title, stories)?;
    }
    Ok(())
}

fn fold_title(
    tx: &Transaction,
    unpacker: &Unpacker,
    title: i64,
    stories: &mut HashSet<String>,
) -> rusqlite::Result<()> {
    let copies = load_copies(tx, unpacker, title)?;
    let old_aliases: Vec<(String, String)> = tx
        .prepare_cached("SELECT alias, story_id FROM aliases WHERE title_hash = ?1")?
        .query_map([title], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if copies.is_empty() && old_aliases.is_empty() {
        return Ok(());
    }
    let story_of = stories_of(&copies);
    let current: HashSet<&str> = story_of.iter().map(String::as_str).collect();
    // Where each story a copy was in before went.
    let mut moved: HashMap<&str, &str> = HashMap::new();
    for (copy, new) in copies.iter().zip(&story_of) {
        if copy.story != *new {
            tx.prepare_cached("UPDATE entries SET story_id = ?2 WHERE id = ?1")?
                .execute(params![copy.entry, new])?;
            stories.insert(copy.story.clone());
            stories.insert(new.clone());
        }
        let target = moved.entry(copy.story.as_str()).or_insert(new.as_str());
        if copy.story == *new {
            *target = new.as_str();
        }
    }
    let aliases = aliases_after(&copies, &story_of, &current, &moved, old_aliases);
    tx.prepare_cached("DELETE FROM aliases WHERE title_hash = ?1")?
        .execute([title])?;
    let mut insert = tx.prepare_cached(
        "INSERT OR REPLACE INTO aliases (alias, story_id, title_hash) VALUES (?1, ?2, ?3)",
    )?;
    for (alias, target) in &aliases {
        insert.execute(params![alias, target, title])?;
    }
    Ok(())
}

/// The story each copy belongs to: its group's canonical ID.
fn stories_of(copies: &[Copy]) -> Vec<String> {
    let roots = components(copies);
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, &root) in roots.iter().enumerate() {
        members.entry(root).or_default().push(i);
    }
    roots
        .iter()
        .map(|root| canonical(copies, &members[root]).to_owned())
        .collect()
}

/// The aliases under one headline after a fold: each copy's own ID when
/// its story has another; each story that went, to where it went; and
/// the old aliases still pointing somewhere that exists.
fn aliases_after(
    copies: &[Copy],
    story_of: &[String],
    current: &HashSet<&str>,
    moved: &HashMap<&str, &str>,
    old_aliases: Vec<(String, String)>,
) -> HashMap<String, String> {
    let mut aliases: HashMap<String, String> = HashMap::new();
    for (copy, new) in copies.iter().zip(story_of) {
        if copy.self_id != *new {
            aliases.insert(copy.self_id.clone(), new.clone());
        }
    }
    for (old, new) in moved {
        if !current.contains(old) {
            aliases
                .entry((*old).to_owned())
                .or_insert_with(|| (*new).to_owned());
        }
    }
    for (alias, target) in old_aliases {
        if current.contains(alias.as_str()) || aliases.contains_key(&alias) {
            continue;
        }
        let target = moved
            .get(target.as_str())
            .copied()
            .or_else(|| current.contains(target.as_str()).then_some(target.as_str()));
        if let Some(target) = target {
            aliases.insert(alias, target.to_owned());
        }
    }
    aliases
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Text {
        Text::of(text.to_owned())
    }

    #[test]
    fn prefixes_and_near_copies_are_the_same_story() {
        let full = words(
            "The Wrenmouth estuary bridge will close to all traffic from Monday for six weeks \
             while its deck is resurfaced, the county said. Drivers face a long detour.",
        );
        let cut = words("The Wrenmouth estuary bridge will close to all traffic from Mon");
        assert!(same_story(&cut, &full));
        let rescrape = words(
            "The Wrenmouth estuary bridge will close to all traffic from Monday for six weeks \
             while its deck is resurfaced, the council said. Drivers face a long detour.",
        );
        assert!(same_story(&rescrape, &full));
    }

    #[test]
    fn different_texts_under_one_headline_are_different_stories() {
        let monday = words(
            "Good morning, here is what you need to know today. Rain moves east across the \
             valley and the ferries will run late until the water drops.",
        );
        let tuesday = words(
            "Good morning, here is what you need to know today. Markets opened lower after \
             the central bank held its rate and the currency slipped.",
        );
        assert!(!same_story(&monday, &tuesday));
        // A short text folds only as a prefix.
        assert!(!same_story(
            &words("Rain moves east"),
            &words("Rain moves west today")
        ));
        assert!(same_story(
            &words("Rain moves east"),
            &words("Rain moves east")
        ));
    }
}
