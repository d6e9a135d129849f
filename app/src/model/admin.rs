//! What the administration screens show and send.

use serde::{Deserialize, Serialize};

use super::{Role, UserId};
use crate::domain::ShownNumber;

/// The telephone system the server runs with, as CTI設定 shows it (given to the pages by
/// the server through Leptos context; it never crosses to the browser).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PhoneSystem {
    #[default]
    Simulator,
    Sip,
    None,
}

/// A tenant's contract (F1), as the platform admin manages it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contract {
    pub tenant_id: i32,
    pub tenant_name: String,
    /// 電話CTIを使用する – IB
    pub inbound: bool,
    /// 電話CTIを使用する – OB
    pub outbound: bool,
}

/// A service an admin may administer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSummary {
    pub id: i32,
    pub name: String,
    /// The number its customers dial.
    pub inbound_number: ShownNumber,
}

/// One person of a service, under サービス管理 → オペレーター.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// 電話権限 (F2).
    pub phone_permission: bool,
    /// A disabled person cannot sign in.
    pub active: bool,
    /// Both a CTI ID and a CTI number are assigned (F4).
    pub has_cti_identity: bool,
}

/// A new operator of a service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOperator {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub phone_permission: bool,
}

/// The editable part of an operator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorEdit {
    pub user_id: UserId,
    pub display_name: String,
    pub phone_permission: bool,
    pub active: bool,
}

/// A phone operator's identity in the telephone system, under CTIオペレータ管理 (F4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CtiOperator {
    pub user_id: UserId,
    pub display_name: String,
    pub service_name: String,
    pub cti_id: Option<String>,
    pub cti_number: Option<String>,
    /// A SIP password is set: the operator's phone can register.
    pub has_sip_password: bool,
}

/// A service's number with its label: a caller number (発信番号) as its admin manages
/// it, or a frequently used transfer number (よく使われる転換番号).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberEntry {
    pub id: i32,
    pub number: ShownNumber,
    pub label: String,
}

/// A reason for 休憩 that the tenant admin keeps (休憩理由).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakReason {
    pub id: i32,
    pub label: String,
}

/// What an administrative change was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    ContractUpdate,
    CtiSettingsUpdate,
    OperatorCreate,
    OperatorUpdate,
    CtiIdentityUpdate,
    SipPasswordSet,
    HoldMusicUpload,
    SignInFailed,
    CallerNumberAdd,
    CallerNumberRemove,
    /// A user changed their own password (its other sessions ended).
    PasswordChange,
    /// A supervisor set an agent's status from the board.
    AgentStatusSet,
    BreakReasonAdd,
    BreakReasonRemove,
}

crate::stored_names!(AuditAction {
    ContractUpdate => "contract.update",
    CtiSettingsUpdate => "cti_settings.update",
    OperatorCreate => "operator.create",
    OperatorUpdate => "operator.update",
    CtiIdentityUpdate => "cti_identity.update",
    SipPasswordSet => "sip_password.set",
    HoldMusicUpload => "hold_music.upload",
    SignInFailed => "sign_in.failed",
    CallerNumberAdd => "caller_number.add",
    CallerNumberRemove => "caller_number.remove",
    PasswordChange => "password.change",
    AgentStatusSet => "agent_status.set",
    BreakReasonAdd => "break_reason.add",
    BreakReasonRemove => "break_reason.remove",
});

/// A tenant's own hold music (CTI設定): what was uploaded, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldMusicFile {
    pub file_name: String,
    pub duration_ms: i64,
    pub uploaded_at_ms: i64,
}

/// One entry of the audit log as the tenant admin reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at_ms: i64,
    /// Who made the change.
    pub actor: String,
    pub action: AuditAction,
    /// What was changed: the operator, the tenant, the number.
    pub subject: String,
    /// The fields that changed, before and after.
    pub changes: Vec<FieldChange>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}
