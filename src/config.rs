//! Where byline keeps things, and the config file.

mod load;

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::input::Keymap;
use crate::theme::Theme;

/// The config file's name inside the config folder.
pub const CONFIG_FILE: &str = "config.toml";

/// byline's folders: the data folder holds the store and the installed
/// samples; the config folder holds config.toml and the read marks.
#[derive(Debug, Clone)]
pub struct Dirs {
    pub data: PathBuf,
    /// None when there is no home folder to put it in and none was given:
    /// then there is no config file, and marks live in memory only.
    pub config: Option<PathBuf>,
    /// Why a folder is not where it would usually be, for the user.
    pub notice: Option<String>,
}

/// Something wrong with config.toml.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A setting that is not used: the rest of the file is.
    #[error("{path} line {line}: {message}")]
    Setting {
        path: String,
        line: usize,
        message: String,
    },
    /// The whole file is not used.
    #[error("cannot read {path}: {error}")]
    Read { path: String, error: std::io::Error },
}

impl ConfigError {
    /// The problem, and what byline does about it.
    pub fn notice(&self) -> String {
        match self {
            ConfigError::Setting { .. } => format!("{self}; that setting is ignored"),
            ConfigError::Read { .. } => format!("{self}; using the defaults"),
        }
    }

    /// The problem, without the file's path: "line 3: unknown action `fly`".
    pub fn without_path(&self) -> String {
        match self {
            ConfigError::Setting { line, message, .. } => format!("line {line}: {message}"),
            ConfigError::Read { error, .. } => format!("cannot read it: {error}"),
        }
    }
}

/// config.toml as read: every setting that is good, and each problem with
/// the rest, in the file's order.
#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Config,
    pub problems: Vec<ConfigError>,
}

impl Dirs {
    /// The folders from the command line, else the platform's defaults
    /// (`directories`), each with a `byline` folder inside.
    ///
    /// With no home folder (HOME unset) and no folder given, byline still
    /// works: the store, which can always be rebuilt, goes in a folder of
    /// the system's temp folder, and marks are kept in memory only.
    pub fn resolve(data: Option<PathBuf>, config: Option<PathBuf>) -> Result<Dirs, ConfigError> {
        let base = directories::BaseDirs::new()
            .map(|b| (b.data_dir().to_path_buf(), b.config_dir().to_path_buf()));
        Ok(Self::resolve_with(data, config, base))
    }

    /// [`Dirs::resolve`] with the platform's (data, config) folders given,
    /// or None for a user with no home folder.
    fn resolve_with(
        data: Option<PathBuf>,
        config: Option<PathBuf>,
        base: Option<(PathBuf, PathBuf)>,
    ) -> Dirs {
        let mut missing = Vec::new();
        let data = match (data, &base) {
            (Some(d), _) => d,
            (None, Some((base, _))) => base.join("byline"),
            (None, None) => {
                let dir = std::env::temp_dir().join(format!("byline-{}", user_key()));
                missing.push(format!("the store is in {}", dir.display()));
                dir
            }
        };
        let config = match (config, &base) {
            (Some(c), _) => Some(c),
            (None, Some((_, base))) => Some(base.join("byline")),
            (None, None) => {
                missing.push("marks are kept in memory only and will not be saved".to_owned());
                None
            }
        };
        let notice = (!missing.is_empty()).then(|| {
            format!(
                "no home folder (is HOME set?): {}; pass --data-dir and --config-dir to choose",
                missing.join(", and ")
            )
        });
        Dirs {
            data,
            config,
            notice,
        }
    }

    /// The read and saved marks, from the config folder (in memory only
    /// when there is none).
    /// Marks left in a recovery file (written when they could not be
    /// saved) are merged back in and saved, with a notice.
    pub fn marks(&self) -> crate::state::Marks {
        let mut marks = match &self.config {
            Some(dir) => crate::state::Marks::load(dir),
            None => crate::state::Marks::unsaved(
                "there is no config folder to keep marks in (is HOME set?); pass --config-dir DIR",
            ),
        };
        if marks.merge_recovery(&self.recovery_places()) > 0
            && let Err(e) = marks.save()
        {
            marks.push_notice(format!("{e}; the recovered marks are kept where they were"));
        }
        marks
    }

    /// Where marks that cannot be saved at quit are written: the data
    /// folder, else the temp folder.
    pub fn recovery_places(&self) -> crate::state::RecoveryPlaces {
        crate::state::RecoveryPlaces {
            dirs: vec![self.data.clone(), std::env::temp_dir()],
            prefix: format!("byline-marks-recovery-{}-", user_key()),
        }
    }

    pub fn store_path(&self) -> PathBuf {
        self.data.join(crate::store::STORE_FILE)
    }

    pub fn samples_dir(&self) -> PathBuf {
        self.data.join("samples")
    }

    /// The config file, if there is a config folder.
    pub fn config_path(&self) -> Option<PathBuf> {
        self.config.as_ref().map(|c| c.join(CONFIG_FILE))
    }
}

/// Tells users apart in a shared temp folder.
fn user_key() -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(meta) = std::fs::metadata("/proc/self") {
            return meta.uid().to_string();
        }
    }
    std::env::var("USER").unwrap_or_else(|_| "user".to_owned())
}

/// The `[reader]` table of config.toml.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReaderSettings {
    /// Opening a story marks it read.
    pub mark_read_on_open: bool,
    /// The widest a line of a story may be, in columns.
    pub text_width: u16,
    /// Spread the words of each full line to both edges.
    pub justify: bool,
    /// The related-stories sidebar shows when there is room for it (120
    /// columns); `t` toggles it either way.
    pub show_sidebar: bool,
    /// How a story's date is written in the reading pane (strftime).
    pub date_format: String,
}

impl Default for ReaderSettings {
    fn default() -> ReaderSettings {
        ReaderSettings {
            mark_read_on_open: true,
            text_width: 80,
            justify: false,
            show_sidebar: true,
            date_format: "%-d %b %Y %H:%M".to_owned(),
        }
    }
}

/// The `[theme]` table: a built-in theme and colours over it.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct ThemeSettings {
    /// "dark" (the default) or "light".
    pub base: Option<String>,
    /// Part of the screen = colour.
    #[serde(flatten)]
    pub colours: BTreeMap<String, String>,
}

/// One key, or a list of them, as `[keys]` takes.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Keys {
    One(String),
    Many(Vec<String>),
}

/// The contents of config.toml.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Folders and files to read when no path is given.
    pub library: Vec<PathBuf>,
    /// Paths to pass over in every library, in gitignore syntax, relative
    /// to each library folder (a `.bylineignore` file in a folder does the
    /// same for that folder).
    pub ignore: Vec<String>,
    pub reader: ReaderSettings,
    pub theme: ThemeSettings,
    /// Action name = keys, over the defaults.
    pub keys: BTreeMap<String, Keys>,
}

/// The config file, commented, with every setting at its default.
pub fn default_config() -> String {
    let mut out = String::from(include_str!("../assets/config.toml"));
    out.push_str(
        "\n[theme]\n# base = \"dark\"   # or \"light\"; NO_COLOR turns every colour off\n",
    );
    out.push_str("# Any part of the screen: a colour by name (red, darkgray, lightblue...),\n");
    out.push_str("# #rrggbb, or \"FG on BG\". The parts:\n");
    for (part, example) in crate::theme::Theme::dark().described() {
        out.push_str(&format!("# {part} = \"{example}\"\n"));
    }
    out.push_str(
        "\n[keys]\n# Any action, bound to one key or a list. Yours replace that action's\n",
    );
    out.push_str("# keys; a key you take leaves the action that had it. A sequence is\n");
    out.push_str("# keys with spaces between: \"g g\". The defaults:\n");
    for line in crate::input::keymap::DEFAULT_KEYMAP.lines() {
        if !line.starts_with('#') && !line.trim().is_empty() {
            out.push_str(&format!("# {line}\n"));
        }
    }
    out
}

impl Config {
    /// Reads the config file: a missing one is the default config; in a
    /// file with mistakes, each setting that is good still applies.
    pub fn load(path: &Path) -> Loaded {
        let shown = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Loaded::default(),
            Err(error) => {
                return Loaded {
                    config: Config::default(),
                    problems: vec![ConfigError::Read { path: shown, error }],
                };
            }
        };
        let (mut config, problems) = load::parse(&text);
        let base = path.parent().unwrap_or(Path::new("."));
        config.library = config.library.iter().map(|p| expand(p, base)).collect();
        let problems = problems
            .into_iter()
            .map(|(line, message)| ConfigError::Setting {
                path: shown.clone(),
                line,
                message,
            })
            .collect();
        Loaded { config, problems }
    }

    /// What walks of the library pass over.
    pub fn ignore(&self) -> crate::loader::Ignore {
        crate::loader::Ignore::new(&self.ignore).0
    }

    /// The keymap: the defaults with `[keys]` over them.
    pub fn keymap(&self) -> Keymap {
        keymap_with(&self.keys).unwrap_or_default()
    }

    /// The theme: `[theme]`, or no colour under `NO_COLOR`.
    pub fn theme(&self, no_color: bool) -> Theme {
        let colours = self
            .theme
            .colours
            .iter()
            .map(|(p, c)| (p.as_str(), c.as_str()));
        Theme::build(self.theme.base.as_deref(), colours, no_color).unwrap_or_else(|_| {
            if no_color {
                Theme::plain()
            } else {
                Theme::default()
            }
        })
    }
}

/// The default keymap with `keys` over it.
fn keymap_with(keys: &BTreeMap<String, Keys>) -> Result<Keymap, crate::input::keymap::KeymapError> {
    Keymap::default().with_overrides(keys.iter().map(|(name, keys)| {
        let list = match keys {
            Keys::One(k) => vec![k.clone()],
            Keys::Many(ks) => ks.clone(),
        };
        (name.clone(), list)
    }))
}

/// Expands `~/` and makes a relative path relative to the config folder.
fn expand(path: &Path, base: &Path) -> PathBuf {
    if let Ok(rest) = path.strip_prefix("~")
        && let Some(home) = directories::BaseDirs::new()
    {
        return home.home_dir().join(rest);
    }
    if path.is_relative() {
        base.join(path)
    } else {
        path.to_path_buf()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_home_folder_still_works_with_the_store_in_temp_and_marks_in_memory() {
        let dirs = Dirs::resolve_with(None, None, None);
        assert!(dirs.data.starts_with(std::env::temp_dir()));
        assert!(dirs.config.is_none() && dirs.config_path().is_none());
        let notice = dirs.notice.as_deref().unwrap();
        assert!(
            notice.contains("is HOME set?") && notice.contains("in memory only"),
            "{notice}"
        );
        let mut marks = dirs.marks();
        let id = crate::article::ArticleId::from_raw("aaaaaaaaaa");
        marks.set_read(&id, true);
        assert!(marks.is_read(&id), "marks work in memory");
        let err = marks.save().unwrap_err().to_string();
        assert!(err.contains("no config folder"), "{err}");
        // Folders given are used, and say nothing.
        let given = Dirs::resolve_with(Some("/d".into()), Some("/c".into()), None);
        assert_eq!(
            (given.data, given.config, given.notice),
            ("/d".into(), Some("/c".into()), None)
        );
    }

    #[test]
    fn library_paths_are_read_and_made_absolute() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE);
        std::fs::write(&path, "library = [\"news\", \"/abs/feeds\"]\n").unwrap();
        let config = Config::load(&path).config;
        assert_eq!(
            config.library,
            vec![dir.path().join("news"), PathBuf::from("/abs/feeds")]
        );
    }

    #[test]
    fn missing_is_default_and_bad_names_the_problem() {
        let dir = tempfile::tempdir().unwrap();
        let missing = Config::load(&dir.path().join("none.toml"));
        assert_eq!(missing.config, Config::default());
        assert!(missing.problems.is_empty());
        let path = dir.path().join(CONFIG_FILE);
        std::fs::write(&path, "libary = []\nlibrary = [\"news\"]\n").unwrap();
        let loaded = Config::load(&path);
        assert_eq!(loaded.config.library, [dir.path().join("news")]);
        let said: Vec<String> = loaded.problems.iter().map(|p| p.notice()).collect();
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(
            said[0].starts_with(&format!(
                "{} line 1: unknown field `libary`",
                path.display()
            )) && said[0].ends_with("; that setting is ignored"),
            "{said:?}"
        );
    }
}
