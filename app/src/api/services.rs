//! サービス管理: the server functions of a service's administration. The server checks
//! that the caller administers the service named (a tenant admin any of their tenant's,
//! a service admin their own); any other id is not found.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{NewOperator, NumberEntry, Operator, OperatorEdit, ServiceSummary};

#[cfg(feature = "ssr")]
fn service_admin() -> Result<crate::model::SessionInfo, AppError> {
    use crate::model::Role;
    super::session::require_role(&[Role::TenantAdmin, Role::ServiceAdmin])
}

/// The services the caller administers.
#[server(endpoint = "services", output = server_fn::codec::Postcard)]
pub async fn list_services() -> Result<Vec<ServiceSummary>, AppError> {
    super::respond(async move { super::ports::backend()?.services.services(&service_admin()?).await }.await)
}

/// サービス管理 → オペレーター.
#[server(endpoint = "services/operators", output = server_fn::codec::Postcard)]
pub async fn list_operators(service_id: i32) -> Result<Vec<Operator>, AppError> {
    super::respond(
        async move { super::ports::backend()?.services.operators(&service_admin()?, service_id).await }.await,
    )
}

#[server(endpoint = "services/operators/create", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn create_operator(service_id: i32, operator: NewOperator) -> Result<Operator, AppError> {
    super::respond(
        async move {
            use crate::domain::validation::{Checks, password, text, username};
            let user = service_admin()?;
            let mut checks = Checks::default();
            checks
                .check("username", username(&operator.username))
                .check("display_name", text(&operator.display_name, 64))
                .check("password", password(&operator.password));
            let problems = checks.into_vec();
            if !problems.is_empty() {
                return Err(AppError::Invalid(problems));
            }
            super::ports::backend()?.services.create_operator(&user, service_id, operator).await
        }
        .await,
    )
}

#[server(endpoint = "services/operators/save", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn update_operator(service_id: i32, edit: OperatorEdit) -> Result<Operator, AppError> {
    super::respond(
        async move {
            let user = service_admin()?;
            if let Some(p) = crate::domain::validation::text(&edit.display_name, 64) {
                return Err(AppError::invalid("display_name", p));
            }
            super::ports::backend()?.services.update_operator(&user, service_id, edit).await
        }
        .await,
    )
}

/// サービス管理 → 電話 → 発信番号管理.
#[server(endpoint = "services/caller-numbers", output = server_fn::codec::Postcard)]
pub async fn list_service_caller_numbers(service_id: i32) -> Result<Vec<NumberEntry>, AppError> {
    super::respond(
        async move { super::ports::backend()?.services.caller_numbers(&service_admin()?, service_id).await }.await,
    )
}

/// Registers a caller number; the server stores it in E.164 form.
#[server(endpoint = "services/caller-numbers/add", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn add_caller_number(service_id: i32, number: String, label: String) -> Result<NumberEntry, AppError> {
    super::respond(
        async move {
            let user = service_admin()?;
            if let Some(p) = crate::domain::validation::text(&label, 40) {
                return Err(AppError::invalid("label", p));
            }
            super::ports::backend()?.services.add_caller_number(&user, service_id, &number, label.trim()).await
        }
        .await,
    )
}

#[server(endpoint = "services/caller-numbers/remove", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn remove_caller_number(service_id: i32, id: i32) -> Result<(), AppError> {
    super::respond(
        async move { super::ports::backend()?.services.remove_caller_number(&service_admin()?, service_id, id).await }
            .await,
    )
}
