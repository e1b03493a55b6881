//! JSON (one object or an array of objects) and JSON Lines.

use serde_json::Value;

use super::dates::{epoch_number, parse_date};
use super::{FileContext, Loaded, clean_field, clean_line};
use crate::article::{Article, Format, Role};

fn field<'a>(obj: &'a serde_json::Map<String, Value>, names: &[&str]) -> Option<&'a Value> {
    names
        .iter()
        .find_map(|n| obj.get(*n).filter(|v| !v.is_null()))
}

fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => ["name", "title", "text"]
            .iter()
            .find_map(|k| o.get(*k).and_then(as_text)),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(as_text).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        _ => None,
    }
}

/// Splits a body into paragraphs: HTML by its blocks; text at blank
/// lines, or at every line break when the body has no blank lines.
fn body_paragraphs(body: &str) -> Vec<String> {
    if super::html_text::looks_like_html(body) {
        return super::html_text::paragraphs(body);
    }
    let body = clean_field(body);
    if body.contains("\n\n") {
        super::plain::paragraphs(body.lines())
    } else {
        body.lines()
            .map(super::sanitize::collapse_whitespace)
            .filter(|l| !l.is_empty())
            .collect()
    }
}

/// The body's paragraphs: a string, or an array of strings.
fn paragraphs_of(obj: &serde_json::Map<String, Value>) -> Vec<String> {
    let keys = [
        "body",
        "content",
        "text",
        "content_text",
        "content_html",
        "summary",
    ];
    match field(obj, &keys) {
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(as_text)
            .flat_map(|p| body_paragraphs(&p))
            .collect(),
        Some(other) => as_text(other)
            .map(|b| body_paragraphs(&b))
            .unwrap_or_default(),
        None => Vec::new(),
    }
}

/// The tags: an array, or a comma-separated string.
fn tags_of(obj: &serde_json::Map<String, Value>) -> Vec<String> {
    match field(obj, &["tags", "categories", "keywords"]) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(as_text)
            .map(|t| clean_line(&t))
            .collect(),
        Some(Value::String(s)) => s
            .split(',')
            .map(clean_line)
            .filter(|t| !t.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

fn article_from(value: &Value, ctx: &FileContext) -> Result<Article, String> {
    let Value::Object(obj) = value else {
        return Err("not a JSON object".to_owned());
    };
    let title = field(obj, &["title", "headline", "name"])
        .and_then(as_text)
        .map(|t| clean_line(&t))
        .filter(|t| !t.is_empty())
        .ok_or("no `title`")?;
    let mut article = Article::new(title, Role::Main);
    article.paragraphs = paragraphs_of(obj);
    article.source = field(obj, &["source", "site", "publisher", "feed"])
        .and_then(as_text)
        .map(|s| clean_line(&s))
        .or_else(|| ctx.folder.clone());
    article.published = match field(
        obj,
        &["published", "date", "date_published", "pubDate", "updated"],
    ) {
        Some(Value::Number(n)) => n.as_i64().and_then(epoch_number),
        Some(v) => as_text(v).and_then(|d| parse_date(&d)),
        None => Some(ctx.modified),
    };
    article.url = field(obj, &["url", "link", "external_url"])
        .and_then(as_text)
        .map(|u| clean_line(&u));
    article.author = field(obj, &["author", "authors", "byline"])
        .and_then(as_text)
        .map(|a| clean_line(&a));
    article.standfirst = field(obj, &["standfirst", "subtitle", "description"])
        .and_then(as_text)
        .map(|s| clean_line(&s))
        .filter(|s| !s.is_empty());
    article.tags = tags_of(obj);
    Ok(article)
}

/// Parses JSON or JSON Lines. Strings are sanitised (and their character
/// references decoded) after JSON unescaping, so an escaped `\u001b` is
/// caught too.
pub fn parse(text: &str, format: Format, ctx: &FileContext) -> Loaded {
    let mut articles = Vec::new();
    let mut warnings = Vec::new();
    let mut add =
        |value: &Value, place: String, warnings: &mut Vec<String>| match article_from(value, ctx) {
            Ok(a) => articles.push(a),
            Err(e) => warnings.push(format!("{place}: skipped, {e}")),
        };
    match format {
        Format::JsonLines => {
            for (n, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str::<Value>(line) {
                    Ok(v) => add(&v, format!("line {}", n + 1), &mut warnings),
                    Err(e) => warnings.push(format!("line {}: skipped, invalid JSON ({e})", n + 1)),
                }
            }
        }
        _ => match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(items)) => {
                for (n, item) in items.iter().enumerate() {
                    add(item, format!("item {}", n + 1), &mut warnings);
                }
            }
            Ok(v) => add(&v, "object".to_owned(), &mut warnings),
            Err(e) => warnings.push(format!("invalid JSON: {e}")),
        },
    }
    Loaded::new(format, articles, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> FileContext {
        crate::test_support::ctx("feeds", "")
    }

    #[test]
    fn object_array_and_fields() {
        let text = r#"[{"title":"One","content":"Para one.\n\nPara two.","source":"Wire","published":"2026-11-20T08:30:00Z","url":"https://e.x/1","author":"Al","tags":["a","b"]},
                      {"title":"Two","text":"<p>Hi &amp; bye</p><p>Next</p>","date":"2026-11-19"}]"#;
        let loaded = parse(text, Format::Json, &ctx());
        assert!(loaded.warnings.is_empty());
        let one = &loaded.articles[0];
        assert_eq!(one.paragraphs, vec!["Para one.", "Para two."]);
        assert_eq!(one.source.as_deref(), Some("Wire"));
        assert_eq!(one.tags, vec!["a", "b"]);
        assert_eq!(
            one.published.unwrap().to_rfc3339(),
            "2026-11-20T08:30:00+00:00"
        );
        let two = &loaded.articles[1];
        assert_eq!(two.paragraphs, vec!["Hi & bye", "Next"]);
        assert_eq!(two.source.as_deref(), Some("feeds"));
    }

    #[test]
    fn millisecond_times_and_entities() {
        let text =
            r#"{"title":"Fee &#163;5m","published":1795163400000,"body":"It&rsquo;s <p>done</p>"}"#;
        let loaded = parse(text, Format::Json, &ctx());
        let a = &loaded.articles[0];
        assert_eq!(a.title, "Fee £5m");
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "2026-11-20T08:30:00+00:00"
        );
        assert_eq!(a.paragraphs, vec!["It\u{2019}s", "done"]);
    }

    #[test]
    fn jsonl_bad_line_is_a_warning_and_rest_loads() {
        let text = "{\"title\":\"A\",\"body\":\"x\"}\n{broken\n{\"body\":\"no title\"}\n{\"title\":\"B\\u001b[31m\"}\n";
        let loaded = parse(text, Format::JsonLines, &ctx());
        assert_eq!(loaded.articles.len(), 2);
        assert_eq!(loaded.warnings.len(), 2);
        assert!(loaded.warnings[0].starts_with("line 2"));
        assert!(loaded.warnings[1].contains("no `title`"));
        assert!(!loaded.articles[1].title.contains('\x1b'));
    }
}
