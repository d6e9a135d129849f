//! The audit log: written in the same transaction as the change it describes, read by
//! the tenant admin with each change reduced to the fields that differ.

use std::collections::{BTreeMap, HashMap};

use app::model::{AuditAction, AuditEntry, FieldChange};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;

use super::entities::{audit_entry, user};
use super::{Store, StoreError};

/// How many entries the reader shows, newest first.
const SHOWN: u64 = 200;

/// One change to record.
pub(super) struct Audit<'a> {
    pub tenant_id: i32,
    pub actor_id: i32,
    pub action: AuditAction,
    /// What was changed, as a person names it.
    pub subject: &'a str,
    pub at: i64,
}

impl Audit<'_> {
    pub(super) async fn record<C: ConnectionTrait>(
        self,
        db: &C,
        before: Option<&impl Serialize>,
        after: Option<&impl Serialize>,
    ) -> Result<(), DbErr> {
        audit_entry::ActiveModel {
            id: NotSet,
            tenant_id: Set(self.tenant_id),
            actor_id: Set(self.actor_id),
            action: Set(self.action.as_str().to_owned()),
            subject: Set(Some(self.subject.to_owned())),
            before: Set(before.map(json)),
            after: Set(after.map(json)),
            at: Set(self.at),
        }
        .insert(db)
        .await?;
        Ok(())
    }
}

fn json(v: &impl Serialize) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

impl Store {
    /// The tenant's newest audit entries.
    pub async fn audit_log(&self, tenant_id: i32) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = audit_entry::Entity::find()
            .filter(audit_entry::Column::TenantId.eq(tenant_id))
            .order_by_desc(audit_entry::Column::At)
            .order_by_desc(audit_entry::Column::Id)
            .limit(SHOWN)
            .all(&self.db)
            .await?;
        let mut actor_ids: Vec<i32> = rows.iter().map(|r| r.actor_id).collect();
        actor_ids.sort_unstable();
        actor_ids.dedup();
        let actors: HashMap<i32, String> = user::Entity::find()
            .filter(user::Column::Id.is_in(actor_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(AuditEntry {
                    at_ms: r.at,
                    actor: actors.get(&r.actor_id).cloned().unwrap_or_else(|| format!("#{}", r.actor_id)),
                    action: AuditAction::parse(&r.action)?,
                    subject: r.subject.unwrap_or_default(),
                    changes: changes(r.before.as_deref(), r.after.as_deref()),
                })
            })
            .collect())
    }
}

/// The fields whose values differ between two JSON objects, in name order.
pub fn changes(before: Option<&str>, after: Option<&str>) -> Vec<FieldChange> {
    let fields = |json: Option<&str>| -> BTreeMap<String, serde_json::Value> {
        json.and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default()
    };
    let (before, after) = (fields(before), fields(after));
    let shown = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    };
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|n| before.get(*n) != after.get(*n))
        .map(|n| FieldChange { field: n.clone(), before: shown(before.get(n)), after: shown(after.get(n)) })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_fields_that_differ_are_shown() {
        let c = changes(Some(r#"{"a":1,"b":"x","c":true}"#), Some(r#"{"a":2,"b":"x","c":true}"#));
        assert_eq!(c, [FieldChange { field: "a".into(), before: Some("1".into()), after: Some("2".into()) }]);
    }

    #[test]
    fn a_creation_shows_every_field_as_new_and_a_removal_as_gone() {
        let made = changes(None, Some(r#"{"label":"代表","number":"+81350000001"}"#));
        assert_eq!(made.len(), 2);
        assert!(made.iter().all(|c| c.before.is_none() && c.after.is_some()));
        let gone = changes(Some(r#"{"label":"代表"}"#), None);
        assert_eq!(gone, [FieldChange { field: "label".into(), before: Some("代表".into()), after: None }]);
    }
}
