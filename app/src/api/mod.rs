//! Server functions: the app's whole contract with the server. Each one authenticates
//! from the session, checks the caller's role, and hands over to a port that the server
//! crate implements (the app never touches a database or socket itself).

mod admin;
mod auth;
mod floor;
mod phone;
mod platform;
#[cfg(feature = "ssr")]
pub mod ports;
mod reports;
#[cfg(feature = "ssr")]
mod session;

#[cfg(feature = "ssr")]
pub use session::{cookie, session_info};
mod services;
mod tickets;
mod wire;

pub use admin::*;
pub use auth::*;
pub use floor::*;
pub use phone::*;
pub use platform::*;
pub use reports::*;
pub use services::*;
pub use tickets::*;
pub use wire::{Carried, embed, load, read_embedded};

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "ringdesk_session";

/// Gives a refused request its HTTP status (401, 403, 404, 409, …) so that clients
/// other than our own pages can tell refusals apart. A plain HTML form post keeps the
/// redirect back to its page that leptos_axum gives it.
#[cfg(feature = "ssr")]
fn respond<T>(result: Result<T, crate::error::AppError>) -> Result<T, crate::error::AppError> {
    use axum::http::{StatusCode, header::ACCEPT, request::Parts};
    use leptos::prelude::use_context;
    if let Err(e) = &result {
        let from_form = use_context::<Parts>()
            .and_then(|p| p.headers.get(ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
            .unwrap_or(false);
        if !from_form && let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
        }
    }
    result
}
