//! byline: a terminal news reader for folders of article files.
//!
//! Files go to the [`loader`], then the [`store`], then the interface; the
//! [`cli`] drives the non-interactive commands.

pub mod app;
pub mod article;
pub mod atomic;
pub mod cli;
pub mod config;
pub mod effect;
pub mod export;
pub mod feeds;
pub mod fmt;
pub mod fold;
pub mod input;
pub mod jobs;
pub mod loader;
pub mod lsh;
pub mod minhash;
pub mod related;
pub mod render;
pub mod samples;
pub mod search;
pub mod state;
pub mod store;
pub mod terms;
#[cfg(test)]
mod test_support;
pub mod theme;
pub mod tokens;
pub mod tui;
pub mod ui;
pub mod view;
