//! Story lists as text: one line a story, with local times and sources
//! cut to a width. Written without an allocation a field, since a search
//! may print 100,000 of them.

use std::io::Write;

use anyhow::Result;
use chrono::{DateTime, Local, Utc};

use crate::store::StorySummary;

/// Local times for many rows: the zone's offset looked up once an hour of
/// UTC, except in an hour that holds a change of offset.
#[derive(Default)]
pub(super) struct LocalClock {
    offsets: std::collections::HashMap<i64, Option<chrono::FixedOffset>>,
}

impl LocalClock {
    #[cfg(test)]
    fn format(&mut self, time: Option<DateTime<Utc>>) -> String {
        let mut out = Vec::with_capacity(16);
        self.write(&mut out, time);
        String::from_utf8(out).unwrap_or_default()
    }

    /// Writes "2026-11-20 12:00" (or "-"), without an allocation.
    fn write(&mut self, out: &mut Vec<u8>, time: Option<DateTime<Utc>>) {
        use chrono::{Datelike, Offset, TimeZone, Timelike};
        let Some(t) = time else {
            out.push(b'-');
            return;
        };
        let offset_at = |secs: i64| {
            DateTime::from_timestamp(secs, 0)
                .map(|t| Local.offset_from_utc_datetime(&t.naive_utc()).fix())
        };
        let hour = t.timestamp().div_euclid(3600);
        let cached = *self.offsets.entry(hour).or_insert_with(|| {
            let start = offset_at(hour * 3600);
            start.filter(|_| start == offset_at(hour * 3600 + 3599))
        });
        let Some(offset) = cached.or_else(|| offset_at(t.timestamp())) else {
            out.extend_from_slice(local_time(time).as_bytes());
            return;
        };
        let t = t.with_timezone(&offset);
        let digits = |out: &mut Vec<u8>, n: u32, width: u32| {
            for place in (0..width).rev() {
                out.push(b'0' + (n / 10u32.pow(place) % 10) as u8);
            }
        };
        match u32::try_from(t.year()) {
            Ok(y) if y <= 9999 => digits(out, y, 4),
            _ => out.extend_from_slice(t.year().to_string().as_bytes()),
        }
        out.push(b'-');
        digits(out, t.month(), 2);
        out.push(b'-');
        digits(out, t.day(), 2);
        out.push(b' ');
        digits(out, t.hour(), 2);
        out.push(b':');
        digits(out, t.minute(), 2);
    }
}

pub(super) use crate::fmt::local_time;

use crate::fmt::fit;

pub(super) use crate::article::Groups;

/// One line of a story list, borrowed from wherever the story came from.
pub(super) struct Row<'a> {
    id: &'a str,
    published: Option<DateTime<Utc>>,
    source: Option<&'a str>,
    title: &'a str,
}

impl<'a> From<&'a StorySummary> for Row<'a> {
    fn from(s: &'a StorySummary) -> Row<'a> {
        Row {
            id: s.id.as_str(),
            published: s.published,
            source: s.source.as_deref(),
            title: &s.title,
        }
    }
}

impl<'a> From<&crate::store::Headline<'a>> for Row<'a> {
    fn from(h: &crate::store::Headline<'a>) -> Row<'a> {
        Row {
            id: h.id,
            published: h.published.and_then(|s| DateTime::from_timestamp(s, 0)),
            source: h.source,
            title: h.title,
        }
    }
}

/// Prints one line a story: ID, local time, source, headline, and
/// "(also in 2 other sources)" or "(1 other copy)" for a story standing
/// for a group of near-duplicates (their sources read from `store`).
pub(super) fn print_rows<'a>(
    out: &mut impl Write,
    rows: impl IntoIterator<Item = Row<'a>>,
    groups: &Groups,
    store: Option<&crate::store::Store>,
) -> Result<()> {
    let mut clock = LocalClock::default();
    let mut line = Vec::with_capacity(256);
    for row in rows {
        line.clear();
        line.extend_from_slice(row.id.as_bytes());
        line.extend_from_slice(b"  ");
        clock.write(&mut line, row.published);
        line.extend_from_slice(b"  ");
        line.extend_from_slice(fit(row.source.unwrap_or("-"), 18).as_bytes());
        line.extend_from_slice(b"  ");
        line.extend_from_slice(row.title.as_bytes());
        let others = groups.others(row.id);
        if !others.is_empty() {
            let id = crate::article::ArticleId::from_raw(row.id);
            let sources = match store {
                Some(store) => store.copy_sources(&id)?,
                None => vec![None; others.len()],
            };
            let copies =
                crate::render::Copies::of(row.source, sources.iter().map(Option::as_deref));
            if let Some(phrase) = copies.phrase() {
                line.extend_from_slice(format!("  ({phrase})").as_bytes());
            }
        }
        line.push(b'\n');
        out.write_all(&line)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_and_local_times() {
        assert_eq!(fit("The Straits Times", 10), "The Strai…");
        assert_eq!(fit("AFP", 5), "AFP  ");
        assert_eq!(fit("Exact", 5), "Exact");
        assert_eq!(fit("Longer", 0), "");
        assert_eq!(fit("深圳深圳深圳", 5), "深圳…");
        let mut clock = LocalClock::default();
        for secs in [
            0,
            1_700_000_000,
            1_711_846_800,
            1_729_990_800,
            1_795_176_000,
        ] {
            let t = DateTime::from_timestamp(secs, 0);
            assert_eq!(clock.format(t), local_time(t), "at {secs}");
            assert_eq!(clock.format(t), local_time(t), "cached, at {secs}");
        }
        assert_eq!(clock.format(None), "-");
    }
}
