//! The command line: clap definitions and the non-interactive commands.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use serde::Serialize;

use crate::article::{Article, ArticleId};
use crate::config::{Config, Dirs};
use crate::export::ExportFormat;
use crate::fmt::{count, plural};
use crate::loader::sanitize::display_path;
use crate::state::Marks;
mod rows;
mod search;

use rows::{Row, local_time, print_rows};
pub use search::search;

use crate::store::{Detail, FileStatus, Progress, Store, StorySummary, SyncReport, Walk};
use crate::view::{Sort, View};

/// byline: a fast terminal reader for folders of news articles.
///
/// With no command, byline reads the given files and folders (or the
/// library in config.toml, or the bundled samples) and lists their stories.
#[derive(Debug, Parser)]
#[command(name = "byline", version, args_conflicts_with_subcommands = true)]
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
    /// Shell completions, to source or to install (see the README)
    Completions {
        /// The shell to write completions for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The manual page, in roff (`byline manpage > byline.1`)
    Manpage,
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
    /// Print at most N stories
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
    /// Print at most N stories
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Only stories not yet read
    #[arg(long)]
    pub unread: bool,
    /// Only saved stories
    #[arg(long)]
    pub saved: bool,
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
}

#[derive(Debug, Args)]
pub struct MarkArgs {
    /// read, unread, save or unsave
    #[arg(value_enum)]
    pub kind: MarkKind,
    /// Story IDs (or unique prefixes)
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
    /// Look the IDs up in these files or folders
    #[arg(long = "in", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
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

/// A library read into the store, ready for queries.
pub struct Library {
    pub store: Store,
    pub report: SyncReport,
    /// The marks, carried over to the stories as they are now.
    pub marks: Marks,
}

impl Library {
    /// The stories the list shows, in `sort` order, those `view` shows,
    /// at most `limit` of them: as the reader orders and filters them.
    pub fn in_view(
        &self,
        sort: Sort,
        view: View,
        limit: Option<usize>,
    ) -> Result<Vec<StorySummary>> {
        let mut stories = self.store.all_summaries()?;
        crate::view::sort(&mut stories, sort);
        Ok(stories
            .into_iter()
            .filter(|s| view.shows(self.marks.get(&s.id)))
            .take(limit.unwrap_or(usize::MAX))
            .collect())
    }
}

impl clap::ValueEnum for Sort {
    fn value_variants<'a>() -> &'a [Self] {
        &Sort::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}

/// The paths to read: those given, else the configured library, else the bundled samples.
/// The settings in config.toml, or the defaults (saying why on stderr).
fn settings(dirs: &Dirs) -> Config {
    let loaded = dirs.config_path().map(|path| Config::load(&path));
    match loaded.unwrap_or(Ok(Config::default())) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("byline: {err}; using the defaults");
            Config::default()
        }
    }
}

/// What walks of the library pass over: the `ignore` setting.
pub fn library_ignore(dirs: &Dirs) -> crate::loader::Ignore {
    dirs.config_path()
        .and_then(|path| Config::load(&path).ok())
        .map(|c| c.ignore())
        .unwrap_or_default()
}

pub fn library_roots(dirs: &Dirs, paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    if !paths.is_empty() {
        return Ok(paths.to_vec());
    }
    let config = settings(dirs);
    if !config.library.is_empty() {
        return Ok(config.library);
    }
    let samples = dirs.samples_dir();
    crate::samples::install(&samples)
        .with_context(|| format!("cannot write the bundled samples to {}", samples.display()))?;
    Ok(vec![samples])
}

/// Opens the store and brings it up to date with the library.
pub fn open_library(dirs: &Dirs, paths: &[PathBuf], detail: Detail) -> Result<Library> {
    let roots = library_roots(dirs, paths)?;
    let ignore = library_ignore(dirs);
    let mut store = open_store(dirs)?;
    let report = sync_library(&mut store, Walk::of(&roots, &ignore), detail)?;
    store.set_ignore(ignore);
    let mut marks = load_marks(dirs);
    reconcile_marks(&store, &mut marks)?;
    Ok(Library {
        store,
        report,
        marks,
    })
}

/// Carries marks kept under older IDs (a story's earlier ID, a copy's own,
/// the headline-only IDs of version 1) over to the stories they name now.
pub fn reconcile_marks(store: &Store, marks: &mut Marks) -> Result<()> {
    let renamed = store.renamed(&marks.marked_ids())?;
    let legacy = store.legacy_matches(&marks.legacy_ids())?;
    if renamed.is_empty() && legacy.is_empty() {
        return Ok(());
    }
    marks.adopt(&renamed, &legacy);
    if let Err(err) = marks.save() {
        eprintln!("byline: {err}");
    }
    Ok(())
}

/// Opens the store, saying on stderr if it had to be rebuilt.
fn open_store(dirs: &Dirs) -> Result<Store> {
    let mut store = Store::open(&dirs.store_path())?;
    if let Some(notice) = store.take_notice() {
        eprintln!("byline: {notice}");
    }
    Ok(store)
}

/// Brings the store up to date with a walk of the library, with progress
/// on stderr for a long first index.
fn sync_library(store: &mut Store, walk: Walk, detail: Detail) -> Result<SyncReport> {
    let show_progress = std::io::stderr().is_terminal();
    let mut shown = false;
    let report = store.sync_walked(walk, detail, |p: Progress| {
        if show_progress && p.total >= 1000 {
            eprint!("\rindexed {} / {} files", count(p.done), count(p.total));
            shown = true;
        }
    })?;
    if shown {
        eprintln!();
    }
    Ok(report)
}

/// Says on stderr how many files were skipped, when any were.
fn mention_skips(report: &SyncReport) {
    let skipped = report.skipped();
    if skipped > 0 {
        eprintln!(
            "byline: {} skipped (run `byline check` to see why)",
            plural(skipped, "file", "files")
        );
    }
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(flatten)]
    summary: &'a StorySummary,
    read: bool,
    saved: bool,
    /// Every file of the story and of its near-duplicates.
    files: Vec<&'a str>,
    related_on_page: &'a [ArticleId],
    /// How many near-duplicates it stands for, and their IDs.
    also_in: usize,
    duplicates: &'a [ArticleId],
}

/// Loads the marks, saying on stderr what went wrong with them, if anything.
pub fn load_marks(dirs: &Dirs) -> Marks {
    let mut marks = dirs.marks();
    for notice in marks.take_notices() {
        eprintln!("byline: {notice}");
    }
    marks
}

fn write_json(out: &mut impl Write, value: &impl Serialize) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

fn write_list_json(
    out: &mut impl Write,
    store: &Store,
    marks: &Marks,
    stories: &[&StorySummary],
) -> Result<()> {
    let extra = store.files_and_related()?;
    let groups = store.groups()?;
    let empty = (Vec::new(), Vec::new());
    let items: Vec<ListItem> = stories
        .iter()
        .map(|s| {
            let (own_files, related) = extra.get(s.id.as_str()).unwrap_or(&empty);
            let duplicates = groups.others(s.id.as_str());
            let mut files: Vec<&str> = own_files.iter().map(String::as_str).collect();
            for other in duplicates {
                let (more, _) = extra.get(other.as_str()).unwrap_or(&empty);
                files.extend(more.iter().map(String::as_str));
            }
            files.sort_unstable();
            files.dedup();
            let mark = marks.get(&s.id);
            ListItem {
                summary: s,
                read: mark.read,
                saved: mark.saved,
                files,
                related_on_page: related,
                also_in: duplicates.len(),
                duplicates,
            }
        })
        .collect();
    write_json(out, &items)
}

pub fn list(dirs: &Dirs, args: &ListArgs) -> Result<ExitCode> {
    let lib = open_library(dirs, &args.paths, Detail::Counts)?;
    let marks = &lib.marks;
    let view = View::from_flags(args.unread, args.saved);
    let stories = lib.in_view(args.sort, view, args.limit)?;
    let refs: Vec<&StorySummary> = stories.iter().collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        write_list_json(&mut out, &lib.store, marks, &refs)?;
    } else {
        print_rows(
            &mut out,
            refs.iter().map(|s| Row::from(*s)),
            &lib.store.groups()?,
        )?;
    }
    mention_skips(&lib.report);
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn default_width() -> usize {
    if std::io::stdout().is_terminal()
        && let Ok((cols, _)) = crossterm::terminal::size()
    {
        return (cols as usize).clamp(20, 100);
    }
    80
}

/// Renders a story as text wrapped at `width`.
pub fn render_story(store: &Store, story: &Article, width: usize) -> Result<String> {
    let wrap = |text: &str, indent: &str| -> String {
        let options = textwrap::Options::new(width)
            .initial_indent(indent)
            .subsequent_indent(indent);
        textwrap::wrap(text, options).join("\n")
    };
    let ctx = crate::render::Context {
        date: story
            .published
            .is_some()
            .then(|| local_time(story.published)),
        also_in: store.near_duplicates(&story.id)?.len(),
        ident: true,
    };
    let blocks = crate::render::blocks(story, &ctx);
    let mut out = crate::render::to_text(&crate::render::wrap(&blocks, width, false));
    if !story.related_on_page.is_empty() {
        out.push_str("\nListed on this page:\n");
        for id in &story.related_on_page {
            let line = match store.summary(id)? {
                Some(r) => format!(
                    "{}  {} ({})",
                    r.id,
                    r.title,
                    r.source.as_deref().unwrap_or("-")
                ),
                None => format!("{id}  (not in the store)"),
            };
            out.push_str(&wrap(&line, "  "));
            out.push('\n');
        }
    }
    Ok(out)
}

pub fn show(dirs: &Dirs, args: &ShowArgs) -> Result<ExitCode> {
    let lib = open_library(dirs, &args.paths, Detail::Counts)?;
    let id = lib.store.resolve_id(&args.id)?;
    let story = lib
        .store
        .story(&id)?
        .with_context(|| format!("no story has the ID `{id}`"))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        write_json(&mut out, &story)?;
    } else {
        let width = args.width.map_or_else(default_width, usize::from);
        out.write_all(render_story(&lib.store, &story, width)?.as_bytes())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct CheckTotals {
    files: usize,
    loaded: usize,
    warned: usize,
    skipped: usize,
    ignored: usize,
    stories: usize,
    duplicates_merged: usize,
}

pub fn check(dirs: &Dirs, args: &CheckArgs) -> Result<ExitCode> {
    let lib = open_library(dirs, &args.paths, Detail::Files)?;
    let report = &lib.report;
    let copies: usize = report.files.iter().map(|f| f.stories).sum();
    let totals = CheckTotals {
        files: report.files.len(),
        loaded: report.files.len() - report.skipped() - report.ignored(),
        warned: report.warned(),
        skipped: report.skipped(),
        ignored: report.ignored(),
        stories: report.stories,
        duplicates_merged: copies.saturating_sub(report.stories),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        #[derive(Serialize)]
        struct CheckJson<'a> {
            files: &'a [crate::store::FileReport],
            totals: &'a CheckTotals,
        }
        write_json(
            &mut out,
            &CheckJson {
                files: &report.files,
                totals: &totals,
            },
        )?;
    } else {
        for f in &report.files {
            writeln!(out, "{}", check_line(f))?;
        }
        writeln!(
            out,
            "\n{}: {} loaded ({} with warnings), {} skipped, {} ignored",
            plural(totals.files, "file", "files"),
            count(totals.loaded),
            count(totals.warned),
            count(totals.skipped),
            count(totals.ignored)
        )?;
        writeln!(
            out,
            "{} ({} duplicate {} merged)",
            plural(totals.stories, "story", "stories"),
            count(totals.duplicates_merged),
            if totals.duplicates_merged == 1 {
                "copy"
            } else {
                "copies"
            }
        )?;
    }
    out.flush()?;
    Ok(if totals.skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One file's line in `check`: status, format, encoding, stories, path and
/// any warning or reason.
fn check_line(f: &crate::store::FileReport) -> String {
    let status = match f.status {
        FileStatus::Ok => "ok  ",
        FileStatus::Warn => "warn",
        FileStatus::Skipped => "skip",
        FileStatus::Ignored => "ign ",
    };
    let format = f.format.map_or("-", |f| f.as_str());
    let encoding = f.encoding.as_deref().unwrap_or("-");
    let stories = match f.status {
        FileStatus::Skipped | FileStatus::Ignored => String::new(),
        _ => plural(f.stories, "story", "stories"),
    };
    let mut line = format!(
        "{status}  {format:<8}  {encoding:<12}  {stories:<11}  {}",
        display_path(&f.path)
    );
    if !f.messages.is_empty() {
        line.push_str(": ");
        line.push_str(&f.messages.join("; "));
    }
    line.trim_end().to_owned()
}

#[derive(Serialize)]
struct RelatedItem<'a> {
    #[serde(flatten)]
    summary: &'a StorySummary,
    score: f32,
}

pub fn related(dirs: &Dirs, args: &RelatedArgs) -> Result<ExitCode> {
    let lib = open_library(dirs, &args.paths, Detail::Counts)?;
    let id = lib.store.resolve_id(&args.id)?;
    let found = crate::related::RelatedIndex::new()
        .related(&lib.store, &id, args.limit, true)?
        .unwrap_or_default();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        let items: Vec<RelatedItem> = found
            .iter()
            .map(|(s, score)| RelatedItem {
                summary: s,
                score: *score,
            })
            .collect();
        write_json(&mut out, &items)?;
    } else {
        for (s, score) in &found {
            writeln!(
                out,
                "{score:.3}  {}  {}  {}",
                s.id,
                crate::fmt::fit(s.source.as_deref().unwrap_or("-"), 18),
                s.title
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub fn mark(dirs: &Dirs, args: &MarkArgs) -> Result<ExitCode> {
    let mut lib = open_library(dirs, &args.paths, Detail::Counts)?;
    let marks = &mut lib.marks;
    let mut ids = Vec::new();
    for text in &args.ids {
        let id = lib.store.resolve_id(text)?;
        ids.push(id);
    }
    for id in &lib.store.groups()?.with_twins(&ids) {
        match args.kind {
            MarkKind::Read => marks.set_read(id, true),
            MarkKind::Unread => marks.set_read(id, false),
            MarkKind::Save => marks.set_saved(id, true),
            MarkKind::Unsave => marks.set_saved(id, false),
        }
    }
    marks.save()?;
    Ok(ExitCode::SUCCESS)
}

pub fn export(dirs: &Dirs, args: &ExportArgs) -> Result<ExitCode> {
    let lib = open_library(dirs, &args.paths, Detail::Counts)?;
    let mut ids = Vec::new();
    if args.ids.is_empty() {
        let view = View::from_flags(args.unread, args.saved);
        ids.extend(
            lib.in_view(Sort::Newest, view, None)?
                .into_iter()
                .map(|s| s.id),
        );
    } else {
        for text in &args.ids {
            if !ArticleId::looks_like_id(text.trim()) && std::path::Path::new(text).exists() {
                anyhow::bail!(
                    "`{text}` is a path, not an ID: give PATHs before --ids, or after --"
                );
            }
            let id = lib.store.resolve_id(text)?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let stories = crate::export::gather(&lib.store, &ids, args.related)?;
    match &args.out {
        Some(path) => {
            crate::export::write_to(path, args.format, &stories)?;
            eprintln!(
                "byline: exported {} to {}",
                plural(stories.len(), "story", "stories"),
                display_path(path)
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(crate::export::render(args.format, &stories).as_bytes())?;
            out.flush()?;
        }
    }
    mention_skips(&lib.report);
    Ok(ExitCode::SUCCESS)
}

/// Reports a command-line error: clap's message, then the usage when the
/// message lacks it. Help and version requests print and exit 0; errors exit 2.
pub fn usage_error(err: clap::Error) -> ExitCode {
    use clap::CommandFactory;
    use clap::error::ErrorKind;
    let _ = err.print();
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        return ExitCode::SUCCESS;
    }
    let rendered = err.render().to_string();
    if !rendered.contains("Usage:") {
        eprintln!("\n{}", Cli::command().render_usage());
    }
    ExitCode::from(2)
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let dirs = Dirs::resolve(cli.data_dir.clone(), cli.config_dir.clone())?;
    let interactive = cli.command.is_none() && std::io::stdout().is_terminal();
    if let (Some(notice), false) = (&dirs.notice, interactive) {
        eprintln!("byline: {notice}");
    }
    if interactive {
        let roots = library_roots(&dirs, &cli.paths)?;
        crate::tui::run(&dirs, roots)?;
        return Ok(ExitCode::SUCCESS);
    }
    match dispatch(&dirs, &cli) {
        // A store damaged inside (it opened, then a query failed) is
        // rebuilt from the article files, and the command run again.
        Err(err) if damaged_store(&err) => {
            let mut store = Store::rebuild(&dirs.store_path(), "its contents are malformed")?;
            if let Some(notice) = store.take_notice() {
                eprintln!("byline: {notice}");
            }
            drop(store);
            dispatch(&dirs, &cli)
        }
        other => other,
    }
}

/// `byline config`: the file's path, a default file, or the settings in
/// force (the file checked, with any error said).
fn config_command(dirs: &Dirs, args: &ConfigArgs) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    if args.default {
        out.write_all(crate::config::default_config().as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(path) = dirs.config_path() else {
        anyhow::bail!("there is no config folder (is HOME set?); pass --config-dir DIR");
    };
    if args.path {
        writeln!(out, "{}", path.display())?;
        return Ok(ExitCode::SUCCESS);
    }
    // Check the file: say where it is and whether it is good.
    match Config::load(&path) {
        Ok(_) if path.exists() => writeln!(out, "{}: ok", path.display())?,
        Ok(_) => writeln!(
            out,
            "{}: not there; the defaults apply (`byline config --default` prints them)",
            path.display()
        )?,
        Err(err) => {
            eprintln!("byline: {err}");
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether `err` says the store file is damaged.
fn damaged_store(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<crate::store::StoreError>()
            .is_some_and(crate::store::StoreError::is_corruption)
    })
}

/// Runs a command that prints (every one but the interface).
fn dispatch(dirs: &Dirs, cli: &Cli) -> Result<ExitCode> {
    match &cli.command {
        Some(Command::List(args)) => list(dirs, args),
        Some(Command::Show(args)) => show(dirs, args),
        Some(Command::Search(args)) => search(dirs, args),
        Some(Command::Check(args)) => check(dirs, args),
        Some(Command::Mark(args)) => mark(dirs, args),
        Some(Command::Related(args)) => related(dirs, args),
        Some(Command::Export(args)) => export(dirs, args),
        Some(Command::Config(args)) => config_command(dirs, args),
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            let mut out = std::io::stdout().lock();
            clap_complete::generate(*shell, &mut Cli::command(), "byline", &mut out);
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Manpage) => {
            use clap::CommandFactory;
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        None => list(
            dirs,
            &ListArgs {
                paths: cli.paths.clone(),
                json: false,
                sort: Sort::Newest,
                limit: None,
                unread: false,
                saved: false,
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(count(12), "12");
    }

    #[test]
    fn cli_definition_is_valid() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
