//! The server's side of the app's ports: what the server functions call.

use app::api::ports::{AdminPort, AuthPort, Backend, NewSession, PhonePort, TicketPort};
use app::domain::{AgentAction, CtiSettings};
use app::error::AppError;
use app::i18n::Locale;
use app::model::{AgentView, CallerNumber, Dialled, SessionInfo, TicketDetail, TicketId, TicketSummary, UserId};
use async_trait::async_trait;
use std::sync::Arc;

use crate::{numbers, password};
use crate::routing::RoutingHandle;
use crate::store::auth::SESSION_TTL_SECS;
use crate::store::{Store, StoreError, now_ms};

fn internal(e: StoreError) -> AppError {
    tracing::error!(error = %e, "store");
    AppError::Internal
}

pub fn backend(store: Store, routing: RoutingHandle) -> Backend {
    Backend {
        admin: Arc::new(Admin { store: store.clone(), routing: routing.clone() }),
        auth: Arc::new(Auth { store: store.clone() }),
        phone: Arc::new(Phone { routing, store: store.clone() }),
        tickets: Arc::new(Tickets { store }),
    }
}

struct Auth {
    store: Store,
}

#[async_trait]
impl AuthPort for Auth {
    async fn sign_in(&self, username: &str, password: &str) -> Result<NewSession, AppError> {
        let user = self.store.user_by_username(username).await.map_err(internal)?;
        // Verify against a real hash even for an unknown name, so that the answer's
        // timing does not tell which usernames exist.
        const NO_USER: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$fAAYkGzYlH2aGHyu+Nf8gGjGEymCXQ8BtfsvcI0CEzE";
        let phc = user.as_ref().map_or(NO_USER.to_owned(), |u| u.password_hash.clone());
        let ok = password::verify(password.to_owned(), phc).await;
        let Some(user) = user.filter(|_| ok) else {
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

struct Phone {
    routing: RoutingHandle,
    store: Store,
}

#[async_trait]
impl PhonePort for Phone {
    async fn view(&self, user: &SessionInfo) -> Result<AgentView, AppError> {
        self.routing.view(user.user_id).await.ok_or(AppError::NoPhonePermission)
    }

    async fn act(&self, user: &SessionInfo, action: AgentAction) -> Result<AgentView, AppError> {
        self.routing.act(user.user_id, action).await
    }

    async fn answer(&self, user: &SessionInfo, call_id: &str) -> Result<TicketId, AppError> {
        self.routing.answer(user.user_id, call_id.to_owned()).await
    }

    async fn hang_up(&self, user: &SessionInfo, call_id: &str) -> Result<AgentView, AppError> {
        self.routing.hang_up(user.user_id, call_id.to_owned()).await
    }

    async fn caller_numbers(&self, user: &SessionInfo) -> Result<Vec<CallerNumber>, AppError> {
        self.store.caller_numbers_of(user.user_id).await.map_err(internal)
    }

    async fn dial(&self, user: &SessionInfo, to: &str, caller_number: &str) -> Result<Dialled, AppError> {
        let to = numbers::normalize(to, numbers::DEFAULT_REGION)?;
        self.routing.dial(user.user_id, to, caller_number.to_owned()).await
    }
}

struct Tickets {
    store: Store,
}

#[async_trait]
impl TicketPort for Tickets {
    async fn list(&self, user: &SessionInfo) -> Result<Vec<TicketSummary>, AppError> {
        self.store.list_tickets(user.tenant_id).await.map_err(internal)
    }

    async fn get(&self, user: &SessionInfo, id: TicketId) -> Result<TicketDetail, AppError> {
        self.store.ticket(user.tenant_id, id).await.map_err(internal)?.ok_or(AppError::NotFound)
    }
}

struct Admin {
    store: Store,
    routing: RoutingHandle,
}

#[async_trait]
impl AdminPort for Admin {
    async fn cti_settings(&self, user: &SessionInfo) -> Result<CtiSettings, AppError> {
        self.store.cti_settings(user.tenant_id).await.map_err(internal)?.ok_or(AppError::NotFound)
    }

    async fn save_cti_settings(&self, user: &SessionInfo, settings: CtiSettings) -> Result<CtiSettings, AppError> {
        let phone = self
            .store
            .save_cti_settings(user.tenant_id, user.user_id, &settings, now_ms())
            .await
            .map_err(internal)?;
        self.routing.set_tenant_phone(user.tenant_id, phone).await;
        Ok(settings)
    }
}
