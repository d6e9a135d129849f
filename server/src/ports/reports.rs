//! レポート's port: a report over the floor the user supervises (`board_scope`),
//! counted with the tenant's サービスレベルの基準.

use app::api::ports::ReportsPort;
use app::domain::board_scope;
use app::domain::report::ReportForm;
use app::error::AppError;
use app::model::{Report, ReportService, SessionInfo};
use async_trait::async_trait;

use super::internal;
use crate::store::report::ReportScope;
use crate::store::{Store, now_ms};

pub(super) struct Reports {
    pub(super) store: Store,
}

#[async_trait]
impl ReportsPort for Reports {
    async fn services(&self, user: &SessionInfo) -> Result<Vec<ReportService>, AppError> {
        let scope = board_scope(user).ok_or(AppError::Forbidden)?;
        let services = self.store.services(scope.tenant_id, scope.service_id).await.map_err(internal)?;
        Ok(services.into_iter().map(|s| ReportService { id: s.id, name: s.name }).collect())
    }

    async fn report(&self, user: &SessionInfo, form: ReportForm) -> Result<Report, AppError> {
        let scope = board_scope(user).ok_or(AppError::Forbidden)?;
        let today = app::time::format_datetime(now_ms())[..10].to_owned();
        let span = form.or_today(&today).read().map_err(AppError::Invalid)?;
        let service_id = match (scope.service_id, span.service_id) {
            (Some(own), Some(asked)) if own != asked => return Err(AppError::NotFound),
            (own, asked) => asked.or(own),
        };
        if let Some(id) = service_id
            && self.store.services(scope.tenant_id, Some(id)).await.map_err(internal)?.is_empty()
        {
            return Err(AppError::NotFound);
        }
        let threshold = self
            .store
            .cti_settings(scope.tenant_id)
            .await
            .map_err(internal)?
            .map_or(app::domain::cti_settings::SERVICE_LEVEL_DEFAULT_SECS, |s| s.service_level_secs);
        let scope = ReportScope { tenant_id: scope.tenant_id, service_id };
        self.store.report(scope, span, threshold, now_ms()).await.map_err(internal)
    }
}
