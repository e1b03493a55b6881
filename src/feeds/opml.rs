//! OPML 2.0, the feed readers' exchange format: `byline feed import` reads
//! every `<outline xmlUrl=…>` (at any depth; a folder's title becomes a
//! tag), `byline feed export` writes one outline a feed.

use quick_xml::Reader;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::writer::Writer;

use super::Feed;

/// The feeds an OPML document lists. DTDs and entities are not expanded.
pub fn read(text: &str) -> Result<Vec<Feed>, String> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut feeds = Vec::new();
    // The titles of the outlines that hold the current one (folders).
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut saw_opml = false;
    loop {
        let event = reader.read_event().map_err(|e| format!("not OPML: {e}"))?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "opml" => saw_opml = true,
            Event::Start(e) if e.name().as_ref() == "outline" => {
                if let (title, Some(url)) = outline(&e)? {
                    feeds.push(feed_of(title, url, &folders));
                }
                folders.push(outline_title(&e)?);
            }
            Event::Empty(e) if e.name().as_ref() == "outline" => {
                if let (title, Some(url)) = outline(&e)? {
                    feeds.push(feed_of(title, url, &folders));
                }
            }
            Event::End(e) if e.name().as_ref() == "outline" => {
                folders.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_opml {
        return Err("not OPML: no <opml> element".to_owned());
    }
    Ok(feeds)
}

fn attr(e: &BytesStart, name: &str) -> Result<Option<String>, String> {
    for a in e.attributes() {
        let a = a.map_err(|e| format!("bad attribute: {e}"))?;
        if a.key.as_ref() == name {
            let v = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| format!("bad attribute value: {e}"))?;
            return Ok(Some(v.trim().to_owned()).filter(|v| !v.is_empty()));
        }
    }
    Ok(None)
}

fn outline_title(e: &BytesStart) -> Result<Option<String>, String> {
    Ok(attr(e, "title")?.or(attr(e, "text")?))
}

/// An outline's title and feed URL (None for a folder).
fn outline(e: &BytesStart) -> Result<(Option<String>, Option<String>), String> {
    Ok((outline_title(e)?, attr(e, "xmlUrl")?))
}

fn feed_of(title: Option<String>, url: String, folders: &[Option<String>]) -> Feed {
    Feed {
        name: title.unwrap_or_else(|| url.clone()),
        url,
        tags: folders
            .iter()
            .flatten()
            .map(|f| crate::state::clean_tag(f))
            .filter(|t| !t.is_empty())
            .collect(),
        full_text: false,
        max_items: None,
    }
}

/// An OPML 2.0 document with one outline a feed.
pub fn write<'a>(feeds: impl IntoIterator<Item = &'a Feed>) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let _ = writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    let _ = writer.write_event(Event::Start(
        BytesStart::new("opml").with_attributes([("version", "2.0")]),
    ));
    let _ = writer.write_event(Event::Start(BytesStart::new("head")));
    let _ = writer.write_event(Event::Start(BytesStart::new("title")));
    let _ = writer.write_event(Event::Text(BytesText::new("byline feeds")));
    let _ = writer.write_event(Event::End(BytesEnd::new("title")));
    let _ = writer.write_event(Event::End(BytesEnd::new("head")));
    let _ = writer.write_event(Event::Start(BytesStart::new("body")));
    for feed in feeds {
        let kind = if feed.url.to_ascii_lowercase().ends_with(".json") {
            "json"
        } else {
            "rss"
        };
        let outline = BytesStart::new("outline").with_attributes([
            ("type", kind),
            ("text", feed.name.as_str()),
            ("title", feed.name.as_str()),
            ("xmlUrl", feed.url.as_str()),
        ]);
        let _ = writer.write_event(Event::Empty(outline));
    }
    let _ = writer.write_event(Event::End(BytesEnd::new("body")));
    let _ = writer.write_event(Event::End(BytesEnd::new("opml")));
    let mut out = String::from_utf8(writer.into_inner()).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_trip_keeps_every_feed_and_folders_become_tags() {
        let text = r#"<?xml version="1.0"?>
<opml version="2.0"><head><title>mine</title></head><body>
  <outline text="Tech">
    <outline type="rss" text="Ars &amp; more" xmlUrl="https://ars.example/rss"/>
  </outline>
  <outline type="rss" title="Tide Times" text="tides" xmlUrl="https://tide.example/feed.xml"></outline>
  <outline text="empty folder"/>
</body></opml>"#;
        let feeds = read(text).unwrap();
        assert_eq!(feeds.len(), 2);
        assert_eq!(feeds[0].name, "Ars & more");
        assert_eq!(feeds[0].tags, ["tech"]);
        assert_eq!(feeds[1].name, "Tide Times");
        assert!(feeds[1].tags.is_empty());
        let again = read(&write(&feeds)).unwrap();
        assert_eq!(
            again.iter().map(|f| (&f.name, &f.url)).collect::<Vec<_>>(),
            feeds.iter().map(|f| (&f.name, &f.url)).collect::<Vec<_>>()
        );
        assert!(read("<html></html>").is_err());
    }
}
