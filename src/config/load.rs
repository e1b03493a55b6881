//! Reading config.toml leniently: each setting is taken on its own, so a
//! mistake costs that setting only, never the rest of the file (the
//! library above all). Every problem is kept with its line.

use std::collections::{BTreeMap, BTreeSet};

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::{Config, Keys, ReaderSettings, ThemeSettings, keymap_with};
use crate::theme::Theme;

/// What is wrong in a file: the line (from 1) and what.
pub(super) type Problems = Vec<(usize, String)>;

/// The settings of `text` that are good, and a problem for each one that
/// is not, in the file's order.
pub(super) fn parse(text: &str) -> (Config, Problems) {
    let mut file = File {
        text,
        problems: Vec::new(),
    };
    let (root, syntax) = DeTable::parse_recoverable(text);
    let tainted = file.syntax_errors(&syntax);
    let root = file.untainted(root.into_inner(), &tainted);
    let config = file.settings(&root);
    file.problems.sort_by_key(|(line, _)| *line);
    (config, file.problems)
}

/// A setting that needs no check beyond its type.
fn no_check<T>(_: &T) -> Result<(), String> {
    Ok(())
}

struct File<'t> {
    text: &'t str,
    problems: Problems,
}

impl File<'_> {
    /// The line (from 1) of a byte offset.
    fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    fn problem(&mut self, offset: usize, message: String) {
        let line = self.line(offset);
        self.problems.push((line, message));
    }

    /// Says each syntax error (the first on its line) and returns the lines
    /// whose settings cannot be trusted: those with an error, and after a
    /// broken table header, the rest of its table.
    fn syntax_errors(&mut self, errors: &[toml::de::Error]) -> BTreeSet<usize> {
        let mut tainted = BTreeSet::new();
        for err in errors {
            let line = err.span().map_or(1, |span| self.line(span.start));
            if tainted.insert(line) {
                self.problems.push((line, err.message().to_owned()));
            }
        }
        let lines: Vec<&str> = self.text.lines().collect();
        let header = |n: usize| {
            lines
                .get(n - 1)
                .is_some_and(|l| l.trim_start().starts_with('['))
        };
        for line in tainted.clone() {
            if header(line) {
                tainted.extend((line + 1..=lines.len()).take_while(|&n| !header(n)));
            }
        }
        tainted
    }

    /// `table` without the settings on `tainted` lines (a table's own
    /// settings looked at one by one).
    fn untainted<'i>(&self, table: DeTable<'i>, tainted: &BTreeSet<usize>) -> DeTable<'i> {
        let mut kept = DeTable::new();
        for (key, value) in table {
            let first = self.line(key.span().start);
            if tainted.contains(&first) {
                continue;
            }
            let span = value.span();
            let value = match value.into_inner() {
                DeValue::Table(inner) => DeValue::Table(self.untainted(inner, tainted)),
                other => {
                    let last = self.line(span.end.saturating_sub(1)).max(first);
                    if tainted.range(first..=last).next().is_some() {
                        continue;
                    }
                    other
                }
            };
            kept.insert(key, Spanned::new(span, value));
        }
        kept
    }

    /// The settings in `root`, each taken on its own.
    fn settings(&mut self, root: &DeTable) -> Config {
        let mut config = Config::default();
        for (key, value) in root.iter() {
            match (key.get_ref().as_ref(), value.get_ref()) {
                ("reader", DeValue::Table(t)) => config.reader = self.each(t, check_reader),
                ("theme", DeValue::Table(t)) => config.theme = self.each(t, check_theme),
                ("keys", DeValue::Table(t)) => config.keys = self.each(t, check_keys),
                ("library", _) => {
                    if let Some(one) = self.alone::<Config>(key, value, no_check) {
                        config.library = one.library;
                    }
                }
                ("ignore", _) => {
                    if let Some(one) = self.alone::<Config>(key, value, no_check) {
                        config.ignore = self.patterns(value, one.ignore);
                    }
                }
                // Says what is wrong: an unknown setting, or not a table.
                _ => drop(self.alone::<Config>(key, value, no_check)),
            }
        }
        config
    }

    /// A `T` from the settings of `table` that are good on their own.
    fn each<T: DeserializeOwned + Default>(
        &mut self,
        table: &DeTable,
        check: fn(&T) -> Result<(), String>,
    ) -> T {
        let mut good = DeTable::new();
        for (key, value) in table.iter() {
            if self.alone::<T>(key, value, check).is_some() {
                good.insert(key.clone(), value.clone());
            }
        }
        let span = table.iter().next().map_or(0..0, |(key, _)| key.span());
        from_table(good, span.clone()).unwrap_or_else(|err| {
            self.problem(span.start, err.message().to_owned());
            T::default()
        })
    }

    /// A `T` with only `key` set, if its value is good; else says why.
    fn alone<T: DeserializeOwned>(
        &mut self,
        key: &Spanned<toml::de::DeString>,
        value: &Spanned<DeValue>,
        check: fn(&T) -> Result<(), String>,
    ) -> Option<T> {
        let mut one = DeTable::new();
        one.insert(key.clone(), value.clone());
        let at_key = key.span().start;
        let result = from_table::<T>(one, key.span())
            .map_err(|err| {
                let at = err.span().map_or(at_key, |span| span.start);
                (at, readable(err.message()))
            })
            .and_then(|t| check(&t).map(|()| t).map_err(|message| (at_key, message)));
        match result {
            Ok(t) => Some(t),
            Err((at, message)) => {
                self.problem(at, message);
                None
            }
        }
    }

    /// The ignore patterns that are good; each bad one said at its line.
    fn patterns(&mut self, value: &Spanned<DeValue>, patterns: Vec<String>) -> Vec<String> {
        let at: Vec<usize> = match value.get_ref() {
            DeValue::Array(items) => items.iter().map(|item| item.span().start).collect(),
            _ => Vec::new(),
        };
        let mut good = Vec::with_capacity(patterns.len());
        for (n, pattern) in patterns.into_iter().enumerate() {
            let (_, errors) = crate::loader::Ignore::new(std::slice::from_ref(&pattern));
            match errors.into_iter().next() {
                Some(error) => {
                    self.problem(at.get(n).copied().unwrap_or(value.span().start), error)
                }
                None => good.push(pattern),
            }
        }
        good
    }
}

fn from_table<T: DeserializeOwned>(
    table: DeTable,
    span: std::ops::Range<usize>,
) -> Result<T, toml::de::Error> {
    T::deserialize(ValueDeserializer::from(Spanned::new(
        span,
        DeValue::Table(table),
    )))
}

/// serde's words where they say little to a user.
fn readable(message: &str) -> String {
    message.replace(
        "data did not match any variant of untagged enum Keys",
        "expected a key (\"ctrl-q\") or a list of keys ([\"q\", \"ctrl-q\"])",
    )
}

fn check_reader(reader: &ReaderSettings) -> Result<(), String> {
    let items = chrono::format::StrftimeItems::new(&reader.date_format);
    if items
        .into_iter()
        .any(|i| matches!(i, chrono::format::Item::Error))
    {
        return Err(format!(
            "`{}` is not a date format (strftime, as in \"%-d %b %Y %H:%M\")",
            reader.date_format
        ));
    }
    Ok(())
}

fn check_theme(theme: &ThemeSettings) -> Result<(), String> {
    if let Some(base) = &theme.base {
        Theme::build(Some(base), [], false).map_err(|e| e.to_string())?;
    }
    for (part, colour) in &theme.colours {
        Theme::build(None, [(part.as_str(), colour.as_str())], false).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn check_keys(keys: &BTreeMap<String, Keys>) -> Result<(), String> {
    keymap_with(keys).map(drop).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(problems: &Problems) -> Vec<usize> {
        problems.iter().map(|(line, _)| *line).collect()
    }

    #[test]
    fn a_typo_costs_only_its_setting() {
        let text = "library = [\"news\"]\n[reader]\njustfy = true\ntext_width = 70\n\
                    [keys]\nfly = \"f\"\nquit = \"x\"\n";
        let (config, problems) = parse(text);
        assert_eq!(config.library, [std::path::PathBuf::from("news")]);
        assert_eq!(config.reader.text_width, 70);
        assert_eq!(config.keys.keys().collect::<Vec<_>>(), ["quit"]);
        assert_eq!(lines(&problems), [3, 6], "{problems:?}");
        assert!(
            problems[0].1.contains("unknown field `justfy`"),
            "{problems:?}"
        );
        assert!(
            problems[1].1.contains("unknown action `fly`"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_syntax_error_costs_only_its_line() {
        let text = "library = [\"a\"]\n[reader]\njustify = tru\ntext_width = 70\n";
        let (config, problems) = parse(text);
        assert_eq!(config.library.len(), 1);
        assert_eq!(config.reader.text_width, 70);
        assert!(!config.reader.justify, "the broken line is not guessed at");
        assert_eq!(lines(&problems), [3], "{problems:?}");
        // A broken table header costs its table, not what comes before.
        let text = "library = [\"a\"]\n[reader\ntext_width = 5\n[keys]\nquit = \"x\"\n";
        let (config, problems) = parse(text);
        assert_eq!(config.library.len(), 1);
        assert_eq!(config.reader.text_width, 80);
        assert_eq!(config.keys.len(), 1);
        assert_eq!(lines(&problems), [2], "{problems:?}");
        // An unclosed value is dropped, never half read.
        let (config, problems) = parse("library = [unclosed\n[reader]\njustify = true\n");
        assert!(config.library.is_empty(), "{config:?}");
        assert!(!problems.is_empty());
    }

    #[test]
    fn every_problem_is_said_in_file_order() {
        let text = "libary = []\n[theme]\nbase = \"neon\"\ntitle = \"reddish\"\nborder = \"red\"\n\
                    [reader]\ndate_format = \"%Q\"\nshow_sidebar = false\n\
                    ignore = 3\n";
        let (config, problems) = parse(text);
        assert_eq!(lines(&problems), [1, 3, 4, 7, 9], "{problems:?}");
        assert_eq!(config.theme.base, None);
        assert_eq!(config.theme.colours.len(), 1);
        assert!(!config.reader.show_sidebar);
        assert_eq!(
            config.reader.date_format,
            ReaderSettings::default().date_format
        );
    }

    #[test]
    fn a_bad_ignore_pattern_is_dropped_and_the_rest_kept() {
        let text = "ignore = [\n  \"drafts/\",\n  \"{a,b\",\n  \"*.tmp\",\n]\n";
        let (config, problems) = parse(text);
        assert_eq!(config.ignore, ["drafts/", "*.tmp"]);
        assert_eq!(lines(&problems), [3], "{problems:?}");
        let (_, problems) = parse("[keys]\nquit = 3\n");
        assert!(problems[0].1.contains("a list of keys"), "{problems:?}");
    }
}
