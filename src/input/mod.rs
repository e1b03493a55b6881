//! Input as data: the [`Action`]s that can change the app, the keys that
//! name them, and the [`Keymap`] from one to the other (the defaults
//! embedded from `assets/keymap.toml`, the user's `[keys]` over them).
//! Below the app, so the settings can build a keymap without it.

pub mod action;
pub mod keymap;
pub mod keys;

pub use action::{Action, FinderEdit, SidebarAnswer};
pub use keymap::{DEFAULT_KEYMAP, Keymap, Lookup};
pub use keys::{Chord, Key, KeymapError};
