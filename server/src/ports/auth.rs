//! Sign-in and sign-out.

use app::api::ports::{AuthPort, NewSession};
use app::error::AppError;
use app::i18n::Locale;
use app::model::UserId;
use async_trait::async_trait;

use super::internal;
use crate::password;
use crate::store::auth::SESSION_TTL_SECS;
use crate::store::{Store, now_ms};

pub(super) struct Auth {
    pub(super) store: Store,
}

#[async_trait]
impl AuthPort for Auth {
    async fn sign_in(&self, username: &str, password: &str) -> Result<NewSession, AppError> {
        let user = self.store.user_by_username(username).await.map_err(internal)?;
        // Verify against a real hash even for an unknown name, so that the answer's
        // timing does not tell which usernames exist.
        const NO_USER: &str =
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$fAAYkGzYlH2aGHyu+Nf8gGjGEymCXQ8BtfsvcI0CEzE";
        let phc = user.as_ref().map_or(NO_USER.to_owned(), |u| u.password_hash.clone());
        let ok = password::verify(password.to_owned(), phc).await;
        // A disabled account signs in no more than an unknown one.
        let Some(user) = user.filter(|u| ok && u.active) else {
            return Err(AppError::BadCredentials);
        };
        let token = self.store.create_session(user.id, now_ms()).await.map_err(internal)?;
        Ok(NewSession { token, max_age_secs: SESSION_TTL_SECS })
    }

    async fn sign_out(&self, token: &str) -> Result<(), AppError> {
        self.store.delete_session(token).await.map_err(internal)
    }

    async fn set_locale(&self, user: UserId, locale: Locale) -> Result<(), AppError> {
        self.store.set_locale(user, locale).await.map_err(internal)
    }
}
