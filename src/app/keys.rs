//! From a key press to an action: the top popup sees it first, then the
//! keymap (which knows key sequences).

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::{Action, App, FinderEdit, Focus, Lookup, Popup, layout};

/// The finder's editing keys.
fn finder_edit(key: &KeyEvent) -> Option<FinderEdit> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Esc => FinderEdit::Cancel,
        KeyCode::Enter => FinderEdit::Accept,
        KeyCode::Up | KeyCode::BackTab => FinderEdit::Prev,
        KeyCode::Down | KeyCode::Tab => FinderEdit::Next,
        KeyCode::Backspace => FinderEdit::Backspace,
        KeyCode::Delete => FinderEdit::Delete,
        KeyCode::Left => FinderEdit::Left,
        KeyCode::Right => FinderEdit::Right,
        KeyCode::Home => FinderEdit::Home,
        KeyCode::End => FinderEdit::End,
        KeyCode::Char('n') if ctrl => FinderEdit::Next,
        KeyCode::Char('p') if ctrl => FinderEdit::Prev,
        KeyCode::Char('w') if ctrl => FinderEdit::DeleteWord,
        KeyCode::Char('u') if ctrl => FinderEdit::Clear,
        KeyCode::Char('t') if ctrl => FinderEdit::ToggleMode,
        KeyCode::Char('s') if ctrl => FinderEdit::Keep,
        KeyCode::Char('a') if ctrl => FinderEdit::Home,
        KeyCode::Char('e') if ctrl => FinderEdit::End,
        KeyCode::Char(c) if !ctrl && !key.modifiers.contains(KeyModifiers::ALT) => {
            FinderEdit::Insert(c)
        }
        _ => return None,
    })
}

impl App {
    /// Maps a key press to an action: the top popup sees it first, then the keymap.
    pub fn map_key(&self, key: &KeyEvent) -> Option<Action> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return Some(Action::Quit);
        }
        match self.popups.last() {
            Some(Popup::Finder(_)) => finder_edit(key).map(Action::Finder),
            Some(Popup::ConfirmMarkRead { .. }) => match key.code {
                KeyCode::Char('y' | 'Y') | KeyCode::Enter => Some(Action::Confirm(true)),
                KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc => Some(Action::Confirm(false)),
                _ => None,
            },
            Some(Popup::Prompt(_)) => finder_edit(key).and_then(|e| match e {
                // ctrl-t and ctrl-s mean nothing in a prompt.
                FinderEdit::ToggleMode | FinderEdit::Keep => None,
                e => Some(Action::Prompt(e)),
            }),
            Some(Popup::Sources(_)) => match key.code {
                KeyCode::Esc => Some(Action::ClosePopup),
                KeyCode::Enter => Some(Action::Pick),
                KeyCode::Char('d') => Some(Action::Forget),
                _ => match self.keymap.action(key) {
                    Some(a) if a.is_motion() => Some(a),
                    Some(Action::Open | Action::ReadOn) => Some(Action::Pick),
                    Some(Action::Quit | Action::Sources | Action::Back) => Some(Action::ClosePopup),
                    _ => None,
                },
            },
            Some(Popup::Help { .. } | Popup::LoadReport { .. }) => match key.code {
                KeyCode::Esc | KeyCode::Enter => Some(Action::ClosePopup),
                _ => match self.keymap.action(key) {
                    Some(a) if a.is_motion() => Some(a),
                    Some(Action::Quit | Action::Help | Action::LoadReport | Action::Back) => {
                        Some(Action::ClosePopup)
                    }
                    _ => None,
                },
            },
            None => self.pane_key(key),
        }
    }

    /// A key with no popup open: the keymap's, Esc going back in one-pane mode.
    fn pane_key(&self, key: &KeyEvent) -> Option<Action> {
        if key.code == KeyCode::Esc {
            if layout::single_pane(self.width) && self.focus != Focus::List {
                return Some(Action::Back);
            }
            return self.list.filter.is_some().then_some(Action::ClearFilter);
        }
        match self.keymap.lookup(&self.pending_keys, key) {
            Lookup::Action(action) => Some(action),
            Lookup::Prefix(keys) => Some(Action::PendingKeys(keys)),
            Lookup::None if !self.pending_keys.is_empty() => Some(Action::PendingKeys(Vec::new())),
            Lookup::None => None,
        }
    }
}
