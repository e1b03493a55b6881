//! Effects run one after another on the calling thread: the same jobs the
//! interface runs on its workers, for tests and anything else that drives
//! an app without a terminal.

use std::path::PathBuf;

use super::{Library, Matcher, build_engine, export_page};
use crate::effect::Effect;
use crate::input::Action;

/// Something that asks for effects and takes their answers: the app.
pub trait Driven {
    fn take_effects(&mut self) -> Vec<Effect>;
    fn update(&mut self, action: Action);
}

/// Runs effects at once, in order, and hands back the answers.
pub struct Runner {
    pub library: Library,
    /// Where exports go.
    pub export_dir: PathBuf,
    /// Where feeds are kept (none: there are no feeds).
    pub feeds: Option<super::feeds::FeedPlaces>,
    /// Every effect outside the library worker's (syncs, engine builds,
    /// matching, exports, and the terminal's: running a program, the
    /// clipboard), in order. The terminal's are only recorded.
    pub log: Vec<Effect>,
    /// Ranks the finder's queries, remembering them as the reader's does.
    matcher: Matcher,
}

impl Runner {
    pub fn new(library: Library) -> Runner {
        Runner {
            library,
            export_dir: std::env::current_dir().unwrap_or_default(),
            feeds: None,
            log: Vec::new(),
            matcher: Matcher::new(),
        }
    }

    /// Carries out `effects` and returns every answer, in order. Effects
    /// for the library that come together go as one batch, as they would
    /// to the worker.
    pub fn run(&mut self, effects: Vec<Effect>) -> Vec<Action> {
        let mut answers = Vec::new();
        let mut batch = Vec::new();
        for effect in effects {
            if effect.is_for_library() {
                batch.push(effect);
                continue;
            }
            let waiting = std::mem::take(&mut batch);
            self.library.run_batch(waiting, &mut |a| answers.push(a));
            self.run_one(effect, &mut answers);
        }
        self.library.run_batch(batch, &mut |a| answers.push(a));
        answers
    }

    fn run_one(&mut self, effect: Effect, answers: &mut Vec<Action>) {
        self.log.push(effect.clone());
        match effect {
            Effect::Reload => {
                let done = self.library.sync(&mut |a| answers.push(a));
                answers.push(done);
            }
            Effect::BuildEngine => answers.push(build_engine(self.library.store())),
            Effect::Match {
                generation,
                query,
                items,
            } => self
                .matcher
                .rank(&items, &query, generation, &|| true, &mut |a| {
                    answers.push(a);
                    true
                }),
            Effect::Export(ids) => {
                answers.push(export_page(self.library.store(), &ids, &self.export_dir))
            }
            Effect::Fetch => match &self.feeds {
                Some(places) => {
                    let found = std::sync::Mutex::new(Vec::new());
                    super::feeds::fetch(places, &|a| found.lock().unwrap().push(a));
                    answers.extend(found.into_inner().unwrap_or_default());
                }
                None => answers.push(Action::FetchDone("no feeds".to_owned())),
            },
            Effect::LoadFeeds => answers.push(match &self.feeds {
                Some(places) => super::feeds::statuses(places),
                None => Action::FeedsLoaded(Vec::new()),
            }),
            Effect::Run { .. } | Effect::Copy(_) => {}
            other => debug_assert!(false, "a library effect: {other:?}"),
        }
    }

    /// Runs what `app` asks for and feeds it the answers, until it asks
    /// for nothing more.
    pub fn settle(&mut self, app: &mut impl Driven) {
        loop {
            let effects = app.take_effects();
            if effects.is_empty() {
                return;
            }
            for answer in self.run(effects) {
                app.update(answer);
            }
        }
    }
}

/// An app and a runner together: each action applied, then everything it
/// leads to, as the interface would do it (the workers' answers arriving
/// at once, in order).
pub struct Driver<A: Driven> {
    pub app: A,
    pub runner: Runner,
}

impl<A: Driven> Driver<A> {
    pub fn new(app: A, runner: Runner) -> Driver<A> {
        Driver { app, runner }
    }

    /// Applies an action, then everything it leads to.
    pub fn update(&mut self, action: Action) {
        self.app.update(action);
        self.runner.settle(&mut self.app);
    }

    /// The effects carried out outside the library worker since last asked.
    pub fn ran(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.runner.log)
    }
}

impl<A: Driven> std::ops::Deref for Driver<A> {
    type Target = A;
    fn deref(&self) -> &A {
        &self.app
    }
}

impl<A: Driven> std::ops::DerefMut for Driver<A> {
    fn deref_mut(&mut self) -> &mut A {
        &mut self.app
    }
}
