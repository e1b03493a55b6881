//! One-line prompts: a tag to add (`+`) or remove (`-`), with Tab
//! completing from the tags in use; a command to pipe the story to (`|`).

use super::line::LineEdit;
use super::{App, FinderEdit, Popup, Then};
use crate::article::ArticleId;
use crate::state::clean_tag;

/// What a prompt asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    AddTag(ArticleId),
    RemoveTag(ArticleId),
    /// A command for the story at hand's text.
    Pipe,
}

/// A prompt: its question, the answer so far, and what Tab offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
    pub cursor: usize,
    /// What Tab completes from.
    pub choices: Vec<String>,
    /// The text typed before Tab, and the choice Tab is on.
    pub completing: Option<(String, usize)>,
}

impl LineEdit for Prompt {
    fn line(&mut self) -> (&mut String, &mut usize) {
        (&mut self.text, &mut self.cursor)
    }
}

impl Prompt {
    fn new(kind: PromptKind, choices: Vec<String>) -> Prompt {
        Prompt {
            kind,
            text: String::new(),
            cursor: 0,
            choices,
            completing: None,
        }
    }

    /// "tag to add", "tag to remove", "pipe to command".
    pub fn question(&self) -> &'static str {
        match self.kind {
            PromptKind::AddTag(_) => "add tag",
            PromptKind::RemoveTag(_) => "remove tag",
            PromptKind::Pipe => "pipe the story to",
        }
    }

    /// The choices that start with what was typed (before any Tab).
    pub fn matching(&self) -> Vec<&str> {
        let stem = self
            .completing
            .as_ref()
            .map_or(self.text.as_str(), |(stem, _)| stem.as_str());
        let stem = clean_tag(stem);
        self.choices
            .iter()
            .filter(|c| c.starts_with(&stem))
            .map(String::as_str)
            .collect()
    }

    /// Tab (or shift-Tab): the next (or previous) matching choice.
    fn complete(&mut self, forward: bool) {
        let stem = match &self.completing {
            Some((stem, _)) => stem.clone(),
            None => self.text.clone(),
        };
        let matching: Vec<String> = {
            let stem = clean_tag(&stem);
            self.choices
                .iter()
                .filter(|c| c.starts_with(&stem))
                .cloned()
                .collect()
        };
        if matching.is_empty() {
            return;
        }
        let n = matching.len();
        let at = match self.completing {
            None if forward => 0,
            None => n - 1,
            Some((_, at)) if forward => (at + 1) % n,
            Some((_, at)) => (at + n - 1) % n,
        };
        self.set_text(matching[at].clone());
        self.completing = Some((stem, at));
    }
}

impl App {
    /// `+`: asks for a tag for the story at hand, offering those in use.
    pub(super) fn ask_tag(&mut self, add: bool) {
        let Some(id) = self.target() else {
            self.message = Some("no story here to tag".to_owned());
            return;
        };
        let (kind, choices) = if add {
            let have = self.marks.get(&id).tags;
            let choices = self
                .marks
                .tags()
                .into_iter()
                .map(|(t, _)| t)
                .filter(|t| !have.contains(t))
                .collect();
            (PromptKind::AddTag(id), choices)
        } else {
            let have = self.marks.get(&id).tags;
            if have.is_empty() {
                self.message = Some("this story has no tags".to_owned());
                return;
            }
            (PromptKind::RemoveTag(id), have)
        };
        let mut prompt = Prompt::new(kind, choices);
        // One tag to remove: it is the answer already.
        if let (PromptKind::RemoveTag(_), [only]) = (&prompt.kind, prompt.choices.as_slice()) {
            let only = only.clone();
            prompt.set_text(only);
        }
        self.popups.push(Popup::Prompt(Box::new(prompt)));
    }

    /// `|`: asks for a command to pipe the story at hand to.
    pub(super) fn ask_pipe(&mut self) {
        if self.reader.story.is_none() && self.list.selected_id().is_none() {
            self.message = Some("no story here to pipe".to_owned());
            return;
        }
        self.popups.push(Popup::Prompt(Box::new(Prompt::new(
            PromptKind::Pipe,
            Vec::new(),
        ))));
    }

    pub(super) fn prompt_edit(&mut self, edit: FinderEdit) {
        let Some(Popup::Prompt(prompt)) = self.popups.last_mut() else {
            return;
        };
        if prompt.edit(&edit) {
            prompt.completing = None;
            return;
        }
        match edit {
            FinderEdit::Next => prompt.complete(true),
            FinderEdit::Prev => prompt.complete(false),
            FinderEdit::Cancel => {
                self.popups.pop();
            }
            FinderEdit::Accept => {
                let Some(Popup::Prompt(prompt)) = self.popups.pop() else {
                    return;
                };
                self.answer_prompt(*prompt);
            }
            _ => {}
        }
    }

    fn answer_prompt(&mut self, prompt: Prompt) {
        let text = prompt.text.trim().to_owned();
        if text.is_empty() {
            return;
        }
        match prompt.kind {
            PromptKind::AddTag(id) => self.change_tag(id, &text, true),
            PromptKind::RemoveTag(id) => self.change_tag(id, &text, false),
            PromptKind::Pipe => match shell_words::split(&text) {
                Ok(command) if !command.is_empty() => {
                    self.pipe_command = command;
                    self.with_story_at_hand(Then::Pipe);
                }
                Ok(_) => {}
                Err(e) => self.message = Some(format!("cannot read that command: {e}")),
            },
        }
    }

    /// Adds or removes a tag on a story (and its near-duplicates).
    fn change_tag(&mut self, id: ArticleId, tag: &str, add: bool) {
        let tag = clean_tag(tag);
        let mut mark = self.marks.get(&id);
        let changed = if add {
            mark.add_tag(&tag)
        } else {
            mark.remove_tag(&tag)
        };
        if !changed {
            self.message = Some(if add {
                format!("already tagged \"{tag}\"")
            } else {
                format!("not tagged \"{tag}\"")
            });
            return;
        }
        self.apply_marks(vec![(id, mark)]);
        let keep = self.list.selected_id();
        self.list.refilter(&self.marks, keep.as_ref());
        self.fit_list();
        self.message = Some(if add {
            format!("tagged \"{tag}\" (u undoes)")
        } else {
            format!("untagged \"{tag}\" (u undoes)")
        });
    }
}
