//! Where byline keeps things, and the config file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

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

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
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
    pub fn marks(&self) -> crate::state::Marks {
        match &self.config {
            Some(dir) => crate::state::Marks::load(dir),
            None => crate::state::Marks::unsaved(
                "there is no config folder to keep marks in (is HOME set?); pass --config-dir DIR",
            ),
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

/// The contents of config.toml.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Folders and files to read when no path is given.
    pub library: Vec<PathBuf>,
}

impl Config {
    /// Reads the config file. A missing file is the default config.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.display().to_string(),
                    source,
                });
            }
        };
        let mut config: Config = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.display().to_string(),
            message: e.to_string().trim().to_owned(),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        config.library = config.library.iter().map(|p| expand(p, base)).collect();
        Ok(config)
    }
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
        let config = Config::load(&path).unwrap();
        assert_eq!(
            config.library,
            vec![dir.path().join("news"), PathBuf::from("/abs/feeds")]
        );
    }

    #[test]
    fn missing_is_default_and_bad_names_the_problem() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            Config::load(&dir.path().join("none.toml")).unwrap(),
            Config::default()
        );
        let path = dir.path().join(CONFIG_FILE);
        std::fs::write(&path, "libary = []\n").unwrap();
        let err = Config::load(&path).unwrap_err().to_string();
        assert!(err.contains("libary"), "{err}");
    }
}
