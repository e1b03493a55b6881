//! Paths given on the command line, run as the real binary: one that is not
//! there or cannot be read stops every command before anything is read; a
//! folder with no article in it is said, and is not an error.

mod common;

use std::path::Path;

use common::Sandbox;

const FERRY: &str = "Island ferry fares to fall as new electric boats join the fleet";

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every command that reads paths, with `path` where its paths go.
fn commands<'a>(id: &'a str, path: &'a str) -> Vec<Vec<&'a str>> {
    vec![
        vec![path],
        vec!["list", path],
        vec!["list", "--json", path],
        vec!["show", id, path],
        vec!["search", "ferry", path],
        vec!["search", "--full-text", "ferry", path],
        vec!["check", path],
        vec!["related", id, path],
        vec!["export", "--format", "json", path],
        vec!["mark", "read", id, path],
        vec!["mark", "read", id, "--in", path],
    ]
}

#[test]
fn a_path_that_is_not_there_or_not_readable_is_an_error_naming_it() {
    let sb = Sandbox::with_library();
    let id = sb.id_of(FERRY);
    let lib = sb.library();
    let missing = sb.path().join("no-such-folder");
    let not_a_folder = lib.join("feeds/plain.txt/story.txt");
    // A data folder of its own: nothing may be read or stored before the error.
    let data = sb.path().join("untouched");
    let cases = [
        (missing.clone(), "No such file or directory"),
        (not_a_folder, "Not a directory"),
    ];
    for (path, why) in &cases {
        for args in commands(&id, s(path)) {
            let out = sb
                .cmd()
                .env("BYLINE_DATA_DIR", &data)
                .args(&args)
                .arg(&lib)
                .assert()
                .code(1);
            let output = out.get_output();
            assert_eq!(
                text(&output.stderr),
                format!("byline: {}: {why}\n", path.display()),
                "{args:?}"
            );
            assert!(
                output.stdout.is_empty(),
                "{args:?}: {}",
                text(&output.stdout)
            );
        }
    }
    assert!(!data.exists(), "a store was opened before the error");
    // Every bad path is named, each on its line.
    let other = sb.path().join("also-missing.json");
    let out = sb
        .cmd()
        .args(["list", s(&missing), s(&lib), s(&other)])
        .assert()
        .code(1);
    assert_eq!(
        text(&out.get_output().stderr),
        format!(
            "byline: {}: No such file or directory\nbyline: {}: No such file or directory\n",
            missing.display(),
            other.display()
        )
    );
}

#[test]
fn a_folder_that_cannot_be_read_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::with_library();
    let locked = sb.library().join("pages");
    let mode = |m| std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(m)).unwrap();
    mode(0o000);
    let mut cmd = sb.cmd();
    if std::fs::read_dir(&locked).is_ok() {
        // Root reads any folder: byline runs as nobody, who cannot.
        let setpriv = std::process::Command::new("setpriv")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !common::can_run(
            setpriv,
            "setpriv, to run byline as nobody (root reads any folder)",
        ) {
            mode(0o755);
            return;
        }
        cmd = assert_cmd::Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_byline"))
            .env("BYLINE_DATA_DIR", sb.data_dir())
            .env("BYLINE_CONFIG_DIR", sb.config_dir());
    }
    let out = cmd.args(["list", s(&locked)]).assert().code(1);
    mode(0o755);
    assert_eq!(
        text(&out.get_output().stderr),
        format!("byline: {}: Permission denied\n", locked.display())
    );
}

#[test]
fn a_folder_with_no_article_is_said_and_exits_0() {
    let sb = Sandbox::with_library();
    let empty = sb.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    // A folder with no article in it: said, and still not an error.
    for args in [
        vec!["list", s(&empty)],
        vec!["list", "--json", s(&empty)],
        vec!["search", "ferry", s(&empty)],
        vec!["search", "--full-text", "ferry", s(&empty)],
        vec!["check", s(&empty)],
        vec!["export", "--format", "json", s(&empty)],
        vec![s(&empty)],
    ] {
        let out = sb.cmd().args(&args).assert().success();
        let output = out.get_output();
        let said = format!("byline: no articles found in {}\n", empty.display());
        assert_eq!(text(&output.stderr), said, "{args:?}");
        let printed = text(&output.stdout);
        assert!(
            printed.is_empty() || printed == "[]\n" || printed.contains("0 stories"),
            "{args:?}: {printed}"
        );
    }
    // Next to a folder that has articles, the empty one is still named.
    let out = sb
        .cmd()
        .args(["list", s(&empty), s(&sb.library())])
        .assert()
        .success();
    assert_eq!(text(&out.get_output().stdout).lines().count(), 11);
    assert_eq!(
        text(&out.get_output().stderr),
        format!("byline: no articles found in {}\n", empty.display())
    );
    // A folder whose only file holds no story is empty too.
    let blank = sb.path().join("blank");
    std::fs::create_dir_all(&blank).unwrap();
    std::fs::write(blank.join("nothing.json"), "[]").unwrap();
    let out = sb.cmd().args(["list", s(&blank)]).assert().success();
    let stderr = text(&out.get_output().stderr);
    assert!(
        stderr.contains(&format!(
            "byline: no articles found in {}\n",
            blank.display()
        )),
        "{stderr}"
    );
}

#[test]
fn the_reader_does_not_open_on_a_missing_path() {
    if !common::tmux::available() {
        return;
    }
    let sb = Sandbox::new();
    let session = common::tmux::start_shell(&sb, "missing-path");
    let missing = sb.path().join("no-such-folder");
    session.type_text(&format!(
        "'{}' '{}'; echo EXIT-$((40+2))-$?\n",
        env!("CARGO_BIN_EXE_byline"),
        missing.display()
    ));
    let screen = session.wait_for("EXIT-42-");
    assert!(screen.contains("EXIT-42-1"), "{screen}");
    assert!(
        screen.contains(&format!(
            "byline: {}: No such file or directory",
            missing.display()
        )),
        "{screen}"
    );
}

#[test]
fn an_empty_feeds_folder_keeps_the_bundled_samples() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.data_dir().join("feeds")).unwrap();
    let listed = sb.stdout(&["list"]);
    assert!(listed.lines().count() > 3, "the samples: {listed}");
}
