//! How the built site's files are sent. cargo-leptos writes a gzip and a brotli copy
//! beside each (`--precompress`, `make build`), which leptos_axum's file handler sends
//! to browsers that accept them; this module adds how long a browser may keep them.
//!
//! With content-hashed names (`hash-files`) a file's name changes whenever its content
//! does, so a browser may keep it for good: an agent's tab opened tomorrow downloads no
//! wasm at all unless the server was upgraded. Without hashed names (test binaries, a
//! site built by hand) nothing is added, as a name may then be reused for new content.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// The URL path under which the site's hashed files are served (`/pkg/`).
#[derive(Clone)]
pub struct HashedDir(pub String);

pub async fn cache_hashed(State(HashedDir(dir)): State<HashedDir>, req: Request, next: Next) -> Response {
    let hashed = req.uri().path().starts_with(&dir);
    let mut res = next.run(req).await;
    if hashed && res.status() == StatusCode::OK {
        let forever = HeaderValue::from_static("public, max-age=31536000, immutable");
        res.headers_mut().insert(header::CACHE_CONTROL, forever);
    }
    res
}
