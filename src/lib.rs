//! byline: a terminal news reader for folders of article files.

pub mod article;
pub mod loader;
