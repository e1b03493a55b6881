//! Actions: everything that can change the app. Keys map to the bindable
//! ones through the keymap; the rest come from the event loop.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::article::{Article, ArticleId, Groups, StorySummary};
use crate::effect::Then;
use crate::search::Match;
use crate::state::MarkSet;
use crate::store::{SyncReport, TextHit};

/// One change to the app. Only `App::update` applies them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Down,
    Up,
    PageDown,
    PageUp,
    HalfPageDown,
    HalfPageUp,
    Top,
    Bottom,
    Open,
    Back,
    Forward,
    FocusNext,
    FocusPrev,
    ReadOn,
    Find,
    ToggleRead,
    ToggleSaved,
    ViewAll,
    ViewUnread,
    ViewSaved,
    CycleSort,
    MarkAllRead,
    Undo,
    Reload,
    ToggleSidebar,
    LoadReport,
    OpenLink,
    OpenFile,
    CopyLink,
    CopyText,
    Export,
    Help,
    Fetch,
    Sources,
    ClearFilter,
    CycleDates,
    NextUnread,
    PrevUnread,
    MarkReadNext,
    AddTag,
    RemoveTag,
    Pipe,

    // Popups.
    #[serde(skip)]
    ClosePopup,
    #[serde(skip)]
    Confirm(bool),
    /// In the sources view: narrow the list to the selected row.
    #[serde(skip)]
    Pick,
    /// In the sources view: forget the selected saved query.
    #[serde(skip)]
    Forget,
    /// Editing a prompt's answer (a tag, a command).
    #[serde(skip)]
    Prompt(FinderEdit),
    #[serde(skip)]
    Finder(FinderEdit),

    // From the event loop.
    /// Sync the library: at start, and when live reload saw a change
    /// (`R` is [`Action::Reload`], which also says what changed).
    #[serde(skip)]
    Sync,
    #[serde(skip)]
    Resize(u16, u16),
    #[serde(skip)]
    Tick(DateTime<Utc>),
    #[serde(skip)]
    Click {
        column: u16,
        row: u16,
    },
    #[serde(skip)]
    Wheel {
        column: u16,
        row: u16,
        down: bool,
    },
    #[serde(skip)]
    LoadProgress {
        done: usize,
        total: usize,
    },
    #[serde(skip)]
    LoadFinished(Box<SyncReport>),
    #[serde(skip)]
    LoadFailed(String),
    #[serde(skip)]
    /// The finder's matches for query `generation`, best first: the best
    /// so far while ranking goes on, all of them once `done`. `matched`
    /// counts every match found so far.
    MatchResults {
        generation: u64,
        matches: Vec<Match>,
        matched: usize,
        done: bool,
    },
    #[serde(skip)]
    Message(String),
    /// Live reload fell back to polling, or cannot watch the library.
    #[serde(skip)]
    WatchProblem(String),
    /// The related engine was built or updated in the background.
    #[serde(skip)]
    EngineReady,

    // Answers from the library worker.
    /// The stories in the library's scope, and the near-duplicate groups.
    #[serde(skip)]
    ListLoaded {
        items: Vec<StorySummary>,
        groups: Groups,
        /// The order `items` are in, if they are sorted.
        sorted: Option<crate::view::Sort>,
        /// The store's sequence number before the list was read, when known:
        /// the list shows at least what the store held then.
        seq: Option<i64>,
    },
    /// The list could not be read: why.
    #[serde(skip)]
    ListFailed(String),
    /// A story read for `then`: None when it is not in the library.
    #[serde(skip)]
    StoryLoaded {
        id: ArticleId,
        story: Result<Option<Box<Article>>, String>,
        /// Its near-duplicates.
        copies: crate::render::Copies,
        then: Then,
    },
    /// What the sidebar shows for story `id`.
    #[serde(skip)]
    SidebarLoaded(Box<SidebarAnswer>),
    /// Full-text hits for the finder's query of this generation.
    #[serde(skip)]
    TextHits {
        generation: u64,
        hits: Result<Vec<TextHit>, String>,
    },
    /// Marks were saved (or could not be) up to this generation. `merged`
    /// carries every mark when the worker's differ from the app's: other
    /// instances' marks came in, or marks were carried over to new IDs.
    #[serde(skip)]
    MarksSaved {
        generation: u64,
        merged: Option<MarkSet>,
        error: Option<String>,
    },
    /// A feed was fetched: `done` of `total`.
    #[serde(skip)]
    FetchProgress {
        done: usize,
        total: usize,
        name: String,
    },
    /// Every feed was fetched: what came of it.
    #[serde(skip)]
    FetchDone(String),
    /// Each feed's standing.
    #[serde(skip)]
    FeedsLoaded(Vec<crate::feeds::FeedStatus>),
    /// The library's folders, with their stories.
    #[serde(skip)]
    FoldersLoaded(Vec<crate::view::Folder>),
    /// The keys typed so far of a key sequence ("g" of "g g").
    #[serde(skip)]
    PendingKeys(Vec<super::Key>),
}

/// The sidebar's stories for one story.
#[derive(Debug, Clone, PartialEq)]
pub struct SidebarAnswer {
    pub id: ArticleId,
    /// Related by content, best first, with scores from 0 to 1.
    pub similar: Result<Vec<(StorySummary, f32)>, String>,
    /// The engine is still being built: `similar` is a stand-in (shared words).
    pub pending: bool,
    /// The stories its page listed.
    pub listed: Vec<StorySummary>,
    /// Answering a rebuilt engine, not a newly opened story: keep the
    /// sidebar's selection.
    pub fresh_engine: bool,
}

/// Editing and moving in the fuzzy finder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FinderEdit {
    Insert(char),
    Backspace,
    Delete,
    DeleteWord,
    Clear,
    Left,
    Right,
    Home,
    End,
    Next,
    Prev,
    Accept,
    Cancel,
    ToggleMode,
    /// Keep the query as a saved view.
    Keep,
}

impl Action {
    /// Moving in a pane or a popup: down, up, pages, top, bottom.
    pub fn is_motion(&self) -> bool {
        matches!(
            self,
            Action::Down
                | Action::Up
                | Action::PageDown
                | Action::PageUp
                | Action::HalfPageDown
                | Action::HalfPageUp
                | Action::Top
                | Action::Bottom
        )
    }

    /// Input from the user that is not a bound key: in a popup, the mouse.
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            Action::ClosePopup
                | Action::Confirm(_)
                | Action::Pick
                | Action::Forget
                | Action::Prompt(_)
                | Action::Finder(_)
                | Action::Click { .. }
                | Action::Wheel { .. }
        )
    }

    /// What the action does, for the help screen.
    pub fn description(&self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Down => "move down / scroll down",
            Action::Up => "move up / scroll up",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::HalfPageDown => "half a page down",
            Action::HalfPageUp => "half a page up",
            Action::Top => "go to the top",
            Action::Bottom => "go to the bottom",
            Action::Open => "open the selected story",
            Action::Back => "back to the previous story",
            Action::Forward => "forward again",
            Action::FocusNext => "focus the next pane",
            Action::FocusPrev => "focus the previous pane",
            Action::ReadOn => "scroll the story; at its end, next unread",
            Action::Find => "find a headline (fuzzy)",
            Action::ToggleRead => "toggle read",
            Action::ToggleSaved => "toggle saved",
            Action::ViewAll => "show all stories",
            Action::ViewUnread => "show unread stories",
            Action::ViewSaved => "show saved stories",
            Action::CycleSort => "sort: newest, oldest, source, title",
            Action::MarkAllRead => "mark every story in the view read",
            Action::Undo => "undo the last mark",
            Action::Reload => "reload the library",
            Action::ToggleSidebar => "show or hide the related sidebar",
            Action::LoadReport => "load report: skipped files and warnings",
            Action::OpenLink => "open the story's link in the browser",
            Action::OpenFile => "open the story's file in $PAGER (or $EDITOR)",
            Action::CopyLink => "copy the title and link (or file) to the clipboard",
            Action::CopyText => "copy the whole story to the clipboard",
            Action::Export => "export the stories in view to an HTML page here",
            Action::Help => "this help",
            Action::Fetch => "fetch every feed (in the background)",
            Action::Sources => "sources, feeds, folders, tags and saved queries",
            Action::ClearFilter => "back to every source (clear the filter)",
            Action::CycleDates => "list times: ages, dates, grouped by day",
            Action::NextUnread => "open the next unread story",
            Action::PrevUnread => "open the previous unread story",
            Action::MarkReadNext => "mark read and move to the next story",
            Action::AddTag => "add a tag to the story (tab completes)",
            Action::RemoveTag => "remove a tag from the story",
            Action::Pipe => "pipe the story's text to a command",
            _ => "",
        }
    }

    /// A short label for the hint bar.
    pub fn hint(&self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Down => "down",
            Action::Open => "open",
            Action::Find => "find",
            Action::ToggleRead => "read",
            Action::ToggleSaved => "save",
            Action::Help => "help",
            Action::FocusNext => "pane",
            Action::ReadOn => "read on",
            _ => "",
        }
    }
}
