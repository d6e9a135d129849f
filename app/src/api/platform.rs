//! The platform admin's server functions: tenants and their contracts (F1).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::Contract;

#[cfg(feature = "ssr")]
fn platform_admin() -> Result<crate::model::SessionInfo, AppError> {
    super::session::require_role(&[crate::model::Role::PlatformAdmin])
}

/// Every tenant's contract.
#[server(endpoint = "platform/contracts", output = server_fn::codec::Postcard)]
pub async fn list_contracts() -> Result<Vec<Contract>, AppError> {
    super::respond(async move { super::ports::backend()?.platform.contracts(&platform_admin()?).await }.await)
}

/// Sets a tenant's 電話CTIを使用する – IB / – OB; routing applies it at once.
#[server(endpoint = "platform/contracts/save", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn save_contract(tenant_id: i32, inbound: bool, outbound: bool) -> Result<Contract, AppError> {
    super::respond(
        async move {
            super::ports::backend()?.platform.save_contract(&platform_admin()?, tenant_id, inbound, outbound).await
        }
        .await,
    )
}
