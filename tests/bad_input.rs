//! Bad input: every broken file is reported with its reason and skipped,
//! everything else loads, and nothing hangs.

mod common;

use std::path::Path;

use common::Sandbox;

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
}

/// A library of good files beside every kind of bad one.
fn hostile_library(sb: &Sandbox) -> std::path::PathBuf {
    let lib = sb.path().join("hostile");
    std::fs::create_dir_all(lib.join("sub")).unwrap();
    write(&lib.join("good.txt"), b"A good story\n\nIt loads.\n");
    write(&lib.join("empty.txt"), b"");
    write(&lib.join("blank.txt"), b"  \n\n\t \n");
    write(&lib.join("image.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0");
    write(
        &lib.join("latin1.txt"),
        b"Mutu signs for \xA315.8m\n\nThe fee was \xA315.8m in all.\n",
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Wide story \u{6DF1}\u{5733}\n\nIn UTF-16.\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    write(&lib.join("utf16.txt"), &utf16);
    write(&lib.join("bom.txt"), b"\xEF\xBB\xBFBom story\n\nText.\n");
    write(
        &lib.join("escapes.txt"),
        b"Title \x1b[31mred\x1b[0m and \x1b]0;pwned\x07 done\n\nBody \x9b2J with \xe2\x80\xae bidi and text after.\n",
    );
    write(
        &lib.join("mixed.jsonl"),
        b"{\"title\":\"Feed item one\"}\n{oops\n{\"title\":\"Feed item two\"}\n",
    );
    let big = std::fs::File::create(lib.join("huge.txt")).unwrap();
    big.set_len(17 << 20).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::os::unix::fs::symlink(&lib, lib.join("sub/loop")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", lib.join("zero")).unwrap();
        std::os::unix::fs::symlink(lib.join("gone.txt"), lib.join("dangling.txt")).unwrap();
        let fifo = lib.join("pipe");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let name = std::ffi::OsStr::from_bytes(b"name\x1b[2Jwith escape.txt");
        write(&lib.join(name), b"Escaped name story\n\nFine.\n");
    }
    lib
}

#[test]
fn check_reports_each_bad_file_and_loads_the_rest() {
    let sb = Sandbox::new();
    let lib = hostile_library(&sb);
    let out = sb.cmd().args(["check"]).arg(&lib).assert().code(1);
    let stdout = out.get_output().stdout.clone();
    assert!(!stdout.contains(&0x1b), "an escape byte reached the output");
    let text = String::from_utf8(stdout).unwrap();
    let line = |name: &str| -> String {
        text.lines()
            .find(|l| l.contains(&format!("/{name}")))
            .unwrap_or_else(|| panic!("no line for {name}:\n{text}"))
            .to_owned()
    };
    assert!(line("empty.txt").starts_with("skip") && line("empty.txt").ends_with("empty file"));
    assert!(line("blank.txt").ends_with("only white space"));
    assert!(line("image.png").contains("binary file"));
    assert!(line("huge.txt").contains("larger than the 16 MiB limit"));
    // Not UTF-8, and decoded whole in the encoding it is in, said in the line.
    assert!(
        line("latin1.txt").starts_with("ok") && line("latin1.txt").contains("windows-1252"),
        "{}",
        line("latin1.txt")
    );
    assert!(line("utf16.txt").starts_with("ok"));
    assert!(line("bom.txt").starts_with("ok"));
    assert!(line("mixed.jsonl").starts_with("warn") && line("mixed.jsonl").contains("line 2"));
    #[cfg(unix)]
    {
        assert!(line("loop").contains("symlink loop"), "{text}");
        assert!(line("zero").contains("a device"));
        assert!(line("pipe").contains("a FIFO"));
        assert!(line("dangling.txt").starts_with("skip"));
        // The escape sequence in the name is removed whole when shown.
        assert!(line("namewith escape.txt").starts_with("ok"));
    }
    assert!(text.contains("skipped"), "{text}");

    let titles = sb.stdout(&["list", lib.to_str().unwrap()]);
    for title in [
        "A good story",
        "Mutu signs for £15.8m",
        "Wide story 深圳",
        "Bom story",
        "Feed item one",
        "Feed item two",
    ] {
        assert!(titles.contains(title), "{title} missing:\n{titles}");
    }
    // Complete escape sequences are removed whole.
    assert!(titles.contains("Title red and done"), "{titles}");
    #[cfg(unix)]
    assert!(titles.contains("Escaped name story"));
}

#[test]
fn escapes_in_text_never_reach_the_output() {
    let sb = Sandbox::new();
    let lib = hostile_library(&sb);
    let list = sb
        .cmd()
        .args(["list", "--json"])
        .arg(&lib)
        .assert()
        .success();
    let stories: serde_json::Value = serde_json::from_slice(&list.get_output().stdout).unwrap();
    let escaped = stories
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"].as_str().unwrap().starts_with("Title "))
        .unwrap();
    let id = escaped["id"].as_str().unwrap();
    let show = sb.cmd().args(["show", id]).arg(&lib).assert().success();
    let bytes = &show.get_output().stdout;
    assert!(!bytes.contains(&0x1b) && !bytes.contains(&0x07));
    let text = String::from_utf8_lossy(bytes);
    assert!(!text.contains('\u{9b}') && !text.contains('\u{202e}'));
    assert!(text.contains("bidi and text after."), "{text}");
}

#[test]
fn missing_path_is_an_error_and_nothing_is_read() {
    let sb = Sandbox::with_library();
    let missing = sb.path().join("no-such-folder");
    let out = sb
        .cmd()
        .arg("check")
        .arg(&missing)
        .arg(sb.library())
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert_eq!(
        stderr,
        format!("byline: {}: No such file or directory\n", missing.display())
    );
    assert!(out.get_output().stdout.is_empty());
}
