//! `F`: fetching every feed in the background, its progress in the status
//! bar, and a sync when it ends so that new stories show (the live
//! watcher would bring them too).

use super::{App, Effect};

impl App {
    pub(super) fn fetch(&mut self) {
        if self.fetching.is_some() {
            self.message = Some("already fetching".to_owned());
            return;
        }
        self.fetching = Some((0, 0));
        self.message = Some("fetching feeds…".to_owned());
        self.effects.push(Effect::Fetch);
    }

    pub(super) fn fetch_progress(&mut self, done: usize, total: usize) {
        self.fetching = Some((done, total));
    }

    pub(super) fn fetch_done(&mut self, said: String) {
        self.fetching = None;
        self.message = Some(said);
        // The fetch tagged the stories it brought: take those marks in.
        self.marks_sent += 1;
        self.effects.push(Effect::RefreshMarks {
            generation: self.marks_sent,
        });
        self.reload();
    }

    pub(super) fn feeds_loaded(&mut self, feeds: Vec<crate::feeds::FeedStatus>) {
        self.feeds = feeds;
    }
}
