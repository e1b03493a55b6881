//! Finding a site's feed from one of its pages: `<link rel="alternate">`
//! with an RSS, Atom or JSON Feed type, its address made absolute.

use url::Url;

const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "text/xml",
    "application/xml",
];

/// The feeds a page links to, best first (RSS and Atom before the rest).
pub fn feed_links(html: &str, page: &str) -> Vec<String> {
    let Ok(base) = Url::parse(page) else {
        return Vec::new();
    };
    let doc = dom_query::Document::from(html);
    let mut found: Vec<(usize, String)> = Vec::new();
    for link in doc.select("link[href]").iter() {
        let rel = link
            .attr("rel")
            .map(|r| r.to_ascii_lowercase())
            .unwrap_or_default();
        if !rel.split_whitespace().any(|r| r == "alternate") {
            continue;
        }
        let kind = link
            .attr("type")
            .map(|t| t.trim().to_ascii_lowercase())
            .unwrap_or_default();
        let Some(rank) = FEED_TYPES.iter().position(|t| *t == kind) else {
            continue;
        };
        let Some(href) = link.attr("href") else {
            continue;
        };
        if let Ok(url) = base.join(href.trim()) {
            let url = url.to_string();
            if !found.iter().any(|(_, u)| *u == url) {
                found.push((rank, url));
            }
        }
    }
    found.sort_by_key(|(rank, _)| *rank);
    found.into_iter().map(|(_, u)| u).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternate_links_are_found_and_made_absolute() {
        let html = r#"<html><head>
            <link rel="stylesheet" href="/s.css">
            <link rel="alternate" type="application/feed+json" href="/feed.json">
            <link rel="alternate" type="application/rss+xml" title="RSS" href="rss.xml">
            <link rel="alternate" hreflang="fr" href="/fr/">
            </head><body>x</body></html>"#;
        assert_eq!(
            feed_links(html, "https://news.example/world/index.html"),
            [
                "https://news.example/world/rss.xml",
                "https://news.example/feed.json"
            ]
        );
        assert!(feed_links("<p>no head</p>", "https://x.example/").is_empty());
    }
}
