//! Users, password checks and sessions.

use app::i18n::Locale;
use app::model::{Role, SessionInfo, UserId};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::entities::{session, user};
use super::{Store, StoreError};

/// How long sessions last (`RINGDESK_SESSION_MAX_HOURS`, `RINGDESK_SESSION_IDLE_MINS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionRules {
    /// From sign-in, whatever happens: a long shift, then sign in again (12 h).
    pub max_age_ms: i64,
    /// Without a request or an open phone widget (2 h).
    pub idle_ms: i64,
}

impl Default for SessionRules {
    fn default() -> Self {
        SessionRules { max_age_ms: 12 * 3600 * 1000, idle_ms: 2 * 3600 * 1000 }
    }
}

/// A session's last use is written at most this often: not one write a request.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

impl Store {
    pub async fn user_by_username(&self, username: &str) -> Result<Option<user::Model>, StoreError> {
        Ok(user::Entity::find().filter(user::Column::Username.eq(username)).one(&self.db).await?)
    }

    /// Starts a session and answers its token: 256 random bits, hex. The store keeps
    /// only the token's SHA-256, so a copy of the database signs no one in.
    pub async fn create_session(&self, user_id: UserId, now: i64, rules: &SessionRules) -> Result<String, StoreError> {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = hex(&bytes);
        session::ActiveModel {
            id: Set(token_key(&token)),
            user_id: Set(user_id),
            created_at: Set(now),
            expires_at: Set(now + rules.max_age_ms),
            last_seen_at: Set(now),
        }
        .insert(&self.db)
        .await?;
        Ok(token)
    }

    /// The user's new password (a PHC string). In one transaction: every session of
    /// theirs but `keep` ends, and the audit log says so.
    pub async fn change_password(&self, u: &user::Model, phc: &str, keep: &str, now: i64) -> Result<(), StoreError> {
        use sea_orm::TransactionTrait;
        let txn = self.db.begin().await?;
        user::ActiveModel { id: Set(u.id), password_hash: Set(phc.to_owned()), ..Default::default() }
            .update(&txn)
            .await?;
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(u.id))
            .filter(session::Column::Id.ne(token_key(keep)))
            .exec(&txn)
            .await?;
        let audit = super::audit::Audit {
            tenant_id: u.tenant_id,
            actor_id: u.id,
            action: app::model::AuditAction::PasswordChange,
            subject: &u.username,
            at: now,
        };
        audit.record(&txn, None::<&()>, None::<&()>).await?;
        txn.commit().await?;
        let _ = self.sessions_ended.send(u.id);
        Ok(())
    }

    /// Users some of whose sessions end from now on (see `change_password`).
    pub fn sessions_ended(&self) -> tokio::sync::broadcast::Receiver<UserId> {
        self.sessions_ended.subscribe()
    }

    /// Whether the session `token` still stands (it was not ended; its age and idleness
    /// are checked where it is used).
    pub async fn session_exists(&self, token: &str) -> Result<bool, StoreError> {
        Ok(session::Entity::find_by_id(token_key(token)).one(&self.db).await?.is_some())
    }

    pub async fn delete_session(&self, token: &str) -> Result<(), StoreError> {
        session::Entity::delete_by_id(token_key(token)).exec(&self.db).await?;
        Ok(())
    }

    /// The user behind a live session token: one not past its maximum age, nor idle
    /// for longer than `rules` allow. Using it counts as activity.
    pub async fn session_user(
        &self,
        token: &str,
        now: i64,
        rules: &SessionRules,
    ) -> Result<Option<SessionInfo>, StoreError> {
        // The session and its user in one query: every request asks.
        let found =
            session::Entity::find_by_id(token_key(token)).find_also_related(user::Entity).one(&self.read).await?;
        let Some((s, u)) = found else {
            return Ok(None);
        };
        let last_seen = s.last_seen_at.max(s.created_at);
        if s.expires_at <= now || now - last_seen >= rules.idle_ms {
            return Ok(None);
        }
        if now - last_seen >= TOUCH_EVERY_MS {
            self.touch_session(token, now).await?;
        }
        Ok(u.as_ref().filter(|u| u.active).map(session_info))
    }

    /// A failed sign-in to `u`'s account from `from`, in its tenant's audit log.
    pub async fn record_failed_sign_in(&self, u: &user::Model, from: &str, now: i64) -> Result<(), StoreError> {
        let subject = format!("{} ({from})", u.username);
        let audit = super::audit::Audit {
            tenant_id: u.tenant_id,
            actor_id: u.id,
            action: app::model::AuditAction::SignInFailed,
            subject: &subject,
            at: now,
        };
        audit.record(&self.db, None::<&()>, None::<&()>).await?;
        Ok(())
    }

    /// The session is in use now (an open phone widget says so while it stays open).
    pub async fn touch_session(&self, token: &str, now: i64) -> Result<(), StoreError> {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, sea_orm::sea_query::Expr::value(now))
            .filter(session::Column::Id.eq(token_key(token)))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    pub async fn set_locale(&self, user_id: UserId, locale: Locale) -> Result<(), StoreError> {
        user::ActiveModel { id: Set(user_id), locale: Set(locale.tag().to_owned()), ..Default::default() }
            .update(&self.db)
            .await?;
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the store keeps of a session token.
fn token_key(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn session_info(u: &user::Model) -> SessionInfo {
    SessionInfo {
        user_id: u.id,
        tenant_id: u.tenant_id,
        service_id: u.service_id,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: Role::parse(&u.role).unwrap_or(Role::Operator),
        phone_permission: u.phone_permission,
        locale: Locale::parse(&u.locale).unwrap_or_default(),
    }
}
