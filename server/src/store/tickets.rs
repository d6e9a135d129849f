//! Reading tickets and their calls, always within the reader's tenant.

use std::collections::HashMap;

use app::model::{CallDirection, CallRecord, EndReason, TicketDetail, TicketId, TicketStatus, TicketSummary};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::{call, call_event, ticket, user};
use super::{Store, StoreError};

const LIST_LIMIT: u64 = 100;

impl Store {
    pub async fn list_tickets(&self, tenant_id: i32) -> Result<Vec<TicketSummary>, StoreError> {
        let rows = ticket::Entity::find()
            .filter(ticket::Column::TenantId.eq(tenant_id))
            .order_by_desc(ticket::Column::Id)
            .limit(LIST_LIMIT)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|t| TicketSummary {
                id: t.id,
                subject: t.subject,
                status: TicketStatus::parse(&t.status).unwrap_or(TicketStatus::Open),
                customer_number: t.customer_number,
                created_at_ms: t.created_at,
            })
            .collect())
    }

    /// The ticket `id` of `tenant_id`; another tenant's ticket is as absent as one that
    /// does not exist.
    pub async fn ticket(&self, tenant_id: i32, id: TicketId) -> Result<Option<TicketDetail>, StoreError> {
        let Some(t) = ticket::Entity::find_by_id(id)
            .filter(ticket::Column::TenantId.eq(tenant_id))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let calls = call::Entity::find()
            .filter(call::Column::TicketId.eq(id))
            .order_by_asc(call::Column::QueuedAt)
            .all(&self.db)
            .await?;
        let call_ids: Vec<String> = calls.iter().map(|c| c.id.clone()).collect();
        let events = call_event::Entity::find()
            .filter(call_event::Column::CallId.is_in(call_ids))
            .filter(call_event::Column::Kind.is_in(["message_played", "transferred"]))
            .order_by_asc(call_event::Column::Id)
            .all(&self.db)
            .await?;
        let messages: HashMap<&str, &str> = events
            .iter()
            .filter(|e| e.kind == "message_played")
            .filter_map(|e| Some((e.call_id.as_str(), e.detail.as_deref()?)))
            .collect();
        // A transfer to a colleague is kept as `agent:<id>`, to a number outside as it.
        let to_agent = |d: &str| d.strip_prefix("agent:").and_then(|id| id.parse::<i32>().ok());
        // (The end of a call transferred outside is an event of the same name, without
        // a target.)
        let transfers: Vec<&call_event::Model> =
            events.iter().filter(|e| e.kind == "transferred" && e.detail.is_some()).collect();
        let mut user_ids: Vec<i32> = calls
            .iter()
            .filter_map(|c| c.agent_id)
            .chain(t.assignee_id)
            .chain(transfers.iter().filter_map(|e| e.agent_id))
            .chain(transfers.iter().filter_map(|e| e.detail.as_deref().and_then(to_agent)))
            .collect();
        user_ids.sort_unstable();
        user_ids.dedup();
        let names: HashMap<i32, String> = user::Entity::find()
            .filter(user::Column::Id.is_in(user_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        Ok(Some(TicketDetail {
            id: t.id,
            subject: t.subject,
            body: t.body,
            status: TicketStatus::parse(&t.status).unwrap_or(TicketStatus::Open),
            customer_number: t.customer_number,
            assignee: t.assignee_id.and_then(|a| names.get(&a).cloned()),
            created_at_ms: t.created_at,
            calls: calls
                .into_iter()
                .map(|c| CallRecord {
                    direction: if c.direction == "outbound" { CallDirection::Outbound } else { CallDirection::Inbound },
                    agent: c.agent_id.and_then(|a| names.get(&a).cloned()),
                    force_end_message: messages.get(c.id.as_str()).map(|m| (*m).to_owned()),
                    transfers: transfers
                        .iter()
                        .filter(|e| e.call_id == c.id)
                        .map(|e| {
                            let name = |id: Option<i32>| id.and_then(|a| names.get(&a).cloned()).unwrap_or_default();
                            let detail = e.detail.clone().unwrap_or_default();
                            let to = to_agent(&detail).map_or(detail, |a| name(Some(a)));
                            (name(e.agent_id), to)
                        })
                        .collect(),
                    call_id: c.id,
                    customer_number: c.customer_number,
                    queued_at_ms: c.queued_at,
                    answered_at_ms: c.answered_at,
                    ended_at_ms: c.ended_at,
                    end_reason: c.end_reason.as_deref().and_then(EndReason::parse),
                })
                .collect(),
        }))
    }
}
