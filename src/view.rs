//! Which stories a list shows and in what order: one definition, used by
//! the reader and by every command, so `byline list` and the interface
//! never disagree, ties included.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::article::StorySummary;
use crate::state::{Filter, Mark};

/// The orders a list can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Newest,
    Oldest,
    Title,
    Source,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Newest, Sort::Oldest, Sort::Title, Sort::Source];

    pub fn name(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::Title => "title",
            Sort::Source => "source",
        }
    }

    pub fn parse(name: &str) -> Option<Sort> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The next order in the cycle newest, oldest, source, title.
    pub fn next(self) -> Sort {
        match self {
            Sort::Newest => Sort::Oldest,
            Sort::Oldest => Sort::Source,
            Sort::Source => Sort::Title,
            Sort::Title => Sort::Newest,
        }
    }
}

/// What a list orders stories by: a story in memory, or a row of the
/// store's headline file.
pub trait Listed {
    fn id(&self) -> &str;
    fn title(&self) -> &str;
    fn source(&self) -> Option<&str>;
    /// Unix seconds.
    fn published(&self) -> Option<i64>;
}

impl Listed for StorySummary {
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn title(&self) -> &str {
        &self.title
    }
    fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
    fn published(&self) -> Option<i64> {
        self.published.map(|t| t.timestamp())
    }
}

impl Listed for crate::store::Headline<'_> {
    fn id(&self) -> &str {
        self.id
    }
    fn title(&self) -> &str {
        self.title
    }
    fn source(&self) -> Option<&str> {
        self.source
    }
    fn published(&self) -> Option<i64> {
        self.published
    }
}

/// Compares text ignoring case, without allocating.
fn caseless(a: &str, b: &str) -> Ordering {
    // Byte by byte while both are ASCII: most headlines are, and a sort of
    // a million compares twenty million pairs.
    for (&x, &y) in a.as_bytes().iter().zip(b.as_bytes()) {
        if (x | y) >= 0x80 {
            // A character beyond ASCII may lower to ASCII (the Kelvin sign
            // to `k`) or to two characters: compare all of it by characters.
            return caseless_chars(a, b);
        }
        match x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase()) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    a.len().cmp(&b.len())
}

/// [`caseless`] for any text: the lowercase characters in order.
fn caseless_chars(a: &str, b: &str) -> Ordering {
    a.chars()
        .flat_map(char::to_lowercase)
        .cmp(b.chars().flat_map(char::to_lowercase))
}

/// The one order of each [`Sort`]. Every order is total: after its own
/// key, ties go by headline (ignoring case), then by ID.
pub fn compare<T: Listed>(a: &T, b: &T, sort: Sort) -> Ordering {
    let by_title = || caseless(a.title(), b.title()).then_with(|| a.id().cmp(b.id()));
    let newest = || b.published().cmp(&a.published());
    match sort {
        Sort::Newest => newest().then_with(by_title),
        // Undated stories last.
        Sort::Oldest => (a.published().is_none(), a.published())
            .cmp(&(b.published().is_none(), b.published()))
            .then_with(by_title),
        Sort::Title => caseless(a.title(), b.title())
            .then_with(newest)
            .then_with(|| a.id().cmp(b.id())),
        Sort::Source => {
            let (sa, sb) = (a.source(), b.source());
            // Stories without a source last.
            sa.is_none()
                .cmp(&sb.is_none())
                .then_with(|| caseless(sa.unwrap_or(""), sb.unwrap_or("")))
                .then_with(newest)
                .then_with(by_title)
        }
    }
}

/// Whether a story passes a source or tag filter. A folder or query
/// filter needs more than the story and its mark (the files, a ranking):
/// for those this says None.
pub fn filter_keeps<T: Listed>(filter: &Filter, story: &T, mark: &Mark) -> Option<bool> {
    match filter {
        Filter::Source(name) => Some(story.source() == Some(name.as_str())),
        Filter::Tag(tag) => Some(mark.has_tag(tag)),
        Filter::Folder(_) | Filter::Query(_) => None,
    }
}

/// A folder of the library, and the stories with a file in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    /// The folder as shown: its library root's name, then the path under
    /// it ("news/business").
    pub name: String,
    pub ids: std::sync::Arc<std::collections::HashSet<crate::article::ArticleId>>,
}

/// Groups stories by the folder each of their files is in, a folder named
/// from the library root that holds it.
pub struct FolderIndex<'r> {
    roots: &'r [std::path::PathBuf],
    groups:
        std::collections::BTreeMap<String, std::collections::HashSet<crate::article::ArticleId>>,
}

impl<'r> FolderIndex<'r> {
    pub fn new(roots: &'r [std::path::PathBuf]) -> FolderIndex<'r> {
        FolderIndex {
            roots,
            groups: Default::default(),
        }
    }

    /// Story `id` has a file at `path`.
    pub fn add(&mut self, id: &str, path: &str) {
        use std::path::Path;
        let Some(parent) = Path::new(path).parent() else {
            return;
        };
        let root = self
            .roots
            .iter()
            .filter(|r| parent.starts_with(r))
            .max_by_key(|r| r.as_os_str().len());
        let name = match root {
            Some(root) => {
                let base = root.file_name().map_or_else(
                    || root.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                let under = parent.strip_prefix(root).unwrap_or(Path::new(""));
                if under.as_os_str().is_empty() {
                    base
                } else {
                    format!("{base}/{}", under.to_string_lossy())
                }
            }
            None => parent.display().to_string(),
        };
        self.groups
            .entry(name)
            .or_default()
            .insert(crate::article::ArticleId::from_raw(id));
    }

    /// The folders, by name.
    pub fn finish(self) -> Vec<Folder> {
        self.groups
            .into_iter()
            .map(|(name, ids)| Folder {
                name,
                ids: std::sync::Arc::new(ids),
            })
            .collect()
    }
}

/// Sorts stories in `sort` order.
pub fn sort<T: Listed + Send>(items: &mut [T], sort: Sort) {
    sort_on(items, sort, LONG);
}

/// A list of this many stories is sorted in two halves at once (see
/// [`sort_on`]).
const LONG: usize = 50_000;

/// [`sort`]: a list shorter than `long` in one piece. A longer one in
/// two halves at once, whose merged order is then applied. Every order is
/// total (ties go by ID), so each way gives the one order, and an
/// unstable sort gives it sooner.
fn sort_on<T: Listed + Send>(items: &mut [T], sort: Sort, long: usize) {
    let by = |a: &T, b: &T| compare(a, b, sort);
    if items.len() < long {
        items.sort_unstable_by(by);
        return;
    }
    let order = by_halves(items, sort);
    permute(items, order);
}

/// The positions of `items` in `sort` order: each half sorted in place
/// on a thread of its own, then the two merged.
fn by_halves<T: Listed + Send>(items: &mut [T], sort: Sort) -> Vec<u32> {
    let by = |a: &T, b: &T| compare(a, b, sort);
    let mid = items.len() / 2;
    let (left, right) = items.split_at_mut(mid);
    std::thread::scope(|scope| {
        scope.spawn(|| left.sort_unstable_by(by));
        right.sort_unstable_by(by);
    });
    let mut order = Vec::with_capacity(items.len());
    let (mut i, mut j) = (0, mid);
    while i < mid && j < items.len() {
        if by(&items[j], &items[i]).is_lt() {
            order.push(j as u32);
            j += 1;
        } else {
            order.push(i as u32);
            i += 1;
        }
    }
    order.extend((i..mid).chain(j..items.len()).map(|k| k as u32));
    order
}

/// Puts `items` in `order` (the position of the item that goes first,
/// then second...), in place: each cycle of the order by swaps.
fn permute<T>(items: &mut [T], mut order: Vec<u32>) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at] as usize;
            order[at] = at as u32;
            if from == start || from == at {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// Leaves the first `limit` stories in `sort` order, in order: the same
/// as sorting all and taking `limit`, without sorting the rest.
pub fn top<T: Listed + Send>(items: &mut Vec<T>, sort_by: Sort, limit: usize) {
    if limit < items.len() {
        if limit == 0 {
            items.clear();
            return;
        }
        items.select_nth_unstable_by(limit - 1, |a, b| compare(a, b, sort_by));
        items.truncate(limit);
    }
    sort(items, sort_by);
}

/// Which stories a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    All,
    Unread,
    Saved,
}

impl View {
    pub fn name(self) -> &'static str {
        match self {
            View::All => "All",
            View::Unread => "Unread",
            View::Saved => "Saved",
        }
    }

    /// The view `--unread` and `--saved` ask for.
    pub fn from_flags(unread: bool, saved: bool) -> View {
        match (unread, saved) {
            (true, _) => View::Unread,
            (_, true) => View::Saved,
            _ => View::All,
        }
    }

    /// Whether a story with `mark` shows in this view.
    pub fn shows(self, mark: &Mark) -> bool {
        match self {
            View::All => true,
            View::Unread => !mark.read,
            View::Saved => mark.saved,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The byte-by-byte comparison of ASCII gives the order of the
        /// comparison by lowercase characters, for any text.
        #[test]
        fn caseless_bytes_agree_with_lowercase_characters(
            a in "[a-zA-Z0-9 ,.\u{212A}\u{130}\u{DF}ÉéKkİi]{0,12}",
            b in "[a-zA-Z0-9 ,.\u{212A}\u{130}\u{DF}ÉéKkİi]{0,12}",
        ) {
            proptest::prop_assert_eq!(caseless(&a, &b), caseless_chars(&a, &b));
            proptest::prop_assert_eq!(caseless(&a, &a), Ordering::Equal);
        }
    }

    #[test]
    fn caseless_orders_ascii_and_beyond_as_lowercase_characters() {
        assert_eq!(caseless("apple", "Banana"), Ordering::Less);
        assert_eq!(caseless("ABC", "abc"), Ordering::Equal);
        assert_eq!(caseless("ab", "abc"), Ordering::Less);
        // The Kelvin sign lowers to an ASCII k.
        assert_eq!(caseless("\u{212A}ilo", "kilo"), Ordering::Equal);
        assert_eq!(caseless("zeta", "\u{212A}ilo"), Ordering::Greater);
        assert_eq!(caseless("Éclair", "eclair"), Ordering::Greater);
    }
    use crate::article::ArticleId;
    use chrono::DateTime;

    fn story(id: &str, title: &str, source: Option<&str>, at: Option<i64>) -> StorySummary {
        StorySummary {
            id: ArticleId::from_raw(id),
            title: title.into(),
            source: source.map(Into::into),
            published: at.and_then(|t| DateTime::from_timestamp(t, 0)),
        }
    }

    #[test]
    fn a_long_list_is_sorted_in_the_one_order() {
        // Few titles, sources and dates: many ties, which only the later
        // keys break.
        let items: Vec<StorySummary> = (0..3_000u64)
            .map(|i| {
                let n = i.wrapping_mul(2_654_435_761) % 9_973;
                let title = ["Ferry", "ferry", "Bridge", "Éclair", "bridge"][(n % 5) as usize];
                let source = [Some("Wire"), Some("wire"), None][(n % 3) as usize];
                let at = (n % 7 != 0).then_some((n % 11) as i64);
                story(&format!("{n:05}-{i}"), title, source, at)
            })
            .collect();
        for s in Sort::ALL {
            let mut one = items.clone();
            one.sort_by(|a, b| compare(a, b, s));
            let mut long = items.clone();
            sort_on(&mut long, s, 100);
            let ids = |v: &[StorySummary]| v.iter().map(|s| s.id.to_string()).collect::<Vec<_>>();
            assert_eq!(ids(&long), ids(&one), "{s:?}");
        }
    }

    #[test]
    fn every_order_is_total() {
        let items = vec![
            story("b", "Same time", Some("wire"), Some(10)),
            story("a", "same time", Some("Wire"), Some(10)),
            story("c", "Older", None, Some(5)),
            story("d", "No date", Some("desk"), None),
        ];
        let ids = |sort_by: Sort| {
            let mut v = items.clone();
            sort(&mut v, sort_by);
            v.iter()
                .map(|s| s.id.to_string())
                .collect::<Vec<_>>()
                .join("")
        };
        assert_eq!(ids(Sort::Newest), "abcd");
        assert_eq!(ids(Sort::Oldest), "cabd");
        assert_eq!(ids(Sort::Title), "dcab");
        assert_eq!(ids(Sort::Source), "dabc");
        // The first few of an order are the same as the order's start.
        for s in Sort::ALL {
            for n in 0..=items.len() + 1 {
                let mut v = items.clone();
                top(&mut v, s, n);
                let all = ids(s);
                let first: String = v.iter().map(|s| s.id.to_string()).collect();
                assert_eq!(first, all[..n.min(all.len())], "{s:?} top {n}");
            }
        }
        for s in Sort::ALL {
            assert_eq!(Sort::parse(s.name()), Some(s));
        }
    }

    #[test]
    fn views_filter_by_mark() {
        let read = Mark {
            read: true,
            saved: false,
            ..Default::default()
        };
        assert!(View::All.shows(&read) && !View::Unread.shows(&read) && !View::Saved.shows(&read));
        assert_eq!(View::from_flags(false, true), View::Saved);
    }
}
