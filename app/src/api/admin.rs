//! 全体管理: the tenant admin's server functions, each on the caller's own tenant.

use leptos::prelude::*;

use crate::domain::CtiSettings;
use crate::error::AppError;
use crate::model::{AuditEntry, Contract, CtiOperator, UserId};

#[cfg(feature = "ssr")]
fn tenant_admin() -> Result<crate::model::SessionInfo, AppError> {
    super::session::require_role(&[crate::model::Role::TenantAdmin])
}

/// 全体管理 → 契約: the tenant's contract features (F1), read only.
#[server(endpoint = "admin/contract", output = server_fn::codec::Postcard)]
pub async fn get_contract() -> Result<Contract, AppError> {
    super::respond(async move { super::ports::backend()?.admin.contract(&tenant_admin()?).await }.await)
}

/// 全体管理 → CTI管理 → CTI設定, as stored.
#[server(endpoint = "admin/cti-settings", output = server_fn::codec::Postcard)]
pub async fn get_cti_settings() -> Result<CtiSettings, AppError> {
    super::respond(async move { super::ports::backend()?.admin.cti_settings(&tenant_admin()?).await }.await)
}

/// Saves CTI設定; it applies from the next offer and the next CTI login.
#[server(endpoint = "admin/cti-settings/save", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn save_cti_settings(settings: CtiSettings) -> Result<CtiSettings, AppError> {
    super::respond(
        async move {
            let user = tenant_admin()?;
            let problems = settings.problems();
            if !problems.is_empty() {
                return Err(AppError::Invalid(problems));
            }
            super::ports::backend()?.admin.save_cti_settings(&user, settings).await
        }
        .await,
    )
}

/// 全体管理 → CTI管理 → CTIオペレータ管理: the phone operators and their CTI identity.
#[server(endpoint = "admin/cti-operators", output = server_fn::codec::Postcard)]
pub async fn list_cti_operators() -> Result<Vec<CtiOperator>, AppError> {
    super::respond(async move { super::ports::backend()?.admin.cti_operators(&tenant_admin()?).await }.await)
}

/// Assigns an operator's CTI ID and CTI number (F4).
#[server(endpoint = "admin/cti-operators/save", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn save_cti_identity(user_id: UserId, cti_id: String, cti_number: String) -> Result<CtiOperator, AppError> {
    super::respond(
        async move {
            use crate::domain::validation::{Checks, cti_id as check_id, cti_number as check_number};
            let user = tenant_admin()?;
            let (cti_id, cti_number) = (cti_id.trim(), cti_number.trim());
            let mut checks = Checks::default();
            checks.check("cti_id", check_id(cti_id)).check("cti_number", check_number(cti_number));
            let problems = checks.into_vec();
            if !problems.is_empty() {
                return Err(AppError::Invalid(problems));
            }
            super::ports::backend()?.admin.save_cti_identity(&user, user_id, cti_id, cti_number).await
        }
        .await,
    )
}

/// Sets an operator's SIP password: their phone registers with their CTI ID and it. The
/// server keeps only its digest hash.
#[server(endpoint = "admin/cti-operators/sip-password", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn set_sip_password(user_id: UserId, password: String) -> Result<CtiOperator, AppError> {
    super::respond(
        async move {
            use crate::domain::validation::{Checks, password as check_password};
            let user = tenant_admin()?;
            let mut checks = Checks::default();
            checks.check("sip_password", check_password(&password));
            let problems = checks.into_vec();
            if !problems.is_empty() {
                return Err(AppError::Invalid(problems));
            }
            super::ports::backend()?.admin.set_sip_password(&user, user_id, &password).await
        }
        .await,
    )
}

/// 全体管理 → 監査ログ: the newest administrative changes of the tenant.
#[server(endpoint = "admin/audit-log", output = server_fn::codec::Postcard)]
pub async fn list_audit_log() -> Result<Vec<AuditEntry>, AppError> {
    super::respond(async move { super::ports::backend()?.admin.audit_log(&tenant_admin()?).await }.await)
}
