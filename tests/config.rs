//! config.toml, `byline config`, and the shell integration commands, run as
//! the real binary.

mod common;

use common::Sandbox;
use predicates::prelude::*;

fn write_config(sb: &Sandbox, text: &str) {
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::write(sb.config_dir().join("config.toml"), text).unwrap();
}

#[test]
fn config_path_and_check() {
    let sb = Sandbox::new();
    let path = sb.config_dir().join("config.toml");
    assert_eq!(
        sb.stdout(&["config", "--path"]).trim(),
        path.to_str().unwrap()
    );
    assert!(
        sb.stdout(&["config"])
            .contains("not there; the defaults apply")
    );
    write_config(&sb, "[reader]\njustify = true\n");
    assert_eq!(
        sb.stdout(&["config"]).trim(),
        format!("{}: ok", path.display())
    );
}

#[test]
fn the_default_file_names_every_setting_and_uncommented_is_valid() {
    let sb = Sandbox::new();
    let default = sb.stdout(&["config", "--default"]);
    for action in ["quit", "open_link", "copy_text", "export", "toggle_sidebar"] {
        assert!(default.contains(&format!("# {action} = [")), "{action}");
    }
    for part in ["border", "selected", "matched", "status", "warn"] {
        assert!(default.contains(&format!("# {part} = \"")), "{part}");
    }
    for setting in [
        "mark_read_on_open",
        "text_width",
        "justify",
        "show_sidebar",
        "date_format",
    ] {
        assert!(default.contains(&format!("# {setting} = ")), "{setting}");
    }
    // Every "# name = value" line uncommented: still a good config.
    let uncommented: String = default
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(rest)
                if rest
                    .split_once(" = ")
                    .is_some_and(|(k, _)| !k.contains(' ')) =>
            {
                let rest = rest
                    .split("   #")
                    .next()
                    .unwrap()
                    .split("  #")
                    .next()
                    .unwrap();
                format!("{rest}\n")
            }
            _ => format!("{line}\n"),
        })
        .collect::<String>()
        .replace("library = [\"~/news\", \"/srv/feeds/today.jsonl\"]\n", "");
    for line in [
        "\nquit = [\"q\"]",
        "\ntitle = \"white\"",
        "\njustify = false",
        "\nbase = \"dark\"",
    ] {
        assert!(uncommented.contains(line), "{line} in:\n{uncommented}");
    }
    write_config(&sb, &uncommented);
    sb.cmd()
        .arg("config")
        .assert()
        .success()
        .stdout(predicate::str::ends_with(": ok\n"));
}

#[test]
fn bad_settings_are_named_with_their_line() {
    let sb = Sandbox::new();
    let cases = [
        (
            "[keys]\nquit = \"ctrl-q\"\nfly = [\"x\"]\n",
            "line 3: unknown action `fly`",
        ),
        (
            "\n[keys]\ntop = [\"g g\", \"hyper-x\"]\n",
            "line 3: unknown key name `hyper-x`",
        ),
        (
            "[theme]\nbase = \"neon\"\n",
            "line 2: unknown theme `neon` (the built-in ones are dark and light)",
        ),
        (
            "[theme]\ntitle = \"reddish\"\n",
            "line 2: `reddish` is not a colour",
        ),
        (
            "[theme]\ntitel = \"red\"\n",
            "line 2: unknown part `titel` of the screen",
        ),
        (
            "[reader]\ndate_format = \"%Q\"\n",
            "line 2: `%Q` is not a date format",
        ),
        (
            "[reader]\nwidth = 3\n",
            "unknown field `width`, expected one of `mark_read_on_open`",
        ),
        (
            "library = 3\n",
            "invalid type: integer `3`, expected a sequence",
        ),
    ];
    for (text, message) in cases {
        write_config(&sb, text);
        let expected = format!("byline: {}", sb.config_dir().join("config.toml").display());
        sb.cmd()
            .arg("config")
            .assert()
            .code(1)
            .stderr(predicate::str::starts_with(expected).and(predicate::str::contains(message)));
    }
}

#[test]
fn a_broken_config_never_stops_byline() {
    let sb = Sandbox::with_library();
    write_config(&sb, "library = [\"library\"]\n[keys]\nfly = \"x\"\n");
    // No path given: the configured library would be read, but the file is
    // broken, so the defaults apply (the bundled samples), with a message.
    sb.cmd()
        .arg("list")
        .assert()
        .success()
        .stderr(
            predicate::str::contains("unknown action `fly`")
                .and(predicate::str::contains("using the defaults")),
        )
        .stdout(predicate::str::is_empty().not());
}

#[test]
fn completions_manpage_and_version() {
    let sb = Sandbox::new();
    let bash = sb.stdout(&["completions", "bash"]);
    assert!(
        bash.contains("complete -F") && bash.contains("byline"),
        "{bash}"
    );
    for shell in ["zsh", "fish"] {
        let out = sb.stdout(&["completions", shell]);
        assert!(
            out.contains("search") && out.contains("--full-text"),
            "{shell}"
        );
    }
    let man = sb.stdout(&["manpage"]);
    assert!(
        man.starts_with(".ie") || man.contains(".TH byline"),
        "{}",
        &man[..200.min(man.len())]
    );
    assert!(man.contains("search"));
    let version = sb.stdout(&["--version"]);
    assert_eq!(
        version.trim(),
        format!("byline {}", env!("CARGO_PKG_VERSION"))
    );
    sb.cmd().args(["completions", "tcsh-ish"]).assert().code(2);
}
