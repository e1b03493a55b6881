//! HTML to paragraphs: the one place byline turns markup into text, for
//! HTML pages, feed items and JSON bodies that carry HTML.
//!
//! Block elements (paragraphs, headings, quotes, list items, table rows)
//! start new paragraphs; `<br>` breaks a line; consecutive list items form
//! one paragraph with a `- ` item a line, as in plain text. Scripts,
//! styles, forms, navigation and other page furniture give no text.
//! Character references are decoded by the HTML parser.

use dom_query::{Document, NodeRef};

use super::sanitize::{collapse_whitespace, sanitize};

/// Elements whose content is never article text (a figure's caption is
/// the story's caption, taken by [`captions`]).
const SKIPPED: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "svg",
    "iframe",
    "object",
    "head",
    "menu",
    "dialog",
    "figcaption",
];

/// Elements that stand as blocks of their own.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "table",
    "tr",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "address",
    "hr",
    "details",
    "summary",
    "center",
];

/// Collects paragraphs while walking the tree.
#[derive(Default)]
struct Collector {
    paragraphs: Vec<String>,
    /// The paragraph being built, as raw text (white space not yet folded).
    current: String,
    /// List items waiting to form one paragraph.
    items: Vec<String>,
}

impl Collector {
    fn end_paragraph(&mut self) {
        let text = self
            .current
            .split('\n')
            .map(collapse_whitespace)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        self.current.clear();
        if !text.is_empty() {
            self.end_list();
            self.paragraphs.push(text);
        }
    }

    fn end_list(&mut self) {
        if !self.items.is_empty() {
            let items = std::mem::take(&mut self.items);
            self.paragraphs.push(items.join("\n"));
        }
    }

    fn walk(&mut self, node: &NodeRef) {
        if node.is_text() {
            // Line breaks in the source are white space; only <br> breaks a line.
            let text = node.text();
            self.current.extend(
                text.chars()
                    .map(|c| if c.is_whitespace() { ' ' } else { c }),
            );
            return;
        }
        if !node.is_element() {
            if node.is_document() || node.is_fragment() {
                self.children(node);
            }
            return;
        }
        let name = node
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        if SKIPPED.contains(&name.as_str()) || node.has_attr("hidden") {
            return;
        }
        match name.as_str() {
            "br" => self.current.push('\n'),
            "li" => {
                self.end_paragraph();
                let mut inner = Collector::default();
                inner.children(node);
                inner.end_paragraph();
                let text = inner.paragraphs.join(" ");
                if !text.is_empty() {
                    self.items.push(format!("- {}", collapse_whitespace(&text)));
                }
            }
            block if BLOCKS.contains(&block) => {
                self.end_paragraph();
                self.children(node);
                self.end_paragraph();
                if matches!(block, "ul" | "ol") {
                    self.end_list();
                }
            }
            _ => self.children(node),
        }
    }

    fn children(&mut self, node: &NodeRef) {
        for child in node.children_it(false) {
            self.walk(&child);
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.end_paragraph();
        self.end_list();
        self.paragraphs
    }
}

/// The paragraphs of an HTML fragment (or a whole page's body), sanitised.
pub fn paragraphs(html: &str) -> Vec<String> {
    let doc = Document::fragment(html);
    paragraphs_of(&doc.root())
}

/// The paragraphs under one node of a parsed document, sanitised.
pub fn paragraphs_of(node: &NodeRef) -> Vec<String> {
    let mut collector = Collector::default();
    collector.walk(node);
    collector
        .finish()
        .into_iter()
        .map(|p| sanitize(&p).trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The text of each figure caption (`<figcaption>`) in an HTML fragment.
pub fn captions(html: &str) -> Vec<String> {
    let doc = Document::fragment(html);
    doc.select("figcaption")
        .nodes()
        .iter()
        .map(|n| sanitize(&collapse_whitespace(&n.text())))
        .filter(|c| !c.is_empty())
        .collect()
}

/// Whether a text looks like HTML markup rather than plain text.
pub fn looks_like_html(text: &str) -> bool {
    let lower = text.get(..text.len().min(4096)).unwrap_or(text);
    [
        "<p", "<br", "<div", "</", "<li", "<h1", "<h2", "<img", "<a ",
    ]
    .iter()
    .any(|tag| lower.contains(tag) || lower.contains(&tag.to_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_paragraphs_and_lists_stay_together() {
        let html = "<p>First &amp; <b>bold</b>\n  text.</p><p>Line<br>break</p>\
                    <script>var x = 1;</script><ul><li>one</li><li>two <i>too</i></li></ul>\
                    <div>Last &rsquo;word&#8217;.</div><nav>Home | News</nav>";
        assert_eq!(
            paragraphs(html),
            vec![
                "First & bold text.",
                "Line\nbreak",
                "- one\n- two too",
                "Last \u{2019}word\u{2019}."
            ]
        );
    }

    #[test]
    fn bare_text_is_one_paragraph_and_escapes_are_sanitised() {
        assert_eq!(paragraphs("just text"), vec!["just text"]);
        // A reference to ESC makes a whole sequence, removed whole.
        assert_eq!(paragraphs("<p>a &#27;[31mred</p>"), vec!["a red"]);
        assert!(paragraphs("<script>x</script>").is_empty());
        let figure =
            "<p>Text.</p><figure><img src=x><figcaption>A pier. Photo: AP</figcaption></figure>";
        assert_eq!(paragraphs(figure), vec!["Text."]);
        assert_eq!(captions(figure), vec!["A pier. Photo: AP"]);
    }

    #[test]
    fn html_is_told_from_text() {
        assert!(looks_like_html("<p>Hi</p>"));
        assert!(!looks_like_html("3 < 4 and 5 > 2"));
    }
}
