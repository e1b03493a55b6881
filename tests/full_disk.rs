//! Fault suite: the disk fills up under an open reader. The marks it could
//! not save go to a recovery file at quit, the reader says where and exits
//! 1, and the next start merges them back. The full disk is a small tmpfs
//! mounted over the config folder (root only; CI runs as root); elsewhere
//! the config folder is made read-only, which fails the save the same way.

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
            .stderr(std::process::Stdio::null())
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

/// The config folder made unable to take the state file: a full tmpfs
/// where mounting is allowed, else a read-only folder (which root could
/// still write to, so it is only used when it really refuses).
enum Blocked {
    Full { _mount: Mount, filler: PathBuf },
    ReadOnly(PathBuf),
}

impl Blocked {
    fn new(dir: &Path) -> Option<(Blocked, &'static str)> {
        if let Some(mount) = Mount::tmpfs(dir, "64k") {
            let filler = fill(dir);
            let blocked = Blocked::Full {
                _mount: mount,
                filler,
            };
            return Some((blocked, "No space left on device"));
        }
        use std::os::unix::fs::PermissionsExt;
        std::fs::create_dir_all(dir).ok()?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).ok()?;
        let blocked = Blocked::ReadOnly(dir.to_path_buf());
        if std::fs::write(dir.join("probe"), "x").is_ok() {
            let _ = std::fs::remove_file(dir.join("probe"));
            return None;
        }
        Some((blocked, "Permission denied"))
    }

    /// Gives the folder its space back.
    fn free(&self) {
        use std::os::unix::fs::PermissionsExt;
        match self {
            Blocked::Full { filler, .. } => std::fs::remove_file(filler).unwrap(),
            Blocked::ReadOnly(dir) => {
                std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap()
            }
        }
    }
}

impl Drop for Blocked {
    fn drop(&mut self) {
        if let Blocked::ReadOnly(_) = self {
            self.free();
        }
    }
}

#[test]
fn marks_that_cannot_be_saved_at_quit_are_recovered_at_the_next_start() {
    let sb = Sandbox::with_library();
    let id = sb.id_of("Snow expected on high ground");
    let blocked = Blocked::new(&sb.config_dir());
    if !common::can_run(
        blocked.is_some(),
        "a small tmpfs (root) or a folder that refuses writes (not root)",
    ) || !common::tmux::available()
    {
        return;
    }
    let (blocked, why) = blocked.unwrap();
    let session = start(&sb, "fulldisk", 120, 40);
    session.wait_for("Snow expected");
    // Opening marks it read; the save fails, and the status bar says why.
    session.send(&["Enter"]);
    session.wait_for(why);
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
    blocked.free();
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
    drop(blocked);
}
