//! Sign-in and sign-out. Failed sign-ins are slowed down per account and per address:
//! five are free, then each waits twice as long as the one before. An address waits up
//! to five minutes; an account at most half a minute, so that someone guessing cannot
//! keep its owner out for long. Each failure for a real account is in its tenant's
//! audit log.

use std::net::IpAddr;
use std::sync::Mutex;

use app::api::ports::{AuthPort, NewSession};
use app::domain::validation::Problem;
use app::error::AppError;
use app::i18n::Locale;
use app::model::{SessionInfo, UserId};
use async_trait::async_trait;

use super::internal;
use crate::password;
use crate::store::{Store, now_ms};
use crate::throttle::Throttle;

const ADDRESS_WAIT_MAX_MS: i64 = 5 * 60 * 1000;
const ACCOUNT_WAIT_MAX_MS: i64 = 30 * 1000;

pub(super) struct Auth {
    pub(super) store: Store,
    pub(super) sessions: crate::store::auth::SessionRules,
    pub(super) guard: Mutex<Guard>,
}

/// Who has been failing to sign in.
pub(super) struct Guard {
    accounts: Throttle<String>,
    addresses: Throttle<IpAddr>,
}

impl Default for Guard {
    fn default() -> Self {
        Guard { accounts: Throttle::new(ACCOUNT_WAIT_MAX_MS), addresses: Throttle::new(ADDRESS_WAIT_MAX_MS) }
    }
}

impl Guard {
    /// How long a sign-in to `account` from `from` must still wait.
    fn wait_ms(&self, account: &str, from: Option<IpAddr>, now: i64) -> i64 {
        let by_address = from.map_or(0, |ip| self.addresses.wait_ms(&ip, now));
        self.accounts.wait_ms(&account.to_lowercase(), now).max(by_address)
    }

    fn failed(&mut self, account: &str, from: Option<IpAddr>, now: i64) {
        self.accounts.failed(account.to_lowercase(), now);
        if let Some(ip) = from {
            self.addresses.failed(ip, now);
        }
    }

    fn succeeded(&mut self, account: &str, from: Option<IpAddr>) {
        self.accounts.succeeded(&account.to_lowercase());
        if let Some(ip) = from {
            self.addresses.succeeded(&ip);
        }
    }
}

impl Auth {
    fn guard(&self) -> std::sync::MutexGuard<'_, Guard> {
        self.guard.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[async_trait]
impl AuthPort for Auth {
    async fn sign_in(&self, username: &str, password: &str, from: Option<IpAddr>) -> Result<NewSession, AppError> {
        let now = now_ms();
        let wait = self.guard().wait_ms(username, from, now);
        if wait > 0 {
            return Err(AppError::TooManyAttempts { retry_after_secs: ((wait + 999) / 1000) as u32 });
        }
        let user = self.store.user_by_username(username).await.map_err(internal)?;
        // Verify against a real hash even for an unknown name, so that the answer's
        // timing does not tell which usernames exist.
        const NO_USER: &str =
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$fAAYkGzYlH2aGHyu+Nf8gGjGEymCXQ8BtfsvcI0CEzE";
        let phc = user.as_ref().map_or(NO_USER.to_owned(), |u| u.password_hash.clone());
        let ok = password::verify(password.to_owned(), phc).await;
        // A disabled account signs in no more than an unknown one.
        let Some(user) = user.filter(|u| ok && u.active) else {
            self.guard().failed(username, from, now);
            if let Ok(Some(u)) = self.store.user_by_username(username).await {
                let from = from.map_or_else(|| "?".to_owned(), |ip| ip.to_string());
                if let Err(e) = self.store.record_failed_sign_in(&u, &from, now).await {
                    tracing::error!(error = %e, "a failed sign-in could not be written to the audit log");
                }
            }
            return Err(AppError::BadCredentials);
        };
        self.guard().succeeded(username, from);
        let token = self.store.create_session(user.id, now, &self.sessions).await.map_err(internal)?;
        Ok(NewSession { token, max_age_secs: self.sessions.max_age_ms / 1000 })
    }

    async fn sign_out(&self, token: &str) -> Result<(), AppError> {
        self.store.delete_session(token).await.map_err(internal)
    }

    async fn change_password(
        &self,
        user: &SessionInfo,
        session: &str,
        current: &str,
        new: &str,
        from: Option<IpAddr>,
    ) -> Result<(), AppError> {
        // The current password is a password guessed like any other: slowed down and
        // written to the audit log as a failed sign-in.
        let now = now_ms();
        let wait = self.guard().wait_ms(&user.username, from, now);
        if wait > 0 {
            return Err(AppError::TooManyAttempts { retry_after_secs: ((wait + 999) / 1000) as u32 });
        }
        let stored = self.store.user_by_username(&user.username).await.map_err(internal)?;
        let Some(stored) = stored.filter(|u| u.id == user.user_id && u.active) else {
            return Err(AppError::Unauthorized);
        };
        if !password::verify(current.to_owned(), stored.password_hash.clone()).await {
            self.guard().failed(&user.username, from, now);
            let from = from.map_or_else(|| "?".to_owned(), |ip| ip.to_string());
            if let Err(e) = self.store.record_failed_sign_in(&stored, &from, now).await {
                tracing::error!(error = %e, "a failed password check could not be written to the audit log");
            }
            return Err(AppError::invalid("current_password", Problem::WrongPassword));
        }
        self.guard().succeeded(&user.username, from);
        let phc = password::hash(new.to_owned()).await.map_err(|e| {
            tracing::error!(error = %e, "a new password could not be hashed");
            AppError::Internal
        })?;
        self.store.change_password(&stored, &phc, session, now).await.map_err(internal)
    }

    async fn set_locale(&self, user: UserId, locale: Locale) -> Result<(), AppError> {
        self.store.set_locale(user, locale).await.map_err(internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_waits_half_a_minute_at_most_an_address_five() {
        let mut g = Guard::default();
        let ip: IpAddr = "203.0.113.9".parse().unwrap();
        for _ in 0..40 {
            g.failed("op1", Some(ip), 0);
        }
        assert_eq!(g.wait_ms("OP1", None, 0), ACCOUNT_WAIT_MAX_MS, "the account, whatever the case of its name");
        assert_eq!(g.wait_ms("op2", Some(ip), 0), ADDRESS_WAIT_MAX_MS, "the address, for any account");
        assert_eq!(g.wait_ms("op2", Some("203.0.113.10".parse().unwrap()), 0), 0, "others are not slowed");
        g.succeeded("op1", Some(ip));
        assert_eq!(g.wait_ms("op1", Some(ip), 0), 0);
    }
}
