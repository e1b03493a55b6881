//! HTTP for feeds, by ureq (rustls): gzip and brotli, a connect and a
//! total timeout, a cap on the body that stops the download, redirects
//! followed by hand (at most five, so that a permanent move can update the
//! feed's URL), conditional GET, and Retry-After read. Only http and https.

use std::time::Duration;

use chrono::{DateTime, Utc};
use url::Url;

/// How a fetch is done; the defaults are the documented ones.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub connect_timeout: Duration,
    pub total_timeout: Duration,
    /// Bytes of body (after decompression) past which the download stops.
    pub max_bytes: u64,
    pub max_redirects: usize,
}

impl Default for HttpSettings {
    fn default() -> HttpSettings {
        HttpSettings {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            max_bytes: 20 * 1024 * 1024,
            max_redirects: 5,
        }
    }
}

/// "byline/0.1.0 (+https://…)".
pub fn user_agent() -> String {
    format!(
        "byline/{} (+{})",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_HOMEPAGE")
    )
}

/// Why a fetch failed, for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    #[error("HTTP {status}{}", retry_after.map(|s| format!(" (retry after {s} s)")).unwrap_or_default())]
    Status {
        status: u16,
        /// Seconds, from a Retry-After header.
        retry_after: Option<i64>,
    },
    #[error("the response is larger than {} MB: stopped reading", .0 / (1024 * 1024))]
    TooBig(u64),
    #[error("timed out ({0})")]
    Timeout(String),
    #[error("more than {0} redirects (a loop?)")]
    TooManyRedirects(usize),
    #[error("{0}")]
    BadUrl(String),
    #[error("{0}")]
    Network(String),
    #[error("not a feed: {0}")]
    NotAFeed(String),
    /// Reading a local feed file, or writing the items.
    #[error("{0}")]
    Files(String),
}

impl HttpError {
    pub fn retry_after(&self) -> Option<i64> {
        match self {
            HttpError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// A response worth reading: a body, or "not modified".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    NotModified,
    Fresh {
        bytes: Vec<u8>,
        content_type: Option<String>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

/// The answer to a GET, after its redirects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub body: Body,
    /// Where the response came from.
    pub url: String,
    /// Where the resource now lives for good, when every redirect on the
    /// way was permanent (301 or 308).
    pub moved_to: Option<String>,
}

/// One client for a whole fetch: its connections are shared.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    settings: HttpSettings,
}

/// A URL byline may fetch: http or https only.
pub fn web_url(text: &str) -> Result<Url, HttpError> {
    let url = Url::parse(text.trim()).map_err(|e| HttpError::BadUrl(format!("{text}: {e}")))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(HttpError::BadUrl(format!(
            "{text}: only http and https are fetched, not {other}"
        ))),
    }
}

impl Client {
    pub fn new(settings: HttpSettings) -> Client {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(settings.connect_timeout))
            .timeout_global(Some(settings.total_timeout))
            .max_redirects(0)
            .max_redirects_will_error(false)
            .http_status_as_error(false)
            .user_agent(user_agent())
            .build()
            .into();
        Client { agent, settings }
    }

    /// GETs `url`, sending the validators of the last fetch.
    pub fn get(
        &self,
        url: &str,
        etag: Option<&str>,
        modified: Option<&str>,
    ) -> Result<Fetched, HttpError> {
        let started = std::time::Instant::now();
        let mut at = web_url(url)?;
        let mut permanent = true;
        for _ in 0..=self.settings.max_redirects {
            let mut request = self.agent.get(at.as_str());
            if let Some(etag) = etag {
                request = request.header("If-None-Match", etag);
            }
            if let Some(modified) = modified {
                request = request.header("If-Modified-Since", modified);
            }
            // The total timeout covers the whole chain of redirects.
            let left = self
                .settings
                .total_timeout
                .saturating_sub(started.elapsed());
            if left.is_zero() {
                return Err(HttpError::Timeout(format!(
                    "{} s in all",
                    self.settings.total_timeout.as_secs()
                )));
            }
            let mut response = request
                .config()
                .timeout_global(Some(left))
                .build()
                .call()
                .map_err(from_ureq)?;
            let status = response.status().as_u16();
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            if (300..400).contains(&status) && status != 304 {
                let Some(location) = header("location") else {
                    return Err(HttpError::Status {
                        status,
                        retry_after: None,
                    });
                };
                permanent &= matches!(status, 301 | 308);
                let next = at
                    .join(&location)
                    .map_err(|e| HttpError::BadUrl(format!("redirect to {location}: {e}")))?;
                at = web_url(next.as_str())?;
                continue;
            }
            let moved_to =
                (permanent && at.as_str() != web_url(url)?.as_str()).then(|| at.to_string());
            if status == 304 {
                return Ok(Fetched {
                    body: Body::NotModified,
                    url: at.to_string(),
                    moved_to,
                });
            }
            if !(200..300).contains(&status) {
                return Err(HttpError::Status {
                    status,
                    retry_after: header("retry-after")
                        .and_then(|v| retry_after_secs(&v, Utc::now())),
                });
            }
            let (content_type, etag, last_modified) = (
                header("content-type"),
                header("etag"),
                header("last-modified"),
            );
            let bytes = response
                .body_mut()
                .with_config()
                .limit(self.settings.max_bytes)
                .read_to_vec()
                .map_err(|e| match e {
                    ureq::Error::BodyExceedsLimit(n) => HttpError::TooBig(n),
                    other => from_ureq(other),
                })?;
            return Ok(Fetched {
                body: Body::Fresh {
                    bytes,
                    content_type,
                    etag,
                    last_modified,
                },
                url: at.to_string(),
                moved_to,
            });
        }
        Err(HttpError::TooManyRedirects(self.settings.max_redirects))
    }
}

fn from_ureq(error: ureq::Error) -> HttpError {
    match error {
        ureq::Error::Timeout(what) => HttpError::Timeout(what.to_string()),
        ureq::Error::BodyExceedsLimit(n) => HttpError::TooBig(n),
        ureq::Error::Io(e) => HttpError::Network(e.to_string()),
        other => HttpError::Network(other.to_string()),
    }
}

/// Retry-After: delay seconds, or an HTTP date.
pub fn retry_after_secs(value: &str, now: DateTime<Utc>) -> Option<i64> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<i64>() {
        return Some(secs.max(0));
    }
    DateTime::parse_from_rfc2822(value)
        .ok()
        .map(|t| (t.with_timezone(&Utc) - now).num_seconds().max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls_are_fetched() {
        assert!(web_url("https://example.com/feed").is_ok());
        assert!(web_url("http://127.0.0.1:8080/x").is_ok());
        for bad in [
            "file:///etc/passwd",
            "ftp://x/y",
            "javascript:alert(1)",
            "not a url",
        ] {
            assert!(matches!(web_url(bad), Err(HttpError::BadUrl(_))), "{bad}");
        }
    }

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        let now = DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(retry_after_secs("120", now), Some(120));
        assert_eq!(
            retry_after_secs("Fri, 27 Nov 2026 10:05:00 GMT", now),
            Some(300)
        );
        assert_eq!(retry_after_secs("soon", now), None);
        assert!(user_agent().starts_with("byline/"));
    }
}
