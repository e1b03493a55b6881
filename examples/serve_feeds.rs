//! A small static file server for the fetch benchmark: serves a folder on
//! 127.0.0.1 from several threads, with an ETag and a Last-Modified on
//! every file and a 304 for a request that already has it (as a feed host
//! would). Prints the port, then serves until killed.
//!
//!     cargo run --release --example serve_feeds -- DIR

use std::sync::Arc;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: serve_feeds DIR");
    let dir = std::path::PathBuf::from(dir);
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1"));
    println!(
        "{}",
        server.server_addr().to_ip().expect("an IP address").port()
    );
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (server, dir) = (server.clone(), dir.clone());
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    answer(&dir, request);
                }
            })
        })
        .collect();
    for t in threads {
        let _ = t.join();
    }
}

fn answer(dir: &std::path::Path, request: tiny_http::Request) {
    let name = request.url().trim_start_matches('/').to_owned();
    let path = dir.join(&name);
    let (Ok(meta), false) = (std::fs::metadata(&path), name.contains("..")) else {
        let _ = request.respond(tiny_http::Response::empty(404));
        return;
    };
    let modified: chrono::DateTime<chrono::Utc> = meta.modified().expect("mtime").into();
    let last_modified = modified.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let etag = format!("\"{}-{}\"", meta.len(), modified.timestamp());
    let header = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.to_string())
    };
    let fresh = header("If-None-Match").is_some_and(|v| v == etag)
        || header("If-Modified-Since").is_some_and(|v| v == last_modified);
    let headers = [
        tiny_http::Header::from_bytes("ETag", etag.as_bytes()).unwrap(),
        tiny_http::Header::from_bytes("Last-Modified", last_modified.as_bytes()).unwrap(),
    ];
    let _ = if fresh {
        let mut response = tiny_http::Response::empty(304);
        headers.into_iter().for_each(|h| response.add_header(h));
        request.respond(response)
    } else {
        let mut response = tiny_http::Response::from_data(std::fs::read(&path).unwrap_or_default());
        headers.into_iter().for_each(|h| response.add_header(h));
        request.respond(response)
    };
}
