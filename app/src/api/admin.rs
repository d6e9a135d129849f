use leptos::prelude::*;

use crate::domain::CtiSettings;
use crate::error::AppError;

/// 全体管理 → CTI管理 → CTI設定, as stored. Tenant admins only.
#[server(endpoint = "admin/cti-settings")]
pub async fn get_cti_settings() -> Result<CtiSettings, AppError> {
    super::respond(async move {
        let user = super::session::require_role(&[crate::model::Role::TenantAdmin])?;
        super::ports::backend()?.admin.cti_settings(&user).await
    }
    .await)
}

/// Saves CTI設定; it applies from the next offer and the next CTI login.
#[server(endpoint = "admin/cti-settings/save", input = server_fn::codec::Json)]
pub async fn save_cti_settings(settings: CtiSettings) -> Result<CtiSettings, AppError> {
    super::respond(async move {
        let user = super::session::require_role(&[crate::model::Role::TenantAdmin])?;
        let problems = settings.problems();
        if !problems.is_empty() {
            return Err(AppError::InvalidSettings(problems));
        }
        super::ports::backend()?.admin.save_cti_settings(&user, settings).await
    }
    .await)
}
