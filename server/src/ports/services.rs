//! サービス管理: a service's people and caller numbers. Every method first finds the
//! service and checks that the caller administers it; a service of another tenant is
//! not found, whatever its id.

use app::api::ports::ServicesPort;
use app::domain::{Problem, may_administer_service};
use app::error::AppError;
use app::model::{NewOperator, NumberEntry, Operator, OperatorEdit, Role, ServiceSummary, SessionInfo};
use async_trait::async_trait;

use super::{internal, sync_agent};
use crate::routing::RoutingHandle;
use crate::store::entities::service;
use crate::store::{Store, now_ms};
use crate::{numbers, password};

pub(super) struct Services {
    pub(super) store: Store,
    pub(super) routing: RoutingHandle,
    pub(super) region: phonenumber::country::Id,
}

impl Services {
    /// The service `id`, if `user` administers it.
    async fn administered(&self, user: &SessionInfo, id: i32) -> Result<service::Model, AppError> {
        self.store
            .service(id)
            .await
            .map_err(internal)?
            .filter(|s| may_administer_service(user, s.tenant_id, s.id))
            .ok_or(AppError::NotFound)
    }
}

#[async_trait]
impl ServicesPort for Services {
    async fn services(&self, user: &SessionInfo) -> Result<Vec<ServiceSummary>, AppError> {
        let only = match user.role {
            Role::TenantAdmin => None,
            _ => Some(user.service_id.ok_or(AppError::Forbidden)?),
        };
        self.store.services(user.tenant_id, only).await.map_err(internal)
    }

    async fn operators(&self, user: &SessionInfo, service_id: i32) -> Result<Vec<Operator>, AppError> {
        let service = self.administered(user, service_id).await?;
        self.store.operators(service.id).await.map_err(internal)
    }

    async fn create_operator(
        &self,
        user: &SessionInfo,
        service_id: i32,
        new: NewOperator,
    ) -> Result<Operator, AppError> {
        let service = self.administered(user, service_id).await?;
        let hash = password::hash(new.password.clone()).await.map_err(|e| internal(e.into()))?;
        let (made, row) =
            self.store.create_operator(user.user_id, &service, &new, hash, now_ms()).await.map_err(internal)?;
        sync_agent(&self.routing, &row).await;
        Ok(made)
    }

    async fn update_operator(
        &self,
        user: &SessionInfo,
        service_id: i32,
        edit: OperatorEdit,
    ) -> Result<Operator, AppError> {
        let service = self.administered(user, service_id).await?;
        if edit.user_id == user.user_id && !edit.active {
            // Locking oneself out leaves no one to undo it.
            return Err(AppError::invalid("active", Problem::Choice));
        }
        let (saved, row) =
            self.store.update_operator(user.user_id, &service, &edit, now_ms()).await.map_err(internal)?;
        sync_agent(&self.routing, &row).await;
        Ok(saved)
    }

    async fn caller_numbers(&self, user: &SessionInfo, service_id: i32) -> Result<Vec<NumberEntry>, AppError> {
        let service = self.administered(user, service_id).await?;
        self.store.service_caller_numbers(service.id).await.map_err(internal)
    }

    async fn add_caller_number(
        &self,
        user: &SessionInfo,
        service_id: i32,
        number: &str,
        label: &str,
    ) -> Result<NumberEntry, AppError> {
        let service = self.administered(user, service_id).await?;
        let number =
            numbers::normalize(number, self.region).map_err(|_| AppError::invalid("number", Problem::PhoneNumber))?;
        let (entry, all) = self
            .store
            .add_caller_number(user.user_id, &service, number.as_str(), label, now_ms())
            .await
            .map_err(internal)?;
        self.routing.set_caller_numbers(service.id, all).await;
        Ok(entry)
    }

    async fn remove_caller_number(&self, user: &SessionInfo, service_id: i32, id: i32) -> Result<(), AppError> {
        let service = self.administered(user, service_id).await?;
        let all = self.store.remove_caller_number(user.user_id, &service, id, now_ms()).await.map_err(internal)?;
        self.routing.set_caller_numbers(service.id, all).await;
        Ok(())
    }
}
