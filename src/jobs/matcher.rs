//! The finder's background ranking: all cores, a chunk of headlines at a
//! time, stopped as soon as a newer query comes, and remembering what each
//! query matched chunk by chunk, as fzf does.
//!
//! A query that extends an earlier one (`chi` after `ch`) can only match
//! what that one matched, so a chunk the earlier query finished is ranked
//! among its matches alone, and a chunk this very query finished before
//! (typed again after a backspace) is not ranked at all. The memory is
//! per chunk, so the work of a query cut short by the next key is kept.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::input::Action;
use crate::search::{self, Match, Pattern};
use crate::store::StorySummary;

/// Headlines in a chunk: the unit of work, of cancelling and of memory.
const CHUNK: usize = 4_096;
/// Queries remembered, at most.
const REMEMBERED: usize = 32;
/// The most memory their matches take (8 bytes a match): a million
/// headlines' worth of a few short queries.
const REMEMBERED_BYTES: usize = 64 << 20;
/// How many of the best matches so far are shown while ranking goes on:
/// more than a screen.
const SHOWN: usize = 200;
/// How often results still being ranked are shown.
const SHOW_EVERY: Duration = Duration::from_millis(40);

/// One matching headline of a chunk: its index in the list and its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scored {
    index: u32,
    score: i32,
}

impl Scored {
    /// One number that sorts matches best first: the score, highest first,
    /// then the index (the list's order). Sorting these is quicker than
    /// sorting matches by two fields.
    fn key(&self) -> u64 {
        let rank = !((self.score as u32) ^ (1 << 31));
        (u64::from(rank) << 32) | u64::from(self.index)
    }

    fn from_key(key: u64) -> Match {
        let score = (!((key >> 32) as u32) ^ (1 << 31)) as i32;
        Match {
            index: (key & 0xffff_ffff) as usize,
            score: score.into(),
        }
    }
}

/// A chunk's matches, in list order.
type Part = Arc<[Scored]>;

/// What one query matched, chunk by chunk (`None`: not ranked yet).
#[derive(Clone)]
struct Remembered {
    /// The query's words, folded, a space between: queries that differ
    /// only in spacing are one.
    query: String,
    parts: Vec<Option<Part>>,
}

/// How to rank one chunk.
enum Plan {
    /// This query ranked it already.
    Done(Part),
    /// Only `candidates` can match: an earlier query's matches. `base`,
    /// when some earlier query was this one's words but the last, holds
    /// their scores for those words, so only the last is scored.
    Within {
        candidates: Part,
        base: Option<Part>,
    },
    /// Every headline in it.
    All,
}

impl Remembered {
    fn bytes(&self) -> usize {
        let matches: usize = self.parts.iter().flatten().map(|p| p.len()).sum();
        matches * std::mem::size_of::<Scored>()
    }
}

#[derive(Clone, Default)]
struct Memory {
    /// The list the memory is about; a new list forgets everything. Not
    /// kept alive by this (a reloaded list's old one goes), and never
    /// mistaken for another while this points at it.
    items: std::sync::Weak<Vec<StorySummary>>,
    /// Oldest first.
    queries: Vec<Remembered>,
}

impl Memory {
    /// Whether `items` is the list remembered.
    fn is_about(&self, items: &Arc<Vec<StorySummary>>) -> bool {
        std::ptr::eq(self.items.as_ptr(), Arc::as_ptr(items))
    }

    /// Forgets everything unless `items` is the list remembered.
    fn about(&mut self, items: &Arc<Vec<StorySummary>>) {
        if !self.is_about(items) {
            self.items = Arc::downgrade(items);
            self.queries.clear();
        }
    }

    /// Moves `query`'s memory to the newest place, making it if new; its
    /// position.
    fn take_up(&mut self, query: &str, chunks: usize) -> usize {
        let entry = match self.queries.iter().position(|q| q.query == query) {
            Some(at) => self.queries.remove(at),
            None => Remembered {
                query: query.to_owned(),
                parts: vec![None; chunks],
            },
        };
        if self.queries.len() >= REMEMBERED {
            self.queries.remove(0);
        }
        // The oldest go first while the rest take too much memory.
        let mut bytes: usize = self.queries.iter().map(Remembered::bytes).sum();
        while bytes > REMEMBERED_BYTES {
            bytes -= self.queries.remove(0).bytes();
        }
        self.queries.push(entry);
        self.queries.len() - 1
    }

    /// The plan for every chunk of the newest query.
    fn plans(&self) -> Vec<Plan> {
        let Some((newest, earlier)) = self.queries.split_last() else {
            return Vec::new();
        };
        let extended: Vec<&Remembered> = earlier
            .iter()
            .filter(|q| newest.query.len() > q.query.len() && newest.query.starts_with(&q.query))
            .collect();
        // Earlier queries made of this one's words but the last.
        let but_last = newest.query.rsplit_once(' ').map(|(rest, _)| rest);
        let bases: Vec<&Remembered> = extended
            .iter()
            .filter(|q| Some(q.query.as_str()) == but_last)
            .copied()
            .collect();
        (0..newest.parts.len())
            .map(|c| {
                if let Some(part) = &newest.parts[c] {
                    return Plan::Done(part.clone());
                }
                let Some(candidates) = extended
                    .iter()
                    .filter_map(|q| q.parts[c].as_ref())
                    .min_by_key(|part| part.len())
                else {
                    return Plan::All;
                };
                Plan::Within {
                    candidates: candidates.clone(),
                    base: bases.iter().find_map(|q| q.parts[c].clone()),
                }
            })
            .collect()
    }
}

/// Ranks the finder's queries in the background and remembers their
/// matches. One for the reader, shared by its ranking threads.
#[derive(Clone, Default)]
pub struct Matcher {
    memory: Arc<Mutex<Memory>>,
}

impl Matcher {
    pub fn new() -> Matcher {
        Matcher::default()
    }

    /// Ranks `items` against `query`, sending the best matches so far every
    /// [`SHOW_EVERY`] and all of them, best first, at the end. Stops, keeping
    /// what it finished, once `current` says a newer query came or `send`
    /// finds no one listening.
    pub fn rank(
        &self,
        items: &Arc<Vec<StorySummary>>,
        query: &str,
        generation: u64,
        current: &(dyn Fn() -> bool + Sync),
        send: &mut dyn FnMut(Action) -> bool,
    ) {
        let chunks = items.len().div_ceil(CHUNK);
        let pattern = Pattern::new(query);
        let query = &pattern.words().collect::<Vec<_>>().join(" ");
        let (slot, plans) = {
            let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
            memory.about(items);
            let slot = memory.take_up(query, chunks);
            (slot, memory.plans())
        };
        let mut gathered = Gathered::new(chunks);
        let mut shown = Instant::now();
        let next = AtomicUsize::new(0);
        let (tx, rx) = mpsc::channel::<(usize, Part)>();
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let listening = std::thread::scope(|scope| {
            for _ in 0..threads {
                let tx = tx.clone();
                let (next, plans, pattern) = (&next, &plans, &pattern);
                scope.spawn(move || {
                    let matcher = search::matcher();
                    loop {
                        let c = next.fetch_add(1, Ordering::Relaxed);
                        if c >= chunks || !current() {
                            return;
                        }
                        let part = rank_chunk(items, c, &plans[c], pattern, &matcher);
                        if tx.send((c, part)).is_err() {
                            return;
                        }
                    }
                });
            }
            drop(tx);
            for (c, part) in rx {
                self.remember(items, slot, query, c, &part);
                gathered.add(c, part);
                if shown.elapsed() >= SHOW_EVERY && !gathered.complete() && current() {
                    shown = Instant::now();
                    if !send(gathered.so_far(generation)) {
                        return false;
                    }
                }
            }
            true
        });
        if listening && gathered.complete() && current() {
            send(gathered.all(generation));
        }
    }

    /// Keeps a finished chunk in `query`'s memory, if it is still kept.
    fn remember(
        &self,
        items: &Arc<Vec<StorySummary>>,
        slot: usize,
        query: &str,
        c: usize,
        part: &Part,
    ) {
        let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        if !memory.is_about(items) {
            return;
        }
        // Another query may have moved this one's memory since.
        let at = match memory.queries.get(slot) {
            Some(q) if q.query == query => Some(slot),
            _ => memory.queries.iter().position(|q| q.query == query),
        };
        if let Some(at) = at {
            memory.queries[at].parts[c] = Some(part.clone());
        }
    }
}

/// Ranks chunk `c` as `plan` says.
fn rank_chunk(
    items: &[StorySummary],
    c: usize,
    plan: &Plan,
    pattern: &Pattern,
    matcher: &fuzzy_matcher::skim::SkimMatcherV2,
) -> Part {
    let scored = |i: usize, score: i64| Scored {
        index: i as u32,
        score: score.clamp(i32::MIN.into(), i32::MAX.into()) as i32,
    };
    let score = |i: usize| pattern.score(matcher, &items[i]).map(|s| scored(i, s));
    match plan {
        Plan::Done(part) => part.clone(),
        Plan::Within {
            candidates,
            base: None,
        } => candidates
            .iter()
            .filter_map(|s| score(s.index as usize))
            .collect(),
        Plan::Within {
            candidates,
            base: Some(base),
        } => {
            // Both in list order, the candidates among the base's.
            let last = pattern.len() - 1;
            let mut at = 0;
            candidates
                .iter()
                .filter_map(|s| {
                    let i = s.index as usize;
                    while base.get(at).is_some_and(|b| b.index < s.index) {
                        at += 1;
                    }
                    match base.get(at) {
                        Some(b) if b.index == s.index => pattern
                            .score_from(matcher, &items[i], last)
                            .map(|rest| scored(i, i64::from(b.score) + rest)),
                        _ => score(i),
                    }
                })
                .collect()
        }
        Plan::All => {
            let start = c * CHUNK;
            (start..(start + CHUNK).min(items.len()))
                .filter_map(score)
                .collect()
        }
    }
}

/// The chunks ranked so far, and the best of their matches.
struct Gathered {
    parts: Vec<Option<Part>>,
    finished: usize,
    matched: usize,
    /// The best [`SHOWN`] so far, best first.
    best: Vec<Scored>,
}

impl Gathered {
    fn new(chunks: usize) -> Gathered {
        Gathered {
            parts: vec![None; chunks],
            finished: 0,
            matched: 0,
            best: Vec::new(),
        }
    }

    fn add(&mut self, c: usize, part: Part) {
        self.matched += part.len();
        self.finished += 1;
        let keep = SHOWN;
        let floor = (self.best.len() >= keep).then(|| self.best[keep - 1]);
        self.best.extend(
            part.iter()
                .filter(|s| floor.is_none_or(|f| better(s, &f)))
                .copied(),
        );
        self.best.sort_unstable_by_key(Scored::key);
        self.best.truncate(keep);
        self.parts[c] = Some(part);
    }

    fn complete(&self) -> bool {
        self.finished == self.parts.len()
    }

    /// The best matches so far, for a screen.
    fn so_far(&self, generation: u64) -> Action {
        Action::MatchResults {
            generation,
            matches: self
                .best
                .iter()
                .map(|s| Match {
                    index: s.index as usize,
                    score: s.score.into(),
                })
                .collect(),
            matched: self.matched,
            done: false,
        }
    }

    /// Every match, best first.
    fn all(self, generation: u64) -> Action {
        let mut keys = Vec::with_capacity(self.matched);
        for part in self.parts.iter().flatten() {
            keys.extend(part.iter().map(Scored::key));
        }
        keys.sort_unstable();
        let matches = keys.into_iter().map(Scored::from_key).collect();
        Action::MatchResults {
            generation,
            matches,
            matched: self.matched,
            done: true,
        }
    }
}

/// Whether `a` ranks before `b`.
fn better(a: &Scored, b: &Scored) -> bool {
    a.key() < b.key()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(n: usize) -> Arc<Vec<StorySummary>> {
        let items = (0..n)
            .map(|i| StorySummary {
                id: crate::article::ArticleId::from_raw(format!("id{i:08}")),
                title: format!("story {i}").into(),
                source: None,
                published: None,
            })
            .collect();
        Arc::new(items)
    }

    /// (done, within, all) chunks in the newest query's plan.
    fn kinds(memory: &Memory) -> (usize, usize, usize) {
        memory
            .plans()
            .iter()
            .fold((0, 0, 0), |(d, w, a), p| match p {
                Plan::Done(_) => (d + 1, w, a),
                Plan::Within { .. } => (d, w + 1, a),
                Plan::All => (d, w, a + 1),
            })
    }

    #[test]
    fn keys_sort_best_first_and_give_the_match_back() {
        let scored = [
            (-7, 3),
            (250, 9),
            (0, 1),
            (250, 2),
            (i32::MIN, 0),
            (i32::MAX, 5),
        ];
        let mut keys: Vec<u64> = scored
            .iter()
            .map(|&(score, index)| Scored { index, score }.key())
            .collect();
        keys.sort_unstable();
        let back: Vec<(i64, usize)> = keys
            .into_iter()
            .map(|k| {
                let m = Scored::from_key(k);
                (m.score, m.index)
            })
            .collect();
        assert_eq!(
            back,
            [
                (i32::MAX.into(), 5),
                (250, 2),
                (250, 9),
                (0, 1),
                (-7, 3),
                (i32::MIN.into(), 0)
            ]
        );
    }

    #[test]
    fn a_chunk_is_ranked_among_the_fewest_matches_an_earlier_query_left() {
        let list = items(3 * CHUNK);
        let mut memory = Memory::default();
        memory.about(&list);
        let part = |n: u32| -> Part { (0..n).map(|index| Scored { index, score: 1 }).collect() };
        let slot = memory.take_up("c", 3);
        memory.queries[slot].parts[0] = Some(part(50));
        memory.queries[slot].parts[1] = Some(part(40));
        let slot = memory.take_up("ch", 3);
        memory.queries[slot].parts[0] = Some(part(20));
        memory.take_up("chi", 3);
        assert_eq!(kinds(&memory), (0, 2, 1), "two chunks narrowed, one whole");
        let Plan::Within { candidates, base } = &memory.plans()[0] else {
            panic!()
        };
        assert_eq!(candidates.len(), 20, "the narrowest earlier query");
        assert!(base.is_none(), "no earlier query is all but the last word");
        memory.take_up("ch i", 3);
        let Plan::Within { candidates, base } = &memory.plans()[0] else {
            panic!()
        };
        assert_eq!(candidates.len(), 20);
        assert_eq!(base.as_ref().map(|b| b.len()), Some(20), "'ch' scored 'ch'");
        memory.take_up("chi", 3);
        // Not extensions: a shorter query, a different one.
        memory.take_up("x", 3);
        assert_eq!(kinds(&memory), (0, 0, 3));
        memory.take_up("c", 3);
        assert_eq!(kinds(&memory), (2, 0, 1), "typed again: done already");
        // Another list forgets.
        memory.about(&items(3 * CHUNK));
        assert!(memory.queries.is_empty());
        for n in 0..REMEMBERED + 5 {
            memory.take_up(&format!("q{n}"), 3);
        }
        assert_eq!(memory.queries.len(), REMEMBERED);
        // Memory, too, is bounded: a query matching a whole large list
        // pushes the oldest out.
        let whole = REMEMBERED_BYTES / 8 / std::mem::size_of::<Scored>();
        for n in 0..12 {
            let slot = memory.take_up(&format!("w{n}"), 3);
            memory.queries[slot].parts[0] = Some(part(whole as u32));
        }
        let kept: usize = memory.queries.iter().map(Remembered::bytes).sum();
        assert!(kept <= REMEMBERED_BYTES + REMEMBERED_BYTES / 8, "{kept}");
        assert!(memory.queries.len() <= 10);
        // The list is not kept alive by the memory.
        let list = items(10);
        memory.about(&list);
        let weak = Arc::downgrade(&list);
        drop(list);
        assert!(weak.upgrade().is_none());
    }
}
