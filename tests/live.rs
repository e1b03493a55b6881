//! Fault suite: live reload while a file never stops changing. One file is
//! rewritten every 100 ms; a new file must still show within 2 s, and the
//! open story follow its file.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::Sandbox;
use common::tmux::{start, wait_until};

#[test]
fn a_file_rewritten_every_100_ms_holds_nothing_back() {
    if !common::tmux::available() {
        return;
    }
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let churn = lib.join("churn.txt");
    std::fs::write(&churn, "Ticker story that keeps changing\n\nTick 0.\n").unwrap();
    let session = start(&sb, "churn", 120, 40);
    session.wait_for("Ticker story that keeps");
    // Open the churning story.
    session.send(&["/"]);
    session.type_text("ticker");
    session.wait_for("> ticker");
    session.send(&["Enter"]);
    session.wait_for("Tick 0.");
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (stop, churn) = (stop.clone(), churn.clone());
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                let text = format!("Ticker story that keeps changing\n\nTick {n}.\n");
                std::fs::write(&churn, text).unwrap();
                std::thread::sleep(Duration::from_millis(100));
            }
            n
        })
    };
    std::thread::sleep(Duration::from_millis(800));
    std::fs::write(
        lib.join("fresh.txt"),
        "Fresh story arrives mid-churn\n\nIt must show.\n",
    )
    .unwrap();
    let new_file = wait_until(&session, Duration::from_secs(2), "the new story", |s| {
        s.contains("Fresh story arrives")
    });
    // The open story shows a later tick than the first, while the writes go on.
    let open_story = wait_until(&session, Duration::from_secs(2), "the open story", |s| {
        s.lines()
            .filter_map(|l| l.split("Tick ").nth(1))
            .filter_map(|t| t.split('.').next()?.parse::<u32>().ok())
            .any(|n| n >= 5)
    });
    stop.store(true, Ordering::SeqCst);
    let writes = writer.join().unwrap();
    println!(
        "{writes} rewrites, 100 ms apart: the new file showed after {new_file:?}, \
         the open story moved on within {open_story:?} more"
    );
    session.send(&["q"]);
    session.wait_for("BYLINE-EXIT=0");
}
