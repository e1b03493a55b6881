//! The app's state and the one function that changes it, [`App::update`].
//! No terminal code lives here: the renderer reads `&App`, the event loop
//! turns input into [`Action`]s and carries out the [`Effect`]s.

mod answers;
mod fetching;
mod finder;
mod finder_update;
mod keys;
pub mod layout;
pub mod line;
mod list;
mod marking;
mod mouse;
pub mod outside;
mod prompt;
mod reader;
mod session;
mod sources;
mod update;

use chrono::{DateTime, Utc};

pub use crate::input::{Action, Chord, FinderEdit, Key, Keymap, Lookup};
pub use finder::{Finder, FinderMode};
pub use layout::{Focus, Panes};
pub use list::{Dates, HeadlineList, View};
pub use prompt::{Prompt, PromptKind};
pub use reader::{LineKind, Reader, StyledLine, meta_line};
pub use sources::{SourceRow, SourcesView};

use crate::article::ArticleId;
use crate::state::{Mark, MarkSet};
use crate::store::{StorySummary, SyncReport};

/// Libraries larger than this are matched off the UI thread.
pub const BACKGROUND_MATCH_THRESHOLD: usize = 5_000;

/// A popup over the panes. The top one sees keys first.
#[derive(Debug, Clone)]
pub enum Popup {
    Finder(Box<Finder>),
    Help {
        scroll: usize,
    },
    LoadReport {
        scroll: usize,
    },
    /// "Mark these stories read? y/n"
    ConfirmMarkRead {
        ids: Vec<ArticleId>,
    },
    /// Sources, folders, tags and saved queries (`v`).
    Sources(Box<SourcesView>),
    /// A tag or a command to type.
    Prompt(Box<Prompt>),
}

pub use crate::effect::{Effect, Then};

/// A condition that lasts until something succeeds again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trouble {
    /// Marks could not be saved.
    Saving,
    /// The library could not be loaded, or the store read.
    Loading,
}

impl App {
    /// What the status bar says: the last message, else the newest
    /// trouble that lasts.
    pub fn status_message(&self) -> Option<&str> {
        self.message
            .as_deref()
            .or_else(|| self.troubles.last().map(|(_, text)| text.as_str()))
    }

    /// Reports a failure that lasts: its message shows until it passes.
    pub(crate) fn fail(&mut self, trouble: Trouble, text: String) {
        self.troubles.retain(|(t, _)| *t != trouble);
        self.troubles.push((trouble, text.clone()));
        self.message = Some(text);
    }

    /// The failure has passed: its message goes, if it still shows.
    pub(crate) fn recovered(&mut self, trouble: Trouble) {
        let Some(at) = self.troubles.iter().position(|(t, _)| *t == trouble) else {
            return;
        };
        let (_, text) = self.troubles.remove(at);
        if self.message.as_deref() == Some(text.as_str()) {
            self.message = None;
        }
    }
}

/// A story in the related sidebar.
#[derive(Debug, Clone, PartialEq)]
pub struct SidebarEntry {
    pub story: StorySummary,
    /// Relatedness from 0 to 1 (None for stories listed on the page).
    pub score: Option<f32>,
}

/// The sidebar: related by content, then listed on the story's page.
#[derive(Debug, Clone, Default)]
pub struct Sidebar {
    pub similar: Vec<SidebarEntry>,
    pub listed: Vec<SidebarEntry>,
    /// Index into similar ++ listed.
    pub selected: usize,
    /// The related engine is still being built: `similar` is a stand-in.
    pub pending: bool,
    /// Asked for and not yet answered.
    pub loading: bool,
}

impl Sidebar {
    pub fn len(&self) -> usize {
        self.similar.len() + self.listed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, index: usize) -> Option<&SidebarEntry> {
        self.similar
            .get(index)
            .or_else(|| self.listed.get(index.checked_sub(self.similar.len())?))
    }
}

/// A row of the sidebar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SidebarRow {
    Heading(&'static str),
    /// Nothing in a section.
    Note(&'static str),
    Blank,
    /// The first line of entry `n` (its headline).
    Title(usize),
    /// The second line of entry `n` (source and score).
    Detail(usize),
}

impl Sidebar {
    /// The sidebar's rows, top to bottom.
    pub fn rows(&self) -> Vec<SidebarRow> {
        let mut rows = vec![SidebarRow::Heading("Related")];
        if self.loading {
            rows.push(SidebarRow::Note("finding related stories…"));
            return rows;
        }
        if self.similar.is_empty() {
            rows.push(SidebarRow::Note("nothing related found"));
        }
        for n in 0..self.similar.len() {
            rows.extend([SidebarRow::Title(n), SidebarRow::Detail(n)]);
        }
        rows.extend([
            SidebarRow::Blank,
            SidebarRow::Heading("Listed on this page"),
        ]);
        if self.listed.is_empty() {
            rows.push(SidebarRow::Note("none"));
        }
        for n in 0..self.listed.len() {
            let n = self.similar.len() + n;
            rows.extend([SidebarRow::Title(n), SidebarRow::Detail(n)]);
        }
        rows
    }

    /// The first row shown in a sidebar `height` rows tall: enough to keep
    /// the selected entry in view.
    pub fn offset(&self, rows: &[SidebarRow], height: usize) -> usize {
        let last = rows
            .iter()
            .position(|r| *r == SidebarRow::Detail(self.selected))
            .unwrap_or(0);
        (last + 1).saturating_sub(height.max(1))
    }

    /// The entry shown on `row` of a sidebar `height` rows tall.
    pub fn entry_at_row(&self, row: usize, height: usize) -> Option<usize> {
        let rows = self.rows();
        let offset = self.offset(&rows, height);
        match rows.get(offset + row)? {
            SidebarRow::Title(n) | SidebarRow::Detail(n) => Some(*n),
            _ => None,
        }
    }
}

/// The stories opened, for back and forward.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub back: Vec<ArticleId>,
    pub forward: Vec<ArticleId>,
}

/// Loading the library: progress, and the last report.
#[derive(Debug, Clone, Default)]
pub struct LoadState {
    pub loading: bool,
    pub done: usize,
    pub total: usize,
    /// `done` when the list was last refreshed during a load.
    pub refreshed_at: usize,
    pub report: Option<SyncReport>,
    /// A reload was asked for while one ran: another follows it.
    pub again: bool,
    /// A reload asked for with `R`, and the stories the list held then:
    /// its end says what changed.
    pub asked: Option<std::collections::HashSet<ArticleId>>,
    /// Why live reload polls, or is off.
    pub watch_problem: Option<String>,
    /// A list was asked for and has not come yet.
    pub list_asked: bool,
    /// The store's sequence number the list shown was read at, if known.
    pub list_seq: Option<i64>,
    /// The last sync ended while a list was on its way: when it comes, it
    /// is checked against the sync's sequence number.
    pub list_check: bool,
}

impl LoadState {
    pub fn skipped(&self) -> usize {
        self.report.as_ref().map_or(0, SyncReport::skipped)
    }

    pub fn warned(&self) -> usize {
        self.report.as_ref().map_or(0, SyncReport::warned)
    }
}

/// The reader's state: plain data. Only [`App::update`] changes it, and it
/// reads and writes nothing: what it needs done goes out as [`Effect`]s.
pub struct App {
    /// Every story's marks as last set here (or merged in by a save).
    pub marks: MarkSet,
    /// The generation of the last marks sent to be saved.
    pub marks_sent: u64,
    pub keymap: Keymap,
    /// The clock, injected: ages are relative to this.
    pub now: DateTime<Utc>,
    /// The terminal's size.
    pub width: u16,
    pub height: u16,
    pub focus: Focus,
    /// Whether the sidebar shows on screens narrower than [`layout::WIDE`].
    /// The browser and pager that `o` and `e` hand stories to.
    pub programs: outside::Programs,
    /// The keys typed so far of a key sequence.
    pub pending_keys: Vec<Key>,
    /// The row the last click selected, if nothing came between: a click
    /// on it again opens it.
    pub last_click: Option<(Focus, usize)>,
    /// The sidebar shown or hidden with `t`; None follows the settings.
    pub show_sidebar: Option<bool>,
    /// Reading settings from config.toml.
    pub settings: crate::config::ReaderSettings,
    pub list: HeadlineList,
    pub reader: Reader,
    pub sidebar: Sidebar,
    pub popups: Vec<Popup>,
    pub history: History,
    /// Groups of marks as they were before each change, newest last.
    pub undo: Vec<Vec<(ArticleId, Mark)>>,
    pub load: LoadState,
    pub message: Option<String>,
    /// Conditions the status bar reports until they pass, with their
    /// messages: a message is cleared when its condition is gone.
    pub troubles: Vec<(Trouble, String)>,
    /// Near-duplicate groups, from the store.
    pub groups: crate::article::Groups,
    /// The query history and saved queries (and the last session).
    pub extras: crate::state::Extras,
    /// The library's folders, with their stories: read once the sources
    /// view or a folder filter wants them, then after each sync.
    pub folders: Vec<crate::view::Folder>,
    pub folders_wanted: bool,
    /// The session being brought back, until the list has its stories.
    pub restoring: Option<crate::state::Session>,
    /// A story to scroll to this line once it opens (session restore).
    pub pending_scroll: Option<(ArticleId, usize)>,
    /// The command the `|` prompt took, for the story being read.
    pub pipe_command: Vec<String>,
    /// A fetch of the feeds under way: feeds done, of how many.
    pub fetching: Option<(usize, usize)>,
    /// Each feed's standing, for the sources view.
    pub feeds: Vec<crate::feeds::FeedStatus>,
    pub should_quit: bool,
    effects: Vec<Effect>,
    /// The listed stories that are unread and saved: counted when the list
    /// or the marks change, not for every frame (a million lookups).
    tally: (usize, usize),
}

impl App {
    pub fn new(marks: MarkSet, keymap: Keymap, now: DateTime<Utc>) -> App {
        App {
            marks,
            marks_sent: 0,
            keymap,
            now,
            width: 80,
            height: 24,
            focus: Focus::List,
            show_sidebar: None,
            pending_keys: Vec::new(),
            last_click: None,
            programs: outside::Programs::default(),
            settings: crate::config::ReaderSettings::default(),
            list: HeadlineList::default(),
            reader: Reader::default(),
            sidebar: Sidebar::default(),
            popups: Vec::new(),
            history: History::default(),
            undo: Vec::new(),
            load: LoadState::default(),
            message: None,
            troubles: Vec::new(),
            groups: Default::default(),
            extras: Default::default(),
            folders: Vec::new(),
            folders_wanted: false,
            restoring: None,
            pending_scroll: None,
            pipe_command: Vec::new(),
            fetching: None,
            feeds: Vec::new(),
            should_quit: false,
            effects: Vec::new(),
            tally: (0, 0),
        }
    }

    /// The app with the reader's settings and the programs it hands
    /// stories to (at start; afterwards only `update` changes the app).
    pub fn configured(
        mut self,
        settings: crate::config::ReaderSettings,
        programs: outside::Programs,
    ) -> App {
        self.settings = settings;
        self.programs = programs;
        self
    }

    /// The app with the query history, the saved queries and the last
    /// session, which it brings back (at start).
    pub fn remembering(mut self, extras: crate::state::Extras) -> App {
        if let Some(session) = extras.session.clone() {
            self.restore(session);
        }
        self.extras = extras;
        self
    }

    /// Whether the sidebar should show where it fits: as toggled, else as
    /// the settings say for this width.
    pub fn sidebar_wanted(&self) -> bool {
        self.show_sidebar
            .unwrap_or(self.settings.show_sidebar && self.width >= layout::WIDE)
    }

    /// The panes for the current size and focus.
    pub fn panes(&self) -> Panes {
        layout::panes(self.width, self.height, self.focus, self.sidebar_wanted())
    }

    /// Effects for the event loop to carry out, oldest first.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// The finder, when it is open.
    pub fn finder(&self) -> Option<&Finder> {
        self.popups.iter().rev().find_map(|p| match p {
            Popup::Finder(f) => Some(f.as_ref()),
            _ => None,
        })
    }

    /// The ID of the story open in the reader.
    pub fn open_id(&self) -> Option<&ArticleId> {
        self.reader.story.as_ref().map(|s| &s.id)
    }

    /// (all, unread, saved) counts over the library.
    pub fn counts(&self) -> (usize, usize, usize) {
        (self.list.items.len(), self.tally.0, self.tally.1)
    }

    /// Counts the listed stories that are unread and saved again: after
    /// the list or the marks changed.
    pub(super) fn recount(&mut self) {
        self.tally = self.list.items.iter().fold((0, 0), |(u, s), item| {
            let mark = self.marks.mark_of(item.id.as_str());
            (u + usize::from(!mark.read), s + usize::from(mark.saved))
        });
    }
}

impl crate::jobs::Driven for App {
    fn take_effects(&mut self) -> Vec<Effect> {
        App::take_effects(self)
    }

    fn update(&mut self, action: Action) {
        App::update(self, action);
    }
}

#[cfg(test)]
mod daily_tests;
#[cfg(test)]
mod papercut_tests;
#[cfg(test)]
mod settings_tests;
#[cfg(test)]
mod tests;
