//! Fault suite: the disk fills up under an open reader. The marks it could
//! not save go to a recovery file at quit, the reader says where and exits
//! 1, and the next start merges them back. The full disk is a small tmpfs
//! mounted over the config folder (root only; CI runs as root).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Sandbox;
use common::tmux::start;

/// A tmpfs mounted at a folder, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(at: &Path, size: &str) -> Option<Mount> {
        std::fs::create_dir_all(at).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Mount(at.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Fills the file system holding `dir` with one file; returns it.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let chunk = vec![0u8; 4096];
    while file.write_all(&chunk).is_ok() {}
    let _ = file.sync_all();
    path
}

#[test]
fn marks_that_cannot_be_saved_at_quit_are_recovered_at_the_next_start() {
    let sb = Sandbox::with_library();
    let id = sb.id_of("Snow expected on high ground");
    let mount = Mount::tmpfs(&sb.config_dir(), "64k");
    if !common::can_run(
        mount.is_some(),
        "root, to mount a small tmpfs as a full disk",
    ) || !common::tmux::available()
    {
        return;
    }
    let filler = fill(&sb.config_dir());
    let session = start(&sb, "fulldisk", 120, 40);
    session.wait_for("Snow expected");
    // Opening marks it read; the save fails, and the status bar says why.
    session.send(&["Enter"]);
    session.wait_for("No space left on device");
    session.send(&["q"]);
    let screen = session.wait_for("BYLINE-EXIT=");
    assert!(screen.contains("BYLINE-EXIT=1"), "{screen}");
    let said: String = screen
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("");
    assert!(said.contains("written to"), "{screen}");
    let recovery: Vec<PathBuf> = std::fs::read_dir(sb.data_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("marks-recovery"))
        .collect();
    assert_eq!(recovery.len(), 1, "{screen}");
    assert!(std::fs::read_to_string(&recovery[0]).unwrap().contains(&id));
    // Space again: the next start merges the marks back and says so.
    std::fs::remove_file(filler).unwrap();
    let out = sb
        .cmd()
        .args(["list", "--unread", sb.library().to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("merged 1 mark from"), "{stderr}");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains(&id),
        "read now"
    );
    assert!(!recovery[0].exists(), "merged and saved, the file goes");
    let state = std::fs::read_to_string(sb.config_dir().join("state.json")).unwrap();
    assert!(state.contains(&id), "{state}");
    drop(session);
    drop(mount);
}
