//! The ports the server crate implements and provides through Leptos context.

use std::sync::Arc;

use async_trait::async_trait;

use crate::domain::report::ReportForm;
use crate::domain::{AgentAction, AgentStatus, CtiSettings};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{
    AgentView, Assignable, AuditEntry, BreakReason, BrowserAudio, CallerCard, CallerNumber, ConsultTarget, Contract,
    CtiOperator, Customer, Dialled, Endpoint, HoldMusicFile, NewOperator, NumberEntry, Operator, OperatorEdit,
    ReadyColleague, Report, ReportService, ServiceSummary, SessionInfo, TicketDetail, TicketEdit, TicketFilter,
    TicketId, TicketPage, UserId,
};

/// A new session for a user who proved who they are.
pub struct NewSession {
    pub token: String,
    pub max_age_secs: i64,
}

#[async_trait]
pub trait AuthPort: Send + Sync {
    /// Checks the password of `username`, signing in from `from`; repeated failures are
    /// slowed down per account and per address.
    async fn sign_in(
        &self,
        username: &str,
        password: &str,
        from: Option<std::net::IpAddr>,
    ) -> Result<NewSession, AppError>;
    async fn sign_out(&self, token: &str) -> Result<(), AppError>;
    /// The user's own password, checked as a sign-in is (and slowed down as one); every
    /// session of the user but `session` ends.
    async fn change_password(
        &self,
        user: &SessionInfo,
        session: &str,
        current: &str,
        new: &str,
        from: Option<std::net::IpAddr>,
    ) -> Result<(), AppError>;
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
    /// 保留 (`held`) or 解除 of the agent's call.
    async fn hold(&self, user: &SessionInfo, call_id: &str, held: bool) -> Result<AgentView, AppError>;
    /// 強制終了: plays `message` to the customer, then ends the call.
    async fn force_end(&self, user: &SessionInfo, call_id: &str, message: &str) -> Result<AgentView, AppError>;
    /// The tenant's default 強制終了 message (CTI設定), for the popup to start from.
    async fn force_end_message(&self, user: &SessionInfo) -> Result<String, AppError>;
    /// 協議通話 / 接続 to `target` (a number already in E.164).
    async fn consult(&self, user: &SessionInfo, call_id: &str, target: ConsultTarget) -> Result<AgentView, AppError>;
    /// 顧客接続.
    async fn connect_customer(&self, user: &SessionInfo, call_id: &str) -> Result<AgentView, AppError>;
    /// キャンセル of the consult call.
    async fn cancel_consult(&self, user: &SessionInfo, call_id: &str) -> Result<AgentView, AppError>;
    /// よく使われる転換番号 of the agent's service.
    async fn transfer_numbers(&self, user: &SessionInfo) -> Result<Vec<NumberEntry>, AppError>;
    /// 追加 to the service's よく使われる転換番号.
    async fn add_transfer_number(&self, user: &SessionInfo, number: &str, label: &str)
    -> Result<NumberEntry, AppError>;
    /// 待機中のオペレーター of the agent's service.
    async fn ready_colleagues(&self, user: &SessionInfo) -> Result<Vec<ReadyColleague>, AppError>;
    /// The caller numbers (発信番号) of the agent's service.
    async fn caller_numbers(&self, user: &SessionInfo) -> Result<Vec<CallerNumber>, AppError>;
    /// かける → 確認: dial `to` showing `caller_number`.
    async fn dial(&self, user: &SessionInfo, to: &str, caller_number: &str) -> Result<Dialled, AppError>;
    /// Where the agent talks from now on (ブラウザ or SIP電話); not during a call.
    async fn set_endpoint(&self, user: &SessionInfo, endpoint: Endpoint) -> Result<AgentView, AppError>;
    /// The phone window's WebRTC offer on its connection `connection` (`restart`: a new
    /// offer on a connection it had): ringdesk's SDP answer.
    async fn audio_offer(
        &self,
        user: &SessionInfo,
        connection: &str,
        restart: bool,
        sdp: &str,
    ) -> Result<String, AppError>;
    /// What the phone window says of its audio when it cannot connect (no microphone,
    /// not allowed one).
    async fn audio_problem(&self, user: &SessionInfo, audio: BrowserAudio) -> Result<(), AppError>;
}

#[async_trait]
pub trait TicketPort: Send + Sync {
    /// A page of the tickets the user works, filtered and sorted.
    async fn list(&self, user: &SessionInfo, filter: TicketFilter) -> Result<TicketPage, AppError>;
    async fn get(&self, user: &SessionInfo, id: TicketId) -> Result<TicketDetail, AppError>;
    /// Saves an edit made on `edit.version`; a stale one is refused (`Stale`).
    async fn update(&self, user: &SessionInfo, edit: TicketEdit) -> Result<TicketDetail, AppError>;
    async fn add_note(&self, user: &SessionInfo, id: TicketId, body: String) -> Result<TicketDetail, AppError>;
    /// Saves the card of the customer behind a ticket.
    async fn save_customer(
        &self,
        user: &SessionInfo,
        ticket_id: TicketId,
        customer: Customer,
    ) -> Result<Customer, AppError>;
    /// Who the user's tickets can be assigned to.
    async fn assignees(&self, user: &SessionInfo) -> Result<Vec<Assignable>, AppError>;
    /// The card of a caller (screen pop): their name if known, and their recent tickets.
    async fn caller_card(&self, user: &SessionInfo, number: String) -> Result<CallerCard, AppError>;
}

/// 全体管理 of one tenant. Every method acts on the caller's own tenant.
#[async_trait]
pub trait AdminPort: Send + Sync {
    async fn contract(&self, user: &SessionInfo) -> Result<Contract, AppError>;
    async fn cti_settings(&self, user: &SessionInfo) -> Result<CtiSettings, AppError>;
    /// Saves the user's tenant's CTI settings (already validated), records the change
    /// in the audit log, and applies it to live routing.
    async fn save_cti_settings(&self, user: &SessionInfo, settings: CtiSettings) -> Result<CtiSettings, AppError>;
    /// The tenant's own hold music, if it uploaded one.
    async fn hold_music_file(&self, user: &SessionInfo) -> Result<Option<HoldMusicFile>, AppError>;
    /// Keeps 8 kHz mono `samples` (already checked) as the tenant's own hold music, with
    /// its audit entry; routing plays the new one from the next hold.
    async fn upload_hold_music(
        &self,
        user: &SessionInfo,
        file_name: &str,
        samples: Vec<i16>,
    ) -> Result<HoldMusicFile, AppError>;
    /// The tenant's operators who hold the phone permission, with their CTI identity.
    async fn cti_operators(&self, user: &SessionInfo) -> Result<Vec<CtiOperator>, AppError>;
    /// Assigns a CTI ID and number, both unique within the tenant.
    async fn save_cti_identity(
        &self,
        user: &SessionInfo,
        user_id: UserId,
        cti_id: &str,
        cti_number: &str,
    ) -> Result<CtiOperator, AppError>;
    /// Sets the SIP password of an operator who has a CTI ID (it is their phone's user name).
    async fn set_sip_password(
        &self,
        user: &SessionInfo,
        user_id: UserId,
        password: &str,
    ) -> Result<CtiOperator, AppError>;
    /// The newest entries of the tenant's audit log.
    async fn audit_log(&self, user: &SessionInfo) -> Result<Vec<AuditEntry>, AppError>;
}

/// サービス管理. Every method checks that the caller administers the service.
#[async_trait]
pub trait ServicesPort: Send + Sync {
    /// The services the user administers.
    async fn services(&self, user: &SessionInfo) -> Result<Vec<ServiceSummary>, AppError>;
    async fn operators(&self, user: &SessionInfo, service_id: i32) -> Result<Vec<Operator>, AppError>;
    async fn create_operator(
        &self,
        user: &SessionInfo,
        service_id: i32,
        new: NewOperator,
    ) -> Result<Operator, AppError>;
    /// Saves an operator; taking the phone permission away (or disabling the account)
    /// logs them out of CTI once their current call ends.
    async fn update_operator(
        &self,
        user: &SessionInfo,
        service_id: i32,
        edit: OperatorEdit,
    ) -> Result<Operator, AppError>;
    async fn caller_numbers(&self, user: &SessionInfo, service_id: i32) -> Result<Vec<NumberEntry>, AppError>;
    async fn add_caller_number(
        &self,
        user: &SessionInfo,
        service_id: i32,
        number: &str,
        label: &str,
    ) -> Result<NumberEntry, AppError>;
    async fn remove_caller_number(&self, user: &SessionInfo, service_id: i32, id: i32) -> Result<(), AppError>;
}

/// ボード: the floor a supervisor watches and controls, and the tenant's 休憩理由.
#[async_trait]
pub trait FloorPort: Send + Sync {
    /// Sets an agent of the floor the user supervises to 休憩 (with one of the
    /// tenant's reasons), 業務 or CTI未ログイン; during a call, when it ends.
    async fn set_agent_status(
        &self,
        user: &SessionInfo,
        agent: UserId,
        to: AgentStatus,
        reason: Option<i32>,
    ) -> Result<(), AppError>;
    async fn break_reasons(&self, user: &SessionInfo) -> Result<Vec<BreakReason>, AppError>;
    /// Adds a reason (already checked); the tenant admin's.
    async fn add_break_reason(&self, user: &SessionInfo, label: &str) -> Result<BreakReason, AppError>;
    async fn remove_break_reason(&self, user: &SessionInfo, id: i32) -> Result<(), AppError>;
}

/// レポート, over the floor the user supervises (`board_scope`).
#[async_trait]
pub trait ReportsPort: Send + Sync {
    async fn services(&self, user: &SessionInfo) -> Result<Vec<ReportService>, AppError>;
    /// The report the form asks for (today, by the server's clock, when it gives no
    /// dates); a service that is not the user's is not found.
    async fn report(&self, user: &SessionInfo, form: ReportForm) -> Result<Report, AppError>;
}

/// The platform: tenants and their contracts.
#[async_trait]
pub trait PlatformPort: Send + Sync {
    async fn contracts(&self, user: &SessionInfo) -> Result<Vec<Contract>, AppError>;
    /// Changes a tenant's contract and applies it to live routing at once.
    async fn save_contract(
        &self,
        user: &SessionInfo,
        tenant_id: i32,
        inbound: bool,
        outbound: bool,
    ) -> Result<Contract, AppError>;
}

/// Everything the server functions need from the server.
#[derive(Clone)]
pub struct Backend {
    pub admin: Arc<dyn AdminPort>,
    pub auth: Arc<dyn AuthPort>,
    pub floor: Arc<dyn FloorPort>,
    pub phone: Arc<dyn PhonePort>,
    pub platform: Arc<dyn PlatformPort>,
    pub reports: Arc<dyn ReportsPort>,
    pub services: Arc<dyn ServicesPort>,
    pub tickets: Arc<dyn TicketPort>,
}

pub fn backend() -> Result<Backend, AppError> {
    leptos::prelude::use_context::<Backend>().ok_or(AppError::Internal)
}
