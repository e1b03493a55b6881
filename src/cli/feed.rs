//! `byline feed`: following feeds. add (checked by fetching once, a
//! page's feed found through its links), list, remove, import and export
//! (OPML 2.0).

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use super::FeedCommand;
use crate::config::Dirs;
use crate::feeds::{self, Body, Client, Feed, FeedList};

/// The config folder, which feeds.toml lives in.
fn config_dir(dirs: &Dirs) -> Result<&std::path::Path> {
    dirs.config
        .as_deref()
        .context("there is no config folder to keep feeds in (is HOME set?); pass --config-dir DIR")
}

pub fn run(dirs: &Dirs, command: &FeedCommand) -> Result<ExitCode> {
    match command {
        FeedCommand::Add {
            url,
            name,
            tags,
            full_text,
            max_items,
            http,
        } => {
            let client = Client::new(http.settings());
            let (url, title) = check_feed(&client, url)?;
            let name = name.clone().or(title).unwrap_or_else(|| url.clone());
            let feed = Feed {
                name,
                url,
                tags: tags.iter().map(|t| crate::state::clean_tag(t)).collect(),
                full_text: *full_text,
                max_items: *max_items,
            };
            let mut list = FeedList::load(config_dir(dirs)?)?;
            list.add(feed.clone())?;
            list.save()?;
            println!(
                "following {} ({}); `byline fetch` brings its stories",
                feed.name, feed.url
            );
        }
        FeedCommand::List { json } => list(dirs, *json)?,
        FeedCommand::Remove { feed, purge } => {
            let mut list = FeedList::load(config_dir(dirs)?)?;
            let gone = list.remove(feed)?;
            list.save()?;
            let folder = feeds::feeds_dir(&dirs.data).join(gone.slug());
            if *purge && folder.exists() {
                std::fs::remove_dir_all(&folder)
                    .with_context(|| format!("cannot delete {}", folder.display()))?;
                println!("no longer following {}; its stories are deleted", gone.name);
            } else {
                println!(
                    "no longer following {}; its stories stay in {} (--purge deletes them)",
                    gone.name,
                    folder.display()
                );
            }
        }
        FeedCommand::Import { file } => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let found =
                feeds::read_opml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let mut list = FeedList::load(config_dir(dirs)?)?;
            let (mut added, mut had) = (0, 0);
            for feed in found {
                match list.add(feed) {
                    Ok(()) => added += 1,
                    Err(feeds::FeedError::Exists(_)) => had += 1,
                    Err(e) => return Err(e.into()),
                }
            }
            list.save()?;
            println!(
                "imported {} ({} already followed)",
                crate::fmt::plural(added, "feed", "feeds"),
                had
            );
        }
        FeedCommand::Export => {
            let list = FeedList::load(config_dir(dirs)?)?;
            let mut out = std::io::stdout().lock();
            out.write_all(feeds::write_opml(list.all()).as_bytes())?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Fetches `url` once: a feed gives its address and title; an HTML page,
/// the first feed it links to that is one. A local path must be a feed
/// file.
fn check_feed(client: &Client, url: &str) -> Result<(String, Option<String>)> {
    if !feeds::is_web(url) {
        let path = std::path::Path::new(url);
        if !path.is_file() {
            bail!("{url}: neither an http(s) address nor a feed file");
        }
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {url}"))?;
        let feed = feeds::parse_feed(&bytes).map_err(|e| anyhow::anyhow!("{url}: {e}"))?;
        let path = std::fs::canonicalize(path)?.display().to_string();
        return Ok((path, feed.title.map(|t| t.content)));
    }
    let fetched = client
        .get(url, None, None)
        .map_err(|e| anyhow::anyhow!("{url}: {e}"))?;
    let Body::Fresh { bytes, .. } = fetched.body else {
        bail!("{url}: the server answered 304 to a first request");
    };
    let at = fetched.moved_to.unwrap_or(fetched.url);
    match feeds::parse_feed(&bytes) {
        Ok(feed) => Ok((at, feed.title.map(|t| t.content))),
        Err(not_feed) => {
            let text = String::from_utf8_lossy(&bytes);
            for link in feeds::feed_links(&text, &at) {
                let Ok(found) = client.get(&link, None, None) else {
                    continue;
                };
                if let Body::Fresh { bytes, .. } = found.body
                    && let Ok(feed) = feeds::parse_feed(&bytes)
                {
                    return Ok((
                        found.moved_to.unwrap_or(found.url),
                        feed.title.map(|t| t.content),
                    ));
                }
            }
            bail!("{url}: {not_feed}, and it links to no feed")
        }
    }
}

fn list(dirs: &Dirs, json: bool) -> Result<()> {
    let list = FeedList::load(config_dir(dirs)?)?;
    let marks = dirs.marks().snapshot();
    let statuses = feeds::statuses(list.all(), &feeds::feeds_dir(&dirs.data), Some(&marks));
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        serde_json::to_writer_pretty(&mut out, &statuses)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(());
    }
    if statuses.is_empty() {
        eprintln!("byline: no feeds yet: `byline feed add URL` follows one");
    }
    for s in &statuses {
        let fetched = s.last_fetch.map_or_else(
            || "never fetched".to_owned(),
            |t| format!("fetched {}", crate::fmt::local_time(Some(t))),
        );
        writeln!(
            out,
            "{}  {}  {} · {} unread · {fetched}",
            s.name,
            s.url,
            crate::fmt::plural(s.items, "item", "items"),
            s.unread
        )?;
        if let Some(error) = &s.last_error {
            let waiting = s
                .backing_off_until
                .map(|t| {
                    format!(
                        "; {} in a row, next try after {}",
                        crate::fmt::plural(s.failures as usize, "failure", "failures"),
                        crate::fmt::local_time(Some(t))
                    )
                })
                .unwrap_or_default();
            writeln!(out, "    last error: {error}{waiting}")?;
        }
    }
    out.flush()?;
    Ok(())
}
