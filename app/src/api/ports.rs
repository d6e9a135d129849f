//! The ports the server crate implements and provides through Leptos context.

use std::sync::Arc;

use async_trait::async_trait;

use crate::domain::{AgentAction, CtiSettings};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{AgentView, CallerNumber, Dialled, SessionInfo, TicketDetail, TicketId, TicketSummary, UserId};

/// A new session for a user who proved who they are.
pub struct NewSession {
    pub token: String,
    pub max_age_secs: i64,
}

#[async_trait]
pub trait AuthPort: Send + Sync {
    async fn sign_in(&self, username: &str, password: &str) -> Result<NewSession, AppError>;
    async fn sign_out(&self, token: &str) -> Result<(), AppError>;
    async fn set_locale(&self, user: UserId, locale: Locale) -> Result<(), AppError>;
}

#[async_trait]
pub trait PhonePort: Send + Sync {
    /// The agent's phone now.
    async fn view(&self, user: &SessionInfo) -> Result<AgentView, AppError>;
    /// CTI login and logout, and the statuses the agent picks.
    async fn act(&self, user: &SessionInfo, action: AgentAction) -> Result<AgentView, AppError>;
    /// 応答: connect the offered call; answers the ticket made for it.
    async fn answer(&self, user: &SessionInfo, call_id: &str) -> Result<TicketId, AppError>;
    /// 終話: the agent ends their call (or cancels their dial).
    async fn hang_up(&self, user: &SessionInfo, call_id: &str) -> Result<AgentView, AppError>;
    /// The caller numbers (発信番号) of the agent's service.
    async fn caller_numbers(&self, user: &SessionInfo) -> Result<Vec<CallerNumber>, AppError>;
    /// かける → 確認: dial `to` showing `caller_number`.
    async fn dial(&self, user: &SessionInfo, to: &str, caller_number: &str) -> Result<Dialled, AppError>;
}

#[async_trait]
pub trait TicketPort: Send + Sync {
    async fn list(&self, user: &SessionInfo) -> Result<Vec<TicketSummary>, AppError>;
    async fn get(&self, user: &SessionInfo, id: TicketId) -> Result<TicketDetail, AppError>;
}

#[async_trait]
pub trait AdminPort: Send + Sync {
    async fn cti_settings(&self, user: &SessionInfo) -> Result<CtiSettings, AppError>;
    /// Saves the user's tenant's CTI settings (already validated), records the change
    /// in the audit log, and applies it to live routing.
    async fn save_cti_settings(&self, user: &SessionInfo, settings: CtiSettings) -> Result<CtiSettings, AppError>;
}

/// Everything the server functions need from the server.
#[derive(Clone)]
pub struct Backend {
    pub admin: Arc<dyn AdminPort>,
    pub auth: Arc<dyn AuthPort>,
    pub phone: Arc<dyn PhonePort>,
    pub tickets: Arc<dyn TicketPort>,
}

pub fn backend() -> Result<Backend, AppError> {
    leptos::prelude::use_context::<Backend>().ok_or(AppError::Internal)
}
