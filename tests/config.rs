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
fn a_mistake_costs_only_its_setting_never_the_library() {
    let sb = Sandbox::with_library();
    let feeds = sb.library().join("feeds");
    let path = sb.config_dir().join("config.toml");
    write_config(
        &sb,
        &format!(
            "library = [{:?}]\n[reader]\njustfy = true\ntext_width = 7x\n[keys]\nfly = \"f\"\nquit = \"x\"\n",
            feeds.to_str().unwrap()
        ),
    );
    // No path given: the configured library is read, whatever else is wrong.
    let out = sb.cmd().arg("list").assert().success();
    let listed = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert_eq!(listed.lines().count(), 8, "{listed}");
    assert!(
        !sb.data_dir().join("samples").exists(),
        "the samples were read"
    );
    // Every problem is said, with its line, and only those settings go.
    let expected = [
        (3, "unknown field `justfy`"),
        (4, "string values must be quoted"),
        (6, "unknown action `fly`"),
    ];
    for command in [&["list"][..], &["config"]] {
        let out = sb.cmd().args(command).assert();
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        let said: Vec<&str> = stderr.lines().collect();
        assert_eq!(said.len(), expected.len(), "{command:?}: {stderr}");
        for (line, (number, message)) in said.iter().zip(expected) {
            let start = format!("byline: {} line {number}: {message}", path.display());
            assert!(
                line.starts_with(&start) && line.ends_with("; that setting is ignored"),
                "{command:?}: {line}"
            );
        }
    }
    sb.cmd().arg("config").assert().code(1);
}

#[test]
fn the_reader_says_the_config_problems() {
    if !common::tmux::available() {
        return;
    }
    let sb = Sandbox::with_library();
    write_config(
        &sb,
        "[reader]\njustfy = true\n[keys]\nfly = \"f\"\nquit = \"x\"\n",
    );
    let session = common::tmux::start(&sb, "config-problems", 250, 30);
    let screen = session.wait_for("2 settings ignored (`byline config` lists them)");
    assert!(
        screen.contains("line 2: unknown field `justfy`"),
        "{screen}"
    );
    // The good setting applies: x quits, q no longer does.
    session.send(&["q"]);
    session.send(&["x"]);
    let screen = session.wait_for("BYLINE-EXIT=");
    assert!(screen.contains("BYLINE-EXIT=0"), "{screen}");
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
