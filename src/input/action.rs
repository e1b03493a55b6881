//! Actions: everything that can change the app. Keys map to the bindable
//! ones through the keymap; the rest come from the event loop.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::search::Match;
use crate::store::SyncReport;

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

    // Popups.
    #[serde(skip)]
    ClosePopup,
    #[serde(skip)]
    Confirm(bool),
    #[serde(skip)]
    Finder(FinderEdit),

    // From the event loop.
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
    MatchResults {
        generation: u64,
        matches: Vec<Match>,
        done: bool,
    },
    #[serde(skip)]
    Message(String),
    /// The related engine was built or updated in the background.
    #[serde(skip)]
    RelatedReady,
    /// The keys typed so far of a key sequence ("g" of "g g").
    #[serde(skip)]
    PendingKeys(Vec<super::Key>),
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
}

impl Action {
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
