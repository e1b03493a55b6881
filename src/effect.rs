//! Effects: the work [`App::update`](crate::app::App::update) asks for and
//! never does itself. Reading the store, saving marks, ranking, running
//! programs: each goes out as an [`Effect`], and its answer comes back as
//! an [`Action`](crate::input::Action).

use std::sync::Arc;

use crate::article::{ArticleId, StorySummary};
use crate::state::{ExtraChange, Mark};

/// Full-text hits the finder shows; the library worker finds one more,
/// so that the finder can say "200+".
pub const FULL_TEXT_SHOWN: usize = 200;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    // For the library worker: one thread, in order (see `crate::jobs`).
    /// Read every story in the library's scope, and the near-duplicate
    /// groups, for the headline list; sorted there in `sort`, so that the
    /// interface does not sort a million stories.
    LoadList { sort: crate::view::Sort },
    /// Read one story, for what `then` says.
    LoadStory { id: ArticleId, then: Then },
    /// Rank the stories related to `id` by content, and read the stories
    /// its page listed. `fresh_engine`: the engine was rebuilt in the
    /// background, so load it again.
    LoadSidebar {
        id: ArticleId,
        listed: Vec<ArticleId>,
        fresh_engine: bool,
    },
    /// Search the stories' text. A newer generation makes older ones moot.
    SearchText { generation: u64, query: String },
    /// Keep these marks (merged with other instances', saved atomically).
    /// Saves waiting together are written once.
    SaveMarks {
        generation: u64,
        changes: Vec<(ArticleId, Mark)>,
    },
    /// After a sync: carry marks kept under older IDs over to the stories
    /// they belong to now.
    AdoptMarks { generation: u64 },
    /// Keep a change to the session, the query history or the saved
    /// queries; saved with the marks, answered as marks are.
    Remember {
        generation: u64,
        change: ExtraChange,
    },
    /// Take in marks another process saved (after a fetch tagged stories).
    RefreshMarks { generation: u64 },
    /// Group the library's stories by the folders their files are in.
    LoadFolders,

    // Threads of their own.
    /// Sync the library again.
    Reload,
    /// Build or update the related engine.
    BuildEngine,
    /// Rank the headlines against a query in the background (the
    /// [`crate::jobs::Matcher`], which narrows from the queries before).
    Match {
        generation: u64,
        query: String,
        items: Arc<Vec<StorySummary>>,
    },
    /// Fetch every feed into the library (`F`).
    Fetch,
    /// Read each feed's standing (items, last error).
    LoadFeeds,
    /// Export these stories to an HTML page in the current folder.
    Export(Vec<ArticleId>),

    // The terminal.
    /// Run a program (the browser, the pager) with the interface suspended.
    Run {
        command: Vec<String>,
        /// Text for the program's standard input (`|`); it then waits
        /// for Enter before the interface comes back.
        stdin: Option<String>,
    },
    /// Put text on the terminal's clipboard (OSC 52).
    Copy(String),
}

/// What a story is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// To open it in the reader; `record` puts the story it replaces on
    /// the back history.
    Open {
        record: bool,
    },
    /// To show it again after a sync changed it, at the same place.
    Refresh,
    /// To hand it to another program or the clipboard.
    OpenLink,
    OpenFile,
    CopyLink,
    CopyText,
    /// To pipe its text to the command the `|` prompt took.
    Pipe,
}
