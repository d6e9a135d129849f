use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::Locale;

/// Signs in and sets the session cookie.
#[server(endpoint = "login", output = server_fn::codec::Postcard)]
pub async fn login(username: String, password: String) -> Result<(), AppError> {
    super::respond(
        async move {
            let backend = super::ports::backend()?;
            let from = super::session::client_address();
            let session = backend.auth.sign_in(username.trim(), &password, from).await?;
            set_session_cookie(&session.token, session.max_age_secs)
        }
        .await,
    )
}

/// Ends the session and clears the cookie.
#[server(endpoint = "logout", output = server_fn::codec::Postcard)]
pub async fn logout() -> Result<(), AppError> {
    super::respond(
        async move {
            super::session::require_user()?;
            if let Some(token) = super::session::session_token() {
                super::ports::backend()?.auth.sign_out(&token).await?;
            }
            set_session_cookie("", 0)
        }
        .await,
    )
}

/// Remembers the user's language.
#[server(endpoint = "locale", output = server_fn::codec::Postcard)]
pub async fn set_locale(locale: Locale) -> Result<(), AppError> {
    super::respond(
        async move {
            let user = super::session::require_user()?;
            super::ports::backend()?.auth.set_locale(user.user_id, locale).await
        }
        .await,
    )
}

/// HttpOnly so no script can read it; SameSite=Strict so no other site can send it
/// (server functions have no CSRF token of their own).
#[cfg(feature = "ssr")]
fn set_session_cookie(token: &str, max_age_secs: i64) -> Result<(), AppError> {
    use axum::http::{HeaderValue, header::SET_COOKIE};
    // Secure over HTTPS: the browser never sends it over plain HTTP then.
    let secure = if super::session::over_https() { "; Secure" } else { "" };
    let cookie =
        format!("{}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}", super::SESSION_COOKIE);
    let value = HeaderValue::from_str(&cookie).map_err(|_| AppError::Internal)?;
    expect_context::<leptos_axum::ResponseOptions>().insert_header(SET_COOKIE, value);
    Ok(())
}
