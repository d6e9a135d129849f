//! Tenants' contracts (F1): which phone features each tenant may use.

use app::model::{AuditAction, Contract};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait};
use serde::Serialize;

use super::audit::Audit;
use super::entities::{cti_settings, tenant};
use super::{Store, StoreError};
use crate::routing::state::TenantPhone;

fn contract(t: &tenant::Model) -> Contract {
    Contract { tenant_id: t.id, tenant_name: t.name.clone(), inbound: t.feature_inbound, outbound: t.feature_outbound }
}

/// What the audit log keeps of a contract.
#[derive(Serialize)]
struct Features {
    inbound: bool,
    outbound: bool,
}

impl Store {
    pub async fn contract(&self, tenant_id: i32) -> Result<Option<Contract>, StoreError> {
        Ok(tenant::Entity::find_by_id(tenant_id).one(&self.db).await?.as_ref().map(contract))
    }

    /// Every tenant's contract but the platform's own.
    pub async fn contracts(&self, platform_tenant: i32) -> Result<Vec<Contract>, StoreError> {
        Ok(tenant::Entity::find()
            .filter(tenant::Column::Id.ne(platform_tenant))
            .order_by_asc(tenant::Column::Id)
            .all(&self.db)
            .await?
            .iter()
            .map(contract)
            .collect())
    }

    /// Sets a tenant's contract features, audited in that tenant's log. Answers the
    /// contract and the tenant's phone behaviour for routing; `None` for an unknown
    /// tenant.
    pub async fn save_contract(
        &self,
        actor_id: i32,
        tenant_id: i32,
        inbound: bool,
        outbound: bool,
        now: i64,
    ) -> Result<Option<(Contract, TenantPhone)>, StoreError> {
        let txn = self.db.begin().await?;
        let Some(before) = tenant::Entity::find_by_id(tenant_id).one(&txn).await? else {
            return Ok(None);
        };
        let after = tenant::ActiveModel {
            id: Set(tenant_id),
            feature_inbound: Set(inbound),
            feature_outbound: Set(outbound),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        Audit { tenant_id, actor_id, action: AuditAction::ContractUpdate, subject: &after.name, at: now }
            .record(
                &txn,
                Some(&Features { inbound: before.feature_inbound, outbound: before.feature_outbound }),
                Some(&Features { inbound, outbound }),
            )
            .await?;
        let settings = cti_settings::Entity::find_by_id(tenant_id).one(&txn).await?;
        txn.commit().await?;
        let own_music = self.hold_music_file(tenant_id).await?.map(|f| f.uploaded_at_ms);
        Ok(Some((contract(&after), super::admin::tenant_phone(&after, settings.as_ref(), own_music))))
    }
}
