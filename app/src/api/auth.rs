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

/// パスワード変更: the user's own password. The user's other sessions (other browsers,
/// other devices, whoever else knew the old password) end; this one goes on.
#[server(endpoint = "account/password", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn change_password(current: String, new: String, confirm: String) -> Result<(), AppError> {
    super::respond(
        async move {
            use crate::domain::validation::{Checks, Problem, password};
            let user = super::session::require_user()?;
            let mut checks = Checks::default();
            checks
                .check("current_password", current.is_empty().then_some(Problem::Required))
                .check("new_password", password(&new))
                .check("confirm_password", (confirm != new).then_some(Problem::PasswordMismatch));
            let problems = checks.into_vec();
            if !problems.is_empty() {
                return Err(AppError::Invalid(problems));
            }
            let session = super::session::session_token().ok_or(AppError::Unauthorized)?;
            let from = super::session::client_address();
            super::ports::backend()?.auth.change_password(&user, &session, &current, &new, from).await
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
