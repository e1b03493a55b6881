//! The command line as clap reads it: the commands and their flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::export::ExportFormat;
use crate::view::Sort;

/// byline: a fast terminal reader for folders of news articles.
///
/// With no command, byline opens the reader on the given files and folders
/// (or the library in config.toml, or the bundled samples); when its output
/// is not a terminal, it lists their stories instead.
///
/// --data-dir and --config-dir go before or after the command.
// PATHs and a command exclude each other without `args_conflicts_with_subcommands`
// (which would also make the global flags forbid a command): once a PATH is
// read, clap no longer looks for a command name.
#[derive(Debug, Parser)]
#[command(
    name = "byline",
    version,
    override_usage = "byline [OPTIONS] [PATH]...\n       byline [OPTIONS] <COMMAND>"
)]
pub struct Cli {
    /// The data folder (store and samples) [default: the platform's data dir + /byline]
    #[arg(long, global = true, env = "BYLINE_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The config folder (config.toml and read marks) [default: the platform's config dir + /byline]
    #[arg(long, global = true, env = "BYLINE_CONFIG_DIR", value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Article files or folders (walked recursively)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the stories, newest first
    List(ListArgs),
    /// Show one story in full
    Show(ShowArgs),
    /// Find stories by headline (fuzzy), or by their text with --full-text
    Search(SearchArgs),
    /// Report every file: its format, its stories, and any warning or skip
    Check(CheckArgs),
    /// Mark stories read, unread, saved or unsaved
    Mark(MarkArgs),
    /// The stories most related to one story by content, with scores
    Related(RelatedArgs),
    /// Export stories as JSON, Markdown or one standalone HTML page
    ///
    /// Without --saved, --unread or --ids, every story in the list is exported,
    /// newest first. Each comes with its metadata, the stories listed on its
    /// page and its most related stories (--related N).
    ///
    /// json: an array of objects {id, title, source, published, url, author,
    /// tags, standfirst, caption, credit, body, paragraphs, files,
    /// related_on_page, related}. byline reads the file back as the same
    /// stories: the same headlines, IDs and paragraphs.
    ///
    /// markdown: a document a story, YAML front matter (title, source, date,
    /// url, author, tags, then id, standfirst, caption, credit, files and the
    /// related lists), then the paragraphs, escaped. With --out DIR each story
    /// goes to DIR/<ID>.md (DIR is created; files of other IDs are left alone),
    /// a folder byline reads back. On stdout the documents follow one another,
    /// each starting with its `---` line (no body line is `---`).
    ///
    /// html: one page with inline CSS and nothing fetched: a list of contents,
    /// then every story with its related lists. All text is escaped.
    ///
    /// --out writes atomically (a temporary file, then a rename) and says on
    /// stderr what it wrote.
    Export(ExportArgs),
    /// Where the config file is, or a commented default one to start from
    Config(ConfigArgs),
    /// Follow feeds: add, list, remove, import and export subscriptions
    Feed {
        #[command(subcommand)]
        action: FeedCommand,
    },
    /// Fetch every feed (or the named ones) into the library
    Fetch(FetchArgs),
    /// Shell completions, to source or to install (see the README)
    Completions {
        /// The shell to write completions for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The manual page, in roff (`byline manpage > byline.1`)
    Manpage,
}

/// What `byline feed` does.
#[derive(Debug, Subcommand)]
pub enum FeedCommand {
    /// Follow a feed: fetches it once to check it is one (from an HTML page,
    /// the feed it links to), then adds it to feeds.toml
    Add {
        /// The feed's (or a page's) http(s) address, or a feed file's path
        url: String,
        /// What to call it [default: the feed's own title]
        #[arg(long)]
        name: Option<String>,
        /// A tag for every story it brings (repeat for more)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// Also fetch each new item's page and keep its article text (for
        /// feeds that carry only a summary)
        #[arg(long)]
        full_text: bool,
        /// Keep at most N items: the oldest read (never saved) ones go
        #[arg(long, value_name = "N")]
        max_items: Option<usize>,
        #[command(flatten)]
        http: HttpArgs,
    },
    /// Every feed: name, address, items, unread, last fetch and last error
    List {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Stop following a feed (its fetched stories stay unless --purge)
    Remove {
        /// The feed's name or address
        #[arg(value_name = "NAME|URL")]
        feed: String,
        /// Delete its fetched stories too
        #[arg(long)]
        purge: bool,
    },
    /// Follow every feed of an OPML file (folders become tags)
    Import {
        #[arg(value_name = "FILE.opml")]
        file: PathBuf,
    },
    /// Print every feed as OPML 2.0
    Export,
}

/// Timeouts and the size cap of feed requests.
#[derive(Debug, Clone, Args)]
pub struct HttpArgs {
    /// Give up on a request after this many seconds in all
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// Stop reading a response past this many megabytes
    #[arg(long, value_name = "MB", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_size: u64,
}

impl HttpArgs {
    pub fn settings(&self) -> crate::feeds::HttpSettings {
        let total = std::time::Duration::from_secs(self.timeout);
        crate::feeds::HttpSettings {
            connect_timeout: total.min(std::time::Duration::from_secs(10)),
            total_timeout: total,
            max_bytes: self.max_size * 1024 * 1024,
            ..Default::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Only these feeds (names or addresses) [default: every feed]
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Feeds fetched at once
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub jobs: u64,
    /// Print JSON: one object per feed
    #[arg(long)]
    pub json: bool,
    /// Print nothing but failures (on stderr)
    #[arg(long, conflicts_with = "json")]
    pub quiet: bool,
    /// Fetch feeds that are backing off after failures too
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub http: HttpArgs,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print the config file's path
    #[arg(long, conflicts_with = "default")]
    pub path: bool,
    /// Print a default config file, every setting commented
    #[arg(long)]
    pub default: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Article files or folders (walked recursively)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The format
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write to this file (json, html) or folder (markdown) instead of stdout
    #[arg(long, value_name = "FILE|DIR")]
    pub out: Option<PathBuf>,
    /// Only saved stories
    #[arg(long, conflicts_with_all = ["unread", "ids"])]
    pub saved: bool,
    /// Only stories not yet read
    #[arg(long, conflicts_with = "ids")]
    pub unread: bool,
    /// Only these stories: IDs or unique prefixes, space- or comma-separated
    /// (give PATHs before --ids, or after --)
    #[arg(long, value_name = "ID", num_args = 1.., value_delimiter = ',')]
    pub ids: Vec<String>,
    /// Related stories by content to give with each story; 0 for none
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub related: usize,
}

#[derive(Debug, Args)]
pub struct RelatedArgs {
    /// The story's ID, or a unique prefix of it
    pub id: String,
    /// Article files or folders to read first
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print at most N stories; 0 prints every related story
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Article files or folders (walked recursively)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
    /// The order of the list
    #[arg(long, value_enum, default_value_t = Sort::Newest)]
    pub sort: Sort,
    /// Print at most N stories; 0 prints every story (as no --limit does)
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Only stories not yet read
    #[arg(long)]
    pub unread: bool,
    /// Only saved stories
    #[arg(long)]
    pub saved: bool,
    /// Only stories from this source (as `list` shows it)
    #[arg(long, value_name = "NAME", conflicts_with_all = ["tag", "query"])]
    pub source: Option<String>,
    /// Only stories with this tag (see `byline mark tag`)
    #[arg(long, value_name = "NAME", conflicts_with = "query")]
    pub tag: Option<String>,
    /// Only stories whose headline or source matches this finder query
    /// (every word, fuzzy, in the list's order): a saved view
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,
}

impl ListArgs {
    /// The --source, --tag or --query filter.
    pub fn filter(&self) -> Option<crate::state::Filter> {
        use crate::state::Filter;
        self.source
            .clone()
            .map(Filter::Source)
            .or_else(|| {
                self.tag
                    .as_deref()
                    .map(|t| Filter::Tag(crate::state::clean_tag(t)))
            })
            .or_else(|| self.query.clone().map(Filter::Query))
    }
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The story's ID, or a unique prefix of it (at least 4 characters)
    pub id: String,
    /// Article files or folders to read first
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
    /// Wrap the text at N columns [default: the terminal's width, at most 100, or 80]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
    pub width: Option<u16>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to find; each must match
    pub query: String,
    /// Article files or folders (walked recursively)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
    /// Print at most N matches; 0 prints every match
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// Search the stories' text (full-text index) and print a snippet of each hit
    #[arg(long)]
    pub full_text: bool,
}

/// What `byline mark` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MarkKind {
    Read,
    Unread,
    Save,
    Unsave,
    /// Add the tag NAME (the first argument after `tag`)
    Tag,
    /// Remove the tag NAME (the first argument after `untag`)
    Untag,
}

#[derive(Debug, Args)]
#[command(
    override_usage = "byline mark [OPTIONS] <read|unread|save|unsave> <ID>... [PATH]...\n       byline mark [OPTIONS] <tag|untag> <NAME> <ID>... [PATH]..."
)]
pub struct MarkArgs {
    /// read, unread, save, unsave, tag or untag
    #[arg(value_enum)]
    pub kind: MarkKind,
    /// Story IDs (or unique prefixes), and any files or folders to look them
    /// up in: an argument that names an existing file or folder, or that
    /// cannot be an ID, is a PATH
    #[arg(required = true, value_name = "ID|PATH")]
    pub targets: Vec<PathBuf>,
    /// PATH, as older versions took it
    #[arg(long = "in", value_name = "PATH", hide = true)]
    pub paths: Vec<PathBuf>,
}

impl MarkArgs {
    /// The story IDs and the paths among the arguments (with those given
    /// with --in): an argument naming an existing file or folder, or that
    /// cannot be an ID, is a path; any other is an ID.
    pub fn ids_and_paths(&self) -> (Vec<String>, Vec<PathBuf>) {
        let mut ids = Vec::new();
        let mut paths = Vec::new();
        let skip = usize::from(self.tag_name().is_some());
        for target in self.targets.iter().skip(skip) {
            match target.to_str() {
                Some(id) if !target.exists() && crate::article::ArticleId::looks_like_id(id) => {
                    ids.push(id.to_owned())
                }
                _ => paths.push(target.clone()),
            }
        }
        paths.extend(self.paths.iter().cloned());
        (ids, paths)
    }

    /// For `tag` and `untag`: the tag, the first argument.
    pub fn tag_name(&self) -> Option<String> {
        matches!(self.kind, MarkKind::Tag | MarkKind::Untag)
            .then(|| self.targets.first())
            .flatten()
            .map(|t| crate::state::clean_tag(&t.to_string_lossy()))
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Article files or folders (walked recursively)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// A `--limit`: 0 means no limit, as in every command.
pub fn no_limit_at_0(limit: usize) -> usize {
    if limit == 0 { usize::MAX } else { limit }
}

impl clap::ValueEnum for Sort {
    fn value_variants<'a>() -> &'a [Self] {
        &Sort::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}
