//! Users, password checks and sessions.

use app::i18n::Locale;
use app::model::{Role, SessionInfo, UserId};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::entities::{session, user};
use super::{Store, StoreError};

/// A session lasts twelve hours: a long shift, then sign in again.
pub const SESSION_TTL_SECS: i64 = 12 * 3600;

impl Store {
    pub async fn user_by_username(&self, username: &str) -> Result<Option<user::Model>, StoreError> {
        Ok(user::Entity::find().filter(user::Column::Username.eq(username)).one(&self.db).await?)
    }

    /// Starts a session and answers its token: 256 random bits, hex. The store keeps
    /// only the token's SHA-256, so a copy of the database signs no one in.
    pub async fn create_session(&self, user_id: UserId, now: i64) -> Result<String, StoreError> {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = hex(&bytes);
        session::ActiveModel {
            id: Set(token_key(&token)),
            user_id: Set(user_id),
            created_at: Set(now),
            expires_at: Set(now + SESSION_TTL_SECS * 1000),
        }
        .insert(&self.db)
        .await?;
        Ok(token)
    }

    pub async fn delete_session(&self, token: &str) -> Result<(), StoreError> {
        session::Entity::delete_by_id(token_key(token)).exec(&self.db).await?;
        Ok(())
    }

    /// The user behind a live session token.
    pub async fn session_user(&self, token: &str, now: i64) -> Result<Option<SessionInfo>, StoreError> {
        let Some(s) = session::Entity::find_by_id(token_key(token)).one(&self.db).await? else {
            return Ok(None);
        };
        if s.expires_at <= now {
            return Ok(None);
        }
        let u = user::Entity::find_by_id(s.user_id).one(&self.db).await?;
        Ok(u.as_ref().filter(|u| u.active).map(session_info))
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
