//! A local HTTP server for the feed tests: 127.0.0.1 on a free port,
//! answering with a closure, and keeping every request it saw.

use std::sync::{Arc, Mutex};

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the server answers: status, headers, body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: std::time::Duration,
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: std::time::Duration::ZERO,
        }
    }

    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: std::time::Duration::ZERO,
        }
    }

    pub fn with(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
}

pub struct Server {
    server: Arc<tiny_http::Server>,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Serves `answer` for every request, each on a thread of its own.
    pub fn start(answer: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let answer = Arc::new(answer);
        let thread = {
            let (server, seen) = (server.clone(), seen.clone());
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    let asked = Seen {
                        path: request.url().to_owned(),
                        headers: request
                            .headers()
                            .iter()
                            .map(|h| (h.field.to_string(), h.value.to_string()))
                            .collect(),
                    };
                    seen.lock().unwrap().push(asked.clone());
                    let answer = answer.clone();
                    std::thread::spawn(move || {
                        let reply = answer(&asked);
                        std::thread::sleep(reply.delay);
                        let mut response = tiny_http::Response::from_data(reply.body)
                            .with_status_code(reply.status);
                        for (k, v) in reply.headers {
                            response.add_header(
                                tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).unwrap(),
                            );
                        }
                        let _ = request.respond(response);
                    });
                }
            })
        };
        Server {
            server,
            seen,
            thread: Some(thread),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!(
            "http://{}{path}",
            self.server.server_addr().to_ip().unwrap()
        )
    }

    /// The requests for `path`, in order.
    pub fn requests(&self, path: &str) -> Vec<Seen> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.path == path)
            .cloned()
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
