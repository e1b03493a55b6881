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
    pub config: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot find a home folder for byline's {0} (is HOME set?); pass --{0}-dir DIR")]
    NoHome(&'static str),
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
    pub fn resolve(data: Option<PathBuf>, config: Option<PathBuf>) -> Result<Dirs, ConfigError> {
        let base = directories::BaseDirs::new();
        let data = match data {
            Some(d) => d,
            None => base
                .as_ref()
                .ok_or(ConfigError::NoHome("data"))?
                .data_dir()
                .join("byline"),
        };
        let config = match config {
            Some(c) => c,
            None => base
                .as_ref()
                .ok_or(ConfigError::NoHome("config"))?
                .config_dir()
                .join("byline"),
        };
        Ok(Dirs { data, config })
    }

    pub fn store_path(&self) -> PathBuf {
        self.data.join(crate::store::STORE_FILE)
    }

    pub fn samples_dir(&self) -> PathBuf {
        self.data.join("samples")
    }

    pub fn config_path(&self) -> PathBuf {
        self.config.join(CONFIG_FILE)
    }
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
