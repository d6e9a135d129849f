//! The HTTP edge: who is calling (sessions), what they may reach, the live stream, a
//! check that state-changing requests come from our own pages, and how the site's files
//! are cached.

pub mod auth;
pub mod board;
pub mod csrf;
pub mod events;
pub mod export;
pub mod health;
pub mod limits;
pub mod mistakes;
pub mod report_csv;
pub mod site_files;
pub mod tls;

use app::error::AppError;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos::server_fn::ContentType;
use leptos::server_fn::error::FromServerFnError;

/// A refusal made before a server function runs (no session, no phone permission),
/// encoded as server functions encode theirs, so the browser reads it like any other.
pub fn refusal(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    let content_type = <<AppError as FromServerFnError>::Encoder as ContentType>::CONTENT_TYPE;
    (status, [(header::CONTENT_TYPE, content_type)], error.ser()).into_response()
}
