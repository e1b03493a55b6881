//! Keybindings are data: a map from keys to actions, the defaults embedded
//! from `assets/keymap.toml`. The help screen and hints are made from it.

use std::collections::HashMap;

use crossterm::event::KeyEvent;

use super::action::Action;
pub use super::keys::{Chord, Key, KeymapError};

/// The default keymap's text.
pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// What a key press means, given the keys of a sequence typed before it.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Action(Action),
    /// The start of a sequence: these keys so far.
    Prefix(Vec<Key>),
    None,
}

/// Keys to actions, and each action's keys in the order they were listed.
#[derive(Debug, Clone)]
pub struct Keymap {
    chords: HashMap<Vec<Key>, Action>,
    /// (action, its keys), in the keymap file's order: what help shows.
    bindings: Vec<(Action, Vec<Chord>)>,
}

/// An action's name as the keymap writes it, to an action.
fn action_named(name: &str) -> Result<Action, KeymapError> {
    serde::Deserialize::deserialize(toml::Value::String(name.to_owned()))
        .map_err(|_: toml::de::Error| KeymapError::UnknownAction(name.to_owned()))
}

impl Keymap {
    /// Reads a keymap written as `action = ["key", ...]`.
    pub fn parse(text: &str) -> Result<Keymap, KeymapError> {
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| KeymapError::Parse(e.message().to_owned()))?;
        // toml::Table keeps keys sorted; keep the file's order for help.
        let mut order: Vec<(usize, String)> = table
            .keys()
            .map(|k| {
                (
                    text.find(&format!("\n{k} ")).unwrap_or(usize::MAX),
                    k.clone(),
                )
            })
            .collect();
        order.sort();
        let mut bindings = Vec::new();
        for (_, name) in order {
            let keys = match &table[&name] {
                toml::Value::Array(items) => items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
                toml::Value::String(one) => vec![one.clone()],
                _ => return Err(KeymapError::Parse(format!("`{name}` takes a list of keys"))),
            };
            bindings.push((name, keys));
        }
        Keymap::from_bindings(Vec::new(), bindings)
    }

    /// `base`'s bindings with `overrides` (action name, keys) over them: an
    /// action named there gets exactly those keys, and a key taken by it
    /// leaves whatever action had it before.
    pub fn with_overrides(
        &self,
        overrides: impl IntoIterator<Item = (String, Vec<String>)>,
    ) -> Result<Keymap, KeymapError> {
        let base: Vec<(Action, Vec<Chord>)> = self.bindings.clone();
        Keymap::from_bindings(base, overrides.into_iter().collect())
    }

    fn from_bindings(
        base: Vec<(Action, Vec<Chord>)>,
        named: Vec<(String, Vec<String>)>,
    ) -> Result<Keymap, KeymapError> {
        let mut mine: Vec<(Action, Vec<Chord>)> = Vec::new();
        for (name, keys) in named {
            let action = action_named(&name)?;
            let chords = keys
                .iter()
                .map(|k| Chord::parse(k))
                .collect::<Result<Vec<_>, _>>()?;
            mine.push((action, chords));
        }
        let taken: Vec<&Chord> = mine.iter().flat_map(|(_, c)| c).collect();
        let mut bindings: Vec<(Action, Vec<Chord>)> = base
            .iter()
            .map(|(action, chords)| {
                let kept = match mine.iter().find(|(a, _)| a == action) {
                    Some((_, new)) => new.clone(),
                    None => chords
                        .iter()
                        .filter(|c| !taken.contains(c))
                        .cloned()
                        .collect(),
                };
                (action.clone(), kept)
            })
            .collect();
        for (action, chords) in &mine {
            if !bindings.iter().any(|(a, _)| a == action) {
                bindings.push((action.clone(), chords.clone()));
            }
        }
        let mut chords = HashMap::new();
        for (action, keys) in &bindings {
            for chord in keys {
                chords.insert(chord.0.clone(), action.clone());
            }
        }
        Ok(Keymap { chords, bindings })
    }

    /// The action bound to a key press on its own.
    pub fn action(&self, event: &KeyEvent) -> Option<Action> {
        self.chords.get(&vec![Key::from_event(event)]).cloned()
    }

    /// What `event` means after the keys `pending` of a sequence. A key that
    /// continues no sequence starts afresh.
    pub fn lookup(&self, pending: &[Key], event: &KeyEvent) -> Lookup {
        let key = Key::from_event(event);
        let mut typed = pending.to_vec();
        typed.push(key);
        if let Some(action) = self.chords.get(&typed) {
            return Lookup::Action(action.clone());
        }
        if self
            .chords
            .keys()
            .any(|c| c.len() > typed.len() && c.starts_with(&typed))
        {
            return Lookup::Prefix(typed);
        }
        if pending.is_empty() {
            Lookup::None
        } else {
            self.lookup(&[], event)
        }
    }

    /// Every action with its keys, for the help screen.
    pub fn bindings(&self) -> &[(Action, Vec<Chord>)] {
        &self.bindings
    }

    /// The keys bound to `action`.
    pub fn keys_for(&self, action: &Action) -> Vec<Chord> {
        self.bindings
            .iter()
            .find(|(a, _)| a == action)
            .map(|(_, k)| k.clone())
            .unwrap_or_default()
    }
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap::parse(DEFAULT_KEYMAP).expect("the embedded keymap is valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn default_keymap_binds_the_documented_keys() {
        let map = Keymap::default();
        let cases = [
            (KeyCode::Char('j'), KeyModifiers::NONE, Action::Down),
            (KeyCode::Down, KeyModifiers::NONE, Action::Down),
            (KeyCode::Char('G'), KeyModifiers::SHIFT, Action::Bottom),
            (
                KeyCode::Char('d'),
                KeyModifiers::CONTROL,
                Action::HalfPageDown,
            ),
            (KeyCode::BackTab, KeyModifiers::SHIFT, Action::FocusPrev),
            (KeyCode::Char(' '), KeyModifiers::NONE, Action::ReadOn),
            (KeyCode::Enter, KeyModifiers::NONE, Action::Open),
            (KeyCode::Char('?'), KeyModifiers::SHIFT, Action::Help),
            (KeyCode::Char('A'), KeyModifiers::SHIFT, Action::MarkAllRead),
        ];
        for (code, mods, action) in cases {
            assert_eq!(map.action(&press(code, mods)), Some(action), "{code:?}");
        }
        assert_eq!(
            map.action(&press(KeyCode::Char('z'), KeyModifiers::NONE)),
            None
        );
    }

    #[test]
    fn key_names_parse_and_print() {
        assert_eq!(Key::parse("ctrl-d").unwrap().to_string(), "ctrl-d");
        assert_eq!(
            Key::parse("shift-tab").unwrap(),
            Key::parse("backtab").unwrap()
        );
        assert_eq!(Key::parse("space").unwrap().to_string(), "space");
        assert_eq!(Key::parse("f1").unwrap().code, KeyCode::F(1));
        assert_eq!(Key::parse("-").unwrap().code, KeyCode::Char('-'));
        assert_eq!(
            Key::parse("hyper-x"),
            Err(KeymapError::UnknownKey("hyper-x".into()))
        );
    }

    #[test]
    fn bad_keymaps_are_clear_errors() {
        assert_eq!(
            Keymap::parse("fly = [\"x\"]").unwrap_err(),
            KeymapError::UnknownAction("fly".into())
        );
        assert_eq!(
            Keymap::parse("quit = [\"nokey\"]").unwrap_err(),
            KeymapError::UnknownKey("nokey".into())
        );
    }

    #[test]
    fn overrides_replace_an_action_s_keys_and_take_keys_from_others() {
        let map = Keymap::default()
            .with_overrides([
                ("top".to_owned(), vec!["g g".to_owned(), "home".to_owned()]),
                ("quit".to_owned(), vec!["ctrl-q".to_owned(), "j".to_owned()]),
            ])
            .unwrap();
        let g = press(KeyCode::Char('g'), KeyModifiers::NONE);
        assert_eq!(
            map.lookup(&[], &g),
            Lookup::Prefix(vec![Key::parse("g").unwrap()])
        );
        assert_eq!(
            map.lookup(&[Key::parse("g").unwrap()], &g),
            Lookup::Action(Action::Top)
        );
        // A key that continues no sequence starts afresh.
        let k = press(KeyCode::Char('k'), KeyModifiers::NONE);
        assert_eq!(
            map.lookup(&[Key::parse("g").unwrap()], &k),
            Lookup::Action(Action::Up)
        );
        // "j" now quits, and down keeps only its other key.
        let j = press(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(map.action(&j), Some(Action::Quit));
        let down: Vec<String> = map
            .keys_for(&Action::Down)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(down, ["↓"]);
        assert_eq!(map.keys_for(&Action::Top)[0].to_string(), "g g");
        assert!(
            Keymap::default()
                .with_overrides([("fly".to_owned(), vec!["x".to_owned()])])
                .is_err()
        );
    }

    #[test]
    fn help_order_follows_the_file() {
        let map = Keymap::default();
        assert_eq!(map.bindings()[0].0, Action::Quit);
        assert_eq!(map.bindings().last().unwrap().0, Action::Help);
        assert!(
            map.bindings()
                .iter()
                .all(|(a, _)| !a.description().is_empty())
        );
    }
}
