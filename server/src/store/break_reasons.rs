//! 休憩理由: the reasons a tenant admin keeps for 休憩. A supervisor setting an agent
//! to 休憩 picks one; the agent's 休憩 keeps the label as it read then, so removing a
//! reason from the list changes no one's 休憩.

use app::domain::Problem;
use app::error::AppError;
use app::model::{AuditAction, BreakReason, UserId};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde::Serialize;

use super::audit::Audit;
use super::entities::{break_reason, tenant};
use super::{Store, StoreError};

/// What the audit log records of a reason.
#[derive(Serialize)]
struct Record<'a> {
    label: &'a str,
}

impl Store {
    pub async fn break_reasons(&self, tenant_id: i32) -> Result<Vec<BreakReason>, StoreError> {
        Ok(break_reason::Entity::find()
            .filter(break_reason::Column::TenantId.eq(tenant_id))
            .order_by_asc(break_reason::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| BreakReason { id: r.id, label: r.label })
            .collect())
    }

    /// The label of the tenant's reason `id`, if it has one.
    pub async fn break_reason(&self, tenant_id: i32, id: i32) -> Result<Option<String>, StoreError> {
        Ok(break_reason::Entity::find_by_id(id)
            .filter(break_reason::Column::TenantId.eq(tenant_id))
            .one(&self.db)
            .await?
            .map(|r| r.label))
    }

    /// Adds `label` (already checked) to the tenant's reasons, unless it is there.
    pub async fn add_break_reason(
        &self,
        tenant_id: i32,
        actor_id: UserId,
        label: &str,
        now: i64,
    ) -> Result<BreakReason, StoreError> {
        let txn = self.db.begin().await?;
        let taken = break_reason::Entity::find()
            .filter(break_reason::Column::TenantId.eq(tenant_id))
            .filter(break_reason::Column::Label.eq(label))
            .one(&txn)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Refused(AppError::invalid("label", Problem::Taken)));
        }
        let made = break_reason::ActiveModel {
            id: NotSet,
            tenant_id: Set(tenant_id),
            label: Set(label.to_owned()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let name = tenant_name(&txn, tenant_id).await?;
        Audit { tenant_id, actor_id, action: AuditAction::BreakReasonAdd, subject: &name, at: now }
            .record(&txn, None::<&()>, Some(&Record { label }))
            .await?;
        txn.commit().await?;
        Ok(BreakReason { id: made.id, label: made.label })
    }

    /// Removes the tenant's reason `id`; `NotFound` for another tenant's.
    pub async fn remove_break_reason(
        &self,
        tenant_id: i32,
        actor_id: UserId,
        id: i32,
        now: i64,
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        let Some(gone) =
            break_reason::Entity::find_by_id(id).filter(break_reason::Column::TenantId.eq(tenant_id)).one(&txn).await?
        else {
            return Err(StoreError::Refused(AppError::NotFound));
        };
        break_reason::Entity::delete_by_id(id).exec(&txn).await?;
        let name = tenant_name(&txn, tenant_id).await?;
        Audit { tenant_id, actor_id, action: AuditAction::BreakReasonRemove, subject: &name, at: now }
            .record(&txn, Some(&Record { label: &gone.label }), None::<&()>)
            .await?;
        txn.commit().await?;
        Ok(())
    }
}

async fn tenant_name(db: &impl sea_orm::ConnectionTrait, tenant_id: i32) -> Result<String, StoreError> {
    Ok(tenant::Entity::find_by_id(tenant_id).one(db).await?.map(|t| t.name).unwrap_or_default())
}
