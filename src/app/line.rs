//! Editing a line of text (the finder's query, a prompt's answer): by
//! characters, never bytes, with a cursor.

use super::FinderEdit;

/// A line of text with a cursor (counted in chars) that keys edit.
pub trait LineEdit {
    /// The text and the cursor.
    fn line(&mut self) -> (&mut String, &mut usize);

    fn insert(&mut self, c: char) {
        let (text, cursor) = self.line();
        let at = byte_at(text, *cursor);
        text.insert(at, c);
        *cursor += 1;
    }

    fn backspace(&mut self) {
        let (text, cursor) = self.line();
        if *cursor > 0 {
            *cursor -= 1;
            let at = byte_at(text, *cursor);
            text.remove(at);
        }
    }

    fn delete(&mut self) {
        let (text, cursor) = self.line();
        if *cursor < text.chars().count() {
            let at = byte_at(text, *cursor);
            text.remove(at);
        }
    }

    /// Deletes the word before the cursor, as Ctrl-w does in a shell.
    fn delete_word(&mut self) {
        let (text, cursor) = self.line();
        let chars: Vec<char> = text.chars().collect();
        let mut start = *cursor;
        while start > 0 && chars[start - 1] == ' ' {
            start -= 1;
        }
        while start > 0 && chars[start - 1] != ' ' {
            start -= 1;
        }
        let rest: String = chars[*cursor..].iter().collect();
        *text = chars[..start].iter().collect::<String>() + &rest;
        *cursor = start;
    }

    fn clear(&mut self) {
        self.set_text(String::new());
    }

    /// Replaces the text, the cursor at its end.
    fn set_text(&mut self, new: String) {
        let (text, cursor) = self.line();
        *cursor = new.chars().count();
        *text = new;
    }

    fn left(&mut self) {
        let (_, cursor) = self.line();
        *cursor = cursor.saturating_sub(1);
    }

    fn right(&mut self) {
        let (text, cursor) = self.line();
        *cursor = (*cursor + 1).min(text.chars().count());
    }

    fn end(&mut self) {
        let (text, cursor) = self.line();
        *cursor = text.chars().count();
    }

    /// Applies an editing key; says whether it was one.
    fn edit(&mut self, edit: &FinderEdit) -> bool {
        match edit {
            FinderEdit::Insert(c) => self.insert(*c),
            FinderEdit::Backspace => self.backspace(),
            FinderEdit::Delete => self.delete(),
            FinderEdit::DeleteWord => self.delete_word(),
            FinderEdit::Clear => self.clear(),
            FinderEdit::Left => self.left(),
            FinderEdit::Right => self.right(),
            FinderEdit::Home => *self.line().1 = 0,
            FinderEdit::End => self.end(),
            _ => return false,
        }
        true
    }
}

/// The byte offset of char `chars` in `text` (its end past the last).
fn byte_at(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}
