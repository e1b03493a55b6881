//! The house's imports run one way, from the bottom up: each module of
//! `src/` may use only the modules below it in [`ORDER`], never one above
//! (so there are no import circles). And the app is plain state: nothing
//! under `src/app` or `src/ui` can reach the store or the state file.

use std::path::Path;

/// The modules of the library, lowest first.
const ORDER: &[&str] = &[
    "tokens", "fold", "fmt", "atomic", "article", "terms", "minhash", "lsh", "loader", "store",
    "search", "related", "state", "feeds", "view", "render", "samples", "export", "effect",
    "input", "theme", "config", "jobs", "app", "ui", "tui", "cli",
];

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
}

/// The code of a file without its comments and its unit tests.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap();
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level module a file of `src/` belongs to.
fn module_of(src: &Path, file: &str) -> String {
    let rel = Path::new(file).strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

/// The modules `code` names as `crate::<module>`.
fn uses(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        // `byline_crate::` and the like are not paths into this crate.
        if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

#[test]
fn imports_run_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let rank = |m: &str| ORDER.iter().position(|o| *o == m);
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (file, text) in &files {
        let module = module_of(&src, file);
        let Some(own) = rank(&module) else {
            assert!(
                ["lib", "main", "test_support"].contains(&module.as_str()),
                "{file}: module `{module}` has no place in ORDER"
            );
            continue;
        };
        if file.ends_with("tests.rs") {
            continue; // a test module may use anything below it and the test helpers
        }
        for used in uses(&code(text)) {
            checked += 1;
            match rank(&used) {
                Some(r) if r > own => {
                    wrong.push(format!("{file}: `{module}` uses `{used}`, above it"))
                }
                Some(_) => {}
                None => wrong.push(format!(
                    "{file}: uses `{used}`, which has no place in ORDER"
                )),
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} imports seen: is the scan broken?"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_app_and_the_screen_cannot_read_or_write_anything() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src.join("app"), &mut files);
    sources(&src.join("ui"), &mut files);
    assert!(files.len() > 10);
    for (file, text) in &files {
        if file.ends_with("tests.rs") {
            continue;
        }
        let code = code(text);
        for handle in [
            "Store",
            "state::Marks",
            "SimilarIndex",
            "std::fs",
            "std::process",
            "std::thread",
            "std::net",
        ] {
            let found = code.match_indices(handle).any(|(at, _)| {
                let after = code[at + handle.len()..].chars().next();
                !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            assert!(!found, "{file} names `{handle}`: the app does no I/O");
        }
    }
}

#[test]
fn the_scan_sees_what_it_is_for() {
    assert_eq!(
        uses("use crate::store::Store;\nlet x = crate::fmt::count(1); my_crate::x"),
        ["store", "fmt"]
    );
    assert_eq!(
        code("use a;\n// crate::ui\n#[cfg(test)]\nmod tests { crate::ui }"),
        "use a;"
    );
}
