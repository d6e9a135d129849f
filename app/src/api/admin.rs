//! 全体管理: the tenant admin's server functions, each on the caller's own tenant.

use leptos::prelude::*;

use crate::domain::CtiSettings;
use crate::error::AppError;
use crate::model::{AuditEntry, Contract, CtiOperator, HoldMusicFile, UserId};

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

/// CTI設定's 保留音ファイル: what the tenant uploaded as its own hold music, if anything.
#[server(endpoint = "admin/hold-music", output = server_fn::codec::Postcard)]
pub async fn get_hold_music_file() -> Result<Option<HoldMusicFile>, AppError> {
    super::respond(async move { super::ports::backend()?.admin.hold_music_file(&tenant_admin()?).await }.await)
}

/// Uploads the tenant's own hold music: the browser decodes the file and sends it as 8 kHz
/// mono samples (little-endian 16-bit), so the server never parses an audio format.
/// Choosing it as 保留音 is the form's 保存, as for every other setting.
#[server(endpoint = "admin/hold-music/upload", input = server_fn::codec::Postcard, output = server_fn::codec::Postcard)]
pub async fn upload_hold_music(file_name: String, samples: Vec<u8>) -> Result<HoldMusicFile, AppError> {
    super::respond(
        async move {
            use crate::domain::cti_settings::{HOLD_MUSIC_RATE, HOLD_MUSIC_SECS};
            use crate::domain::validation::{Checks, Problem, text};
            let user = tenant_admin()?;
            let file_name = file_name.trim();
            let samples: Vec<i16> = samples.chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect();
            let mut checks = Checks::default();
            checks.check(HOLD_MUSIC_FILE, text(file_name, 200)).check(
                HOLD_MUSIC_FILE,
                (!HOLD_MUSIC_SECS.contains(&(samples.len() / HOLD_MUSIC_RATE))).then_some(Problem::HoldMusicLength),
            );
            let problems = checks.into_vec();
            if !problems.is_empty() {
                return Err(AppError::Invalid(problems));
            }
            super::ports::backend()?.admin.upload_hold_music(&user, file_name, samples).await
        }
        .await,
    )
}

/// The form field an uploaded hold music file is refused under.
pub const HOLD_MUSIC_FILE: &str = "hold_music_file";

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
