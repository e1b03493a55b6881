//! Leaving byline for a moment: opening a story's link or file in another
//! program, copying it to the clipboard, exporting the view. `update` only
//! decides what to run or write; the event loop does it (an [`Effect`]).

use super::{App, Effect, Then};
use crate::article::Article;
use crate::article::ArticleId;

/// The programs byline hands things to, read once from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programs {
    /// `$BROWSER` (its first entry), or the platform's opener.
    pub browser: Vec<String>,
    /// `$PAGER`, else `$EDITOR`, else `less`.
    pub pager: Vec<String>,
}

impl Default for Programs {
    fn default() -> Programs {
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        Programs {
            browser: vec![opener.to_owned()],
            pager: vec!["less".to_owned()],
        }
    }
}

impl Programs {
    /// From `BROWSER`, `PAGER` and `EDITOR` as `var` gives them.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Programs {
        let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        let set = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let mut programs = Programs::default();
        // BROWSER may list several, separated by colons: the first is used.
        if let Some(browser) = set("BROWSER").and_then(|b| b.split(':').next().map(str::to_owned)) {
            programs.browser = words(&browser);
        }
        if let Some(pager) = set("PAGER").or_else(|| set("EDITOR")) {
            programs.pager = words(&pager);
        }
        programs
    }
}

/// A command: the program and its arguments, `target` added as one more
/// argument, or put where the program's arguments say `%s`. No shell.
pub fn command_for(program: &[String], target: &str) -> Vec<String> {
    let mut command: Vec<String> = program.iter().map(|a| a.replace("%s", target)).collect();
    if !program.iter().any(|a| a.contains("%s")) {
        command.push(target.to_owned());
    }
    command
}

pub use crate::render::plain as story_text;

impl App {
    /// Hands the story at hand (the one open, else the one selected) to
    /// another program or the clipboard, reading it first if need be.
    pub(super) fn with_story_at_hand(&mut self, then: Then) {
        if let Some(story) = self.reader.story.clone() {
            self.hand_over(&story, then);
        } else if let Some(id) = self.list.selected_id() {
            self.effects.push(Effect::LoadStory { id, then });
        }
    }

    /// Opens the story's link or file, or copies it, as `then` says.
    pub(super) fn hand_over(&mut self, story: &Article, then: Then) {
        match then {
            Then::OpenLink => match &story.url {
                Some(url) => {
                    let command = command_for(&self.programs.browser, url);
                    self.effects.push(Effect::Run {
                        command,
                        stdin: None,
                    });
                }
                None => {
                    self.message = Some("this story has no link: e opens its file".to_owned());
                }
            },
            Then::OpenFile => match story.files.first() {
                Some(file) => {
                    let command = command_for(&self.programs.pager, file);
                    self.effects.push(Effect::Run {
                        command,
                        stdin: None,
                    });
                }
                None => self.message = Some("this story has no file".to_owned()),
            },
            Then::CopyLink | Then::CopyText => self.copy(story, then == Then::CopyText),
            Then::Pipe => {
                let command = std::mem::take(&mut self.pipe_command);
                if !command.is_empty() {
                    self.effects.push(Effect::Run {
                        command,
                        stdin: Some(story_text(story)),
                    });
                }
            }
            Then::Open { .. } | Then::Refresh => {}
        }
    }

    fn copy(&mut self, story: &Article, whole: bool) {
        let (text, what) = if whole {
            (story_text(story), "the whole story")
        } else {
            let place = story.url.clone().or_else(|| story.files.first().cloned());
            let text = match place {
                Some(place) => format!("{}\n{place}", story.title),
                None => story.title.clone(),
            };
            (text, "the title and link")
        };
        self.effects.push(Effect::Copy(text));
        self.message = Some(format!("copied {what} to the clipboard"));
    }

    /// Exports the stories in the current view.
    pub(super) fn export_view(&mut self) {
        let ids: Vec<ArticleId> = self
            .list
            .visible
            .iter()
            .map(|&i| self.list.items[i].id.clone())
            .collect();
        if ids.is_empty() {
            self.message = Some("nothing in view to export".to_owned());
            return;
        }
        self.effects.push(Effect::Export(ids));
    }
}

/// OSC 52: asks the terminal to put `text` on the clipboard. Works over ssh
/// and in tmux (with `set-clipboard on`).
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_take_the_target_as_one_argument_and_no_shell() {
        let browser = vec!["firefox".to_owned(), "--new-tab".to_owned()];
        let url = "https://e.x/a b;rm -rf ~";
        assert_eq!(command_for(&browser, url), ["firefox", "--new-tab", url]);
        let with_slot = vec!["w3m".to_owned(), "%s".to_owned(), "-dump".to_owned()];
        assert_eq!(command_for(&with_slot, url), ["w3m", url, "-dump"]);
    }

    #[test]
    fn programs_come_from_the_environment_with_fallbacks() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let p = Programs::from_env(env(&[
            ("BROWSER", "lynx -force_html:firefox"),
            ("EDITOR", "vim"),
        ]));
        assert_eq!(
            (p.browser, p.pager),
            (
                vec!["lynx".into(), "-force_html".into()],
                vec!["vim".into()]
            )
        );
        let p = Programs::from_env(env(&[
            ("PAGER", "most"),
            ("EDITOR", "vim"),
            ("BROWSER", " "),
        ]));
        assert_eq!(
            (p.browser, p.pager),
            (Programs::default().browser, vec!["most".into()])
        );
    }

    #[test]
    fn osc52_is_base64_in_the_clipboard_sequence() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(osc52("hé"), "\x1b]52;c;aMOp\x07");
    }
}
