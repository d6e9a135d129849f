//! 全体管理: the tenant admin's port, always on the caller's own tenant.

use app::api::ports::AdminPort;
use app::domain::CtiSettings;
use app::error::AppError;
use app::model::{AuditEntry, Contract, CtiOperator, HoldMusicFile, SessionInfo, UserId};
use async_trait::async_trait;

use super::{internal, sync_agent};
use crate::routing::RoutingHandle;
use crate::store::{Store, now_ms};

pub(super) struct Admin {
    pub(super) store: Store,
    pub(super) routing: RoutingHandle,
}

#[async_trait]
impl AdminPort for Admin {
    async fn contract(&self, user: &SessionInfo) -> Result<Contract, AppError> {
        self.store.contract(user.tenant_id).await.map_err(internal)?.ok_or(AppError::NotFound)
    }

    async fn cti_settings(&self, user: &SessionInfo) -> Result<CtiSettings, AppError> {
        self.store.cti_settings(user.tenant_id).await.map_err(internal)?.ok_or(AppError::NotFound)
    }

    async fn save_cti_settings(&self, user: &SessionInfo, settings: CtiSettings) -> Result<CtiSettings, AppError> {
        if settings.hold_music == app::domain::HOLD_MUSIC_OWN
            && self.store.hold_music_file(user.tenant_id).await.map_err(internal)?.is_none()
        {
            let problem = app::domain::FieldProblem::new(
                app::domain::cti_settings::field::HOLD_MUSIC,
                app::domain::Problem::NoHoldMusicFile,
            );
            return Err(AppError::Invalid(vec![problem]));
        }
        let phone =
            self.store.save_cti_settings(user.tenant_id, user.user_id, &settings, now_ms()).await.map_err(internal)?;
        self.routing.set_tenant_phone(user.tenant_id, phone).await;
        Ok(settings)
    }

    async fn hold_music_file(&self, user: &SessionInfo) -> Result<Option<HoldMusicFile>, AppError> {
        self.store.hold_music_file(user.tenant_id).await.map_err(internal)
    }

    async fn upload_hold_music(
        &self,
        user: &SessionInfo,
        file_name: &str,
        samples: Vec<i16>,
    ) -> Result<HoldMusicFile, AppError> {
        let file = self
            .store
            .save_hold_music(user.tenant_id, user.user_id, file_name, &samples, now_ms())
            .await
            .map_err(internal)?;
        if let Some(phone) = self.store.tenant_phone(user.tenant_id).await.map_err(internal)? {
            self.routing.set_tenant_phone(user.tenant_id, phone).await;
        }
        Ok(file)
    }

    async fn cti_operators(&self, user: &SessionInfo) -> Result<Vec<CtiOperator>, AppError> {
        self.store.cti_operators(user.tenant_id).await.map_err(internal)
    }

    async fn save_cti_identity(
        &self,
        user: &SessionInfo,
        user_id: UserId,
        cti_id: &str,
        cti_number: &str,
    ) -> Result<CtiOperator, AppError> {
        let (saved, row) = self
            .store
            .save_cti_identity(user.user_id, user.tenant_id, user_id, cti_id, cti_number, now_ms())
            .await
            .map_err(internal)?;
        sync_agent(&self.routing, &row).await;
        Ok(saved)
    }

    async fn set_sip_password(
        &self,
        user: &SessionInfo,
        user_id: UserId,
        password: &str,
    ) -> Result<CtiOperator, AppError> {
        self.store.set_sip_password(user.user_id, user.tenant_id, user_id, password, now_ms()).await.map_err(internal)
    }

    async fn audit_log(&self, user: &SessionInfo) -> Result<Vec<AuditEntry>, AppError> {
        self.store.audit_log(user.tenant_id).await.map_err(internal)
    }
}
