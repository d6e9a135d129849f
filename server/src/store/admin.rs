//! Administrative settings, each change written with its audit entry in one
//! transaction.

use app::domain::{AgentStatus, CtiSettings};
use app::model::AuditAction;
use sea_orm::{ActiveModelTrait, EntityTrait, Set, TransactionTrait};

use super::audit::Audit;
use super::entities::{cti_settings, tenant};
use super::{Store, StoreError};
use crate::routing::state::TenantPhone;

pub(super) fn settings_from_row(s: cti_settings::Model) -> CtiSettings {
    CtiSettings {
        ring_timeout_secs: s.ring_timeout_secs,
        login_status: AgentStatus::parse(&s.login_status).unwrap_or(AgentStatus::Busy),
        missed_offer_status: AgentStatus::parse(&s.missed_offer_status).unwrap_or(AgentStatus::Ready),
        outbound_ticket_on_dial: s.outbound_ticket_on_dial,
        force_end_message: s.force_end_message,
        hold_music: s.hold_music,
        away_after_secs: s.away_after_secs,
        logout_after_secs: s.logout_after_secs,
        answer_waiting: s.answer_waiting,
        service_level_secs: s.service_level_secs,
        wrapup_limit_secs: s.wrapup_limit_secs,
        auto_pause_after: s.auto_pause_after,
    }
}

/// A tenant's phone behaviour as routing needs it: its contract, its CTI settings, and
/// the version of its own hold music (if it uploaded one).
pub(super) fn tenant_phone(
    t: &tenant::Model,
    settings: Option<&cti_settings::Model>,
    own_music: Option<i64>,
) -> TenantPhone {
    let phone = match settings {
        Some(s) => TenantPhone::from_settings(t.feature_inbound, t.feature_outbound, &settings_from_row(s.clone())),
        None => TenantPhone { inbound: t.feature_inbound, outbound: t.feature_outbound, ..TenantPhone::default() },
    };
    TenantPhone { own_music, ..phone }
}

impl Store {
    /// A tenant's phone behaviour as routing needs it, read afresh.
    pub async fn tenant_phone(&self, tenant_id: i32) -> Result<Option<TenantPhone>, StoreError> {
        let Some(t) = tenant::Entity::find_by_id(tenant_id).one(&self.db).await? else { return Ok(None) };
        let settings = cti_settings::Entity::find_by_id(tenant_id).one(&self.db).await?;
        let own_music = self.hold_music_file(tenant_id).await?.map(|f| f.uploaded_at_ms);
        Ok(Some(tenant_phone(&t, settings.as_ref(), own_music)))
    }

    pub async fn cti_settings(&self, tenant_id: i32) -> Result<Option<CtiSettings>, StoreError> {
        Ok(cti_settings::Entity::find_by_id(tenant_id).one(&self.db).await?.map(settings_from_row))
    }

    /// Saves a tenant's CTI settings and the audit entry of the change; answers the
    /// tenant's phone behaviour as routing needs it.
    pub async fn save_cti_settings(
        &self,
        tenant_id: i32,
        actor_id: i32,
        new: &CtiSettings,
        now: i64,
    ) -> Result<TenantPhone, StoreError> {
        let txn = self.db.begin().await?;
        let before = cti_settings::Entity::find_by_id(tenant_id).one(&txn).await?.map(settings_from_row);
        let row = cti_settings::ActiveModel {
            tenant_id: Set(tenant_id),
            ring_timeout_secs: Set(new.ring_timeout_secs),
            login_status: Set(new.login_status.as_str().to_owned()),
            missed_offer_status: Set(new.missed_offer_status.as_str().to_owned()),
            outbound_ticket_on_dial: Set(new.outbound_ticket_on_dial),
            force_end_message: Set(new.force_end_message.clone()),
            hold_music: Set(new.hold_music.clone()),
            away_after_secs: Set(new.away_after_secs),
            logout_after_secs: Set(new.logout_after_secs),
            answer_waiting: Set(new.answer_waiting),
            service_level_secs: Set(new.service_level_secs),
            wrapup_limit_secs: Set(new.wrapup_limit_secs),
            auto_pause_after: Set(new.auto_pause_after),
        };
        if before.is_some() {
            row.update(&txn).await?;
        } else {
            row.insert(&txn).await?;
        }
        let t = tenant::Entity::find_by_id(tenant_id).one(&txn).await?;
        let subject = t.as_ref().map(|t| t.name.as_str()).unwrap_or_default();
        Audit { tenant_id, actor_id, action: AuditAction::CtiSettingsUpdate, subject, at: now }
            .record(&txn, before.as_ref(), Some(new))
            .await?;
        txn.commit().await?;
        let (inbound, outbound) = t.map_or((false, false), |t| (t.feature_inbound, t.feature_outbound));
        let own_music = self.hold_music_file(tenant_id).await?.map(|f| f.uploaded_at_ms);
        Ok(TenantPhone { own_music, ..TenantPhone::from_settings(inbound, outbound, new) })
    }
}
