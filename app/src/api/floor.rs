//! ボード: a supervisor's control of the floor, and the tenant's 休憩理由. The server
//! checks that the caller supervises the agent's service (a tenant admin any of the
//! tenant's, a service admin their own); any other agent is not found.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{BreakReason, UserId};

/// Sets an agent to 休憩 (with `reason`, one of the tenant's 休憩理由), 業務 or
/// CTI未ログイン; during a call it takes effect when the call ends.
#[server(endpoint = "board/set-status", output = server_fn::codec::Postcard)]
pub async fn set_agent_status(agent: UserId, status: String, reason: Option<i32>) -> Result<(), AppError> {
    super::respond(
        async move {
            let user = super::session::require_user()?;
            let to = crate::domain::AgentStatus::parse(&status)
                .filter(|s| crate::domain::SUPERVISED.contains(s))
                .ok_or_else(|| AppError::invalid("status", crate::domain::Problem::Choice))?;
            super::ports::backend()?.floor.set_agent_status(&user, agent, to, reason).await
        }
        .await,
    )
}

/// The tenant's 休憩理由.
#[server(endpoint = "board/break-reasons", output = server_fn::codec::Postcard)]
pub async fn break_reasons() -> Result<Vec<BreakReason>, AppError> {
    super::respond(
        async move { super::ports::backend()?.floor.break_reasons(&super::session::require_user()?).await }.await,
    )
}

#[server(endpoint = "admin/break-reasons/add", output = server_fn::codec::Postcard)]
pub async fn add_break_reason(label: String) -> Result<BreakReason, AppError> {
    super::respond(
        async move {
            let user = super::session::require_user()?;
            let label = label.trim().to_owned();
            if let Some(p) = crate::domain::validation::text(&label, 32) {
                return Err(AppError::invalid("label", p));
            }
            super::ports::backend()?.floor.add_break_reason(&user, &label).await
        }
        .await,
    )
}

#[server(endpoint = "admin/break-reasons/remove", output = server_fn::codec::Postcard)]
pub async fn remove_break_reason(id: i32) -> Result<(), AppError> {
    super::respond(
        async move { super::ports::backend()?.floor.remove_break_reason(&super::session::require_user()?, id).await }
            .await,
    )
}
