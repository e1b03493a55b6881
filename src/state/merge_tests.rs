//! Tags and extras go through the same load, merge and save as marks.

use super::*;

fn id(s: &str) -> ArticleId {
    ArticleId::from_raw(s)
}

#[test]
fn tags_are_saved_and_merged_with_another_instance() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Marks::load(dir.path());
    let mut b = Marks::load(dir.path());
    let mut mark = a.get(&id("one"));
    assert!(mark.add_tag(" Long Read "));
    assert!(!mark.add_tag("long read"), "one tag once, cleaned");
    a.set(&id("one"), mark);
    a.save().unwrap();
    let mut other = b.get(&id("two"));
    other.add_tag("later");
    b.set(&id("two"), other);
    assert!(b.save().unwrap(), "a's tag came in");
    let back = Marks::load(dir.path());
    assert_eq!(back.get(&id("one")).tags, ["long-read"]);
    assert_eq!(back.get(&id("two")).tags, ["later"]);
    assert_eq!(
        back.set_of_marks().tags(),
        [("later".to_owned(), 1), ("long-read".to_owned(), 1)]
    );
    // Removing the last tag of an otherwise unmarked story forgets it.
    let mut b = back;
    let mut mark = b.get(&id("two"));
    assert!(mark.remove_tag("later"));
    b.set(&id("two"), mark);
    b.save().unwrap();
    let text = std::fs::read_to_string(dir.path().join(STATE_FILE)).unwrap();
    assert!(!text.contains("two"), "{text}");
}

#[test]
fn a_version_2_file_reads_with_no_tags_and_is_written_as_version_3() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(STATE_FILE),
        r#"{"version":2,"stories":{"abc":{"read":true,"saved":true}}}"#,
    )
    .unwrap();
    let mut marks = Marks::load(dir.path());
    assert!(marks.take_notices().is_empty());
    let mark = marks.get(&id("abc"));
    assert!(mark.read && mark.saved && mark.tags.is_empty());
    let mut mark = mark;
    mark.add_tag("x");
    marks.set(&id("abc"), mark);
    marks.save().unwrap();
    let text = std::fs::read_to_string(dir.path().join(STATE_FILE)).unwrap();
    assert!(text.starts_with(r#"{"version":3"#), "{text}");
    assert!(text.contains(r#""tags":["x"]"#), "{text}");
}

#[test]
fn the_session_history_and_saved_queries_merge_between_instances() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Marks::load(dir.path());
    let mut b = Marks::load(dir.path());
    a.change_extras(ExtraChange::Searched("ferry".into()));
    a.change_extras(ExtraChange::KeepQuery("china hackers".into()));
    a.save().unwrap();
    b.change_extras(ExtraChange::Searched("harbour".into()));
    let session = Session {
        view: "unread".into(),
        filter: Some(Filter::Source("Courier".into())),
        scroll: 12,
        ..Session::default()
    };
    b.change_extras(ExtraChange::Session(session.clone()));
    b.save().unwrap();
    let back = Marks::load(dir.path());
    let extras = back.extras();
    assert_eq!(extras.history, ["ferry", "harbour"]);
    assert_eq!(extras.queries, ["china hackers"]);
    assert_eq!(extras.session.as_ref(), Some(&session));
}
