//! Fault suite: the store deleted, truncated or written over under an open
//! reader, then `R`. The reader lets go of the old file, opens or rebuilds
//! the store, says so, and keeps the selection and the marks: stories open
//! again.

mod common;

use std::io::{Seek, Write};
use std::path::Path;

use common::Sandbox;
use common::tmux::start;

/// What is done to the store file.
#[derive(Debug, Clone, Copy)]
enum Damage {
    Delete,
    Truncate,
    Overwrite,
}

impl Damage {
    fn apply(self, store: &Path) {
        match self {
            Damage::Delete => std::fs::remove_file(store).unwrap(),
            Damage::Truncate => {
                std::fs::File::options()
                    .write(true)
                    .open(store)
                    .unwrap()
                    .set_len(0)
                    .unwrap();
            }
            Damage::Overwrite => {
                let mut file = std::fs::File::options().write(true).open(store).unwrap();
                file.seek(std::io::SeekFrom::Start(0)).unwrap();
                let garbage: Vec<u8> = (0..64 * 1024u32)
                    .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                    .collect();
                file.write_all(&garbage).unwrap();
                file.sync_all().unwrap();
            }
        }
    }
}

fn survive(damage: Damage) {
    let sb = Sandbox::with_library();
    let session = start(&sb, &format!("{damage:?}").to_lowercase(), 120, 40);
    session.wait_for("Snow expected");
    // Select the third story and save it.
    session.send(&["j", "j", "s"]);
    session.wait_for("1 saved");
    damage.apply(&sb.data_dir().join("store.sqlite3"));
    session.send(&["R"]);
    let said = match damage {
        Damage::Delete => "store opened afresh: it was removed or replaced",
        _ => "store rebuilt from the files: it was damaged",
    };
    let screen = session.wait_for(said);
    assert!(screen.contains("1 saved"), "the mark stays: {screen}");
    // The selection stayed on the third story: it opens, with its text.
    session.send(&["Enter"]);
    let screen = session.wait_for("Story ·");
    assert!(
        screen.contains("Island ferry fares to fall as new electric boats"),
        "{screen}"
    );
    assert!(!screen.contains("cannot read story"), "{screen}");
    // And another one, through the sidebar's neighbours in the list.
    session.send(&["Escape", "k", "Enter"]);
    session.wait_for("Harbour pilots strike over night shifts");
    session.send(&["q"]);
    let screen = session.wait_for("BYLINE-EXIT=");
    assert!(screen.contains("BYLINE-EXIT=0"), "{screen}");
}

#[test]
fn a_deleted_store_is_made_anew_under_an_open_reader() {
    if common::tmux::available() {
        survive(Damage::Delete);
    }
}

#[test]
fn a_truncated_store_is_rebuilt_under_an_open_reader() {
    if common::tmux::available() {
        survive(Damage::Truncate);
    }
}

#[test]
fn a_store_written_over_is_rebuilt_under_an_open_reader() {
    if common::tmux::available() {
        survive(Damage::Overwrite);
    }
}
