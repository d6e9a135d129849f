//! The demo tenant, loaded into an empty database so that `make run` shows a working
//! phone at once.

use app::domain::AgentStatus;
use app::i18n::Locale;
use app::model::Role;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
    TransactionTrait,
};

use super::entities::{break_reason, caller_number, cti_settings, service, tenant, user};
use super::{Store, StoreError};
use crate::password;

pub const DEMO_PASSWORD: &str = "demo1234";
/// The demo tenant's 休憩理由.
pub const DEMO_BREAK_REASONS: [&str; 4] = ["昼食", "小休憩", "研修", "ミーティング"];

/// The number customers of the demo service dial.
pub const DEMO_SERVICE_NUMBER: &str = "+81350000000";

/// The number customers of the second (empty) demo tenant dial.
pub const SECOND_SERVICE_NUMBER: &str = "+81660000000";

/// The number customers of load tenant `k` (2, 3, …; `load_demo_agents`) dial; the
/// first is the demo service's.
pub fn load_tenant_number(k: usize) -> String {
    format!("+8135100{k:04}")
}

/// Sign-ins printed at start-up: (username, what they are).
pub const DEMO_USERS: [(&str, &str); 7] = [
    ("root", "platform admin: tenants and contracts"),
    ("admin", "tenant admin of デモ株式会社"),
    ("manager", "service admin of サポートデスク"),
    ("op1", "operator, phone"),
    ("op2", "operator, phone"),
    ("op3", "operator, phone"),
    ("admin2", "tenant admin of the second, empty tenant ひかり商事"),
];

const FORCE_END_MESSAGE: &str = "恐れ入りますが、これ以上のご対応はいたしかねます。お電話を終了いたします。";

/// A person of the demo: (username, name, role, service, CTI ID and number).
type Person = (&'static str, &'static str, Role, Option<i32>, Option<(&'static str, &'static str)>);

impl Store {
    /// Gives the demo service `count` past tickets (hours to days old, among a few dozen
    /// customers), so that a fresh demo has a list worth filtering.
    pub async fn load_demo_history(&self, count: usize) -> Result<(), StoreError> {
        let Some(desk) = service::Entity::find()
            .filter(service::Column::InboundNumber.eq(DEMO_SERVICE_NUMBER))
            .one(&self.db)
            .await?
        else {
            return Ok(());
        };
        self.seed_tickets(desk.id, count, super::now_ms() - 3_600_000, 47 * 60_000, 40).await
    }

    /// Adds `count` agents for load tests: `agent00001`… with the demo password, the
    /// phone permission and CTI IDs `agent00001`… / numbers `300001`…. With `tenants`
    /// above 1 they are dealt round the demo service and `tenants - 1` load tenants
    /// (`負荷テナント 2`…, each with a service customers reach on `load_tenant_number`):
    /// agent n works for tenant (n - 1) mod `tenants`.
    pub async fn load_demo_agents(&self, count: usize, tenants: usize) -> Result<(), StoreError> {
        let Some(desk) = service::Entity::find()
            .filter(service::Column::InboundNumber.eq(DEMO_SERVICE_NUMBER))
            .one(&self.db)
            .await?
        else {
            return Ok(());
        };
        // One hash for all: hashing is deliberately slow.
        let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
        let txn = self.db.begin().await?;
        let mut desks = vec![(desk.tenant_id, desk.id)];
        for k in 2..=tenants.max(1) {
            let tenant = new_tenant(&txn, &format!("負荷テナント {k}"), true, true).await?;
            desks.push((tenant, new_service(&txn, tenant, "サポートデスク", &load_tenant_number(k)).await?));
        }
        for start in (1..=count).step_by(500) {
            let rows = (start..(start + 500).min(count + 1)).map(|n| user::ActiveModel {
                id: NotSet,
                tenant_id: Set(desks[(n - 1) % desks.len()].0),
                service_id: Set(Some(desks[(n - 1) % desks.len()].1)),
                username: Set(format!("agent{n:05}")),
                display_name: Set(format!("エージェント {n}")),
                password_hash: Set(hash.clone()),
                role: Set(Role::Operator.as_str().into()),
                phone_permission: Set(true),
                cti_id: Set(Some(format!("agent{n:05}"))),
                cti_number: Set(Some(format!("3{n:05}"))),
                locale: Set(Locale::Ja.tag().into()),
                active: Set(true),
                sip_ha1: Set(Some(crate::telephony::sip::digest::ha1(&format!("agent{n:05}"), DEMO_PASSWORD))),
                phone_endpoint: Set(app::model::Endpoint::default().stored().into()),
            });
            user::Entity::insert_many(rows).exec(&txn).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Loads the demo tenant if the database has no tenant yet. Answers whether it did.
    pub async fn load_demo_if_empty(&self) -> Result<bool, StoreError> {
        if tenant::Entity::find().count(&self.db).await? > 0 {
            return Ok(false);
        }
        let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
        let txn = self.db.begin().await?;
        // The platform's own tenant holds its admin and has no contract of its own.
        let platform = new_tenant(&txn, "ringdesk", false, false).await?;
        let demo = new_tenant(&txn, "デモ株式会社", true, true).await?;
        let desk = new_service(&txn, demo, "サポートデスク", DEMO_SERVICE_NUMBER).await?;
        caller_number::ActiveModel {
            id: NotSet,
            service_id: Set(desk),
            number: Set("+81350000001".into()),
            label: Set("サポート代表".into()),
        }
        .insert(&txn)
        .await?;
        for label in DEMO_BREAK_REASONS {
            break_reason::ActiveModel {
                id: NotSet,
                tenant_id: Set(demo),
                label: Set(label.into()),
                created_at: Set(0),
            }
            .insert(&txn)
            .await?;
        }
        let second = new_tenant(&txn, "ひかり商事", true, false).await?;
        new_service(&txn, second, "お客様窓口", SECOND_SERVICE_NUMBER).await?;

        let people: [(i32, Person); 7] = [
            (platform, ("root", "プラットフォーム管理者", Role::PlatformAdmin, None, None)),
            (demo, ("admin", "管理者", Role::TenantAdmin, None, None)),
            (demo, ("manager", "山田 太郎", Role::ServiceAdmin, Some(desk), None)),
            (demo, ("op1", "佐藤 花子", Role::Operator, Some(desk), Some(("op1", "2001")))),
            (demo, ("op2", "鈴木 一郎", Role::Operator, Some(desk), Some(("op2", "2002")))),
            (demo, ("op3", "高橋 美咲", Role::Operator, Some(desk), Some(("op3", "2003")))),
            (second, ("admin2", "管理者", Role::TenantAdmin, None, None)),
        ];
        for (tenant_id, (username, name, role, service_id, cti)) in people {
            user::ActiveModel {
                id: NotSet,
                tenant_id: Set(tenant_id),
                service_id: Set(service_id),
                username: Set(username.into()),
                display_name: Set(name.into()),
                password_hash: Set(hash.clone()),
                role: Set(role.as_str().into()),
                phone_permission: Set(cti.is_some()),
                cti_id: Set(cti.map(|(id, _)| id.to_owned())),
                cti_number: Set(cti.map(|(_, n)| n.to_owned())),
                locale: Set(Locale::Ja.tag().into()),
                active: Set(true),
                // The demo's phones register with the CTI ID and the demo password.
                sip_ha1: Set(cti.map(|(id, _)| crate::telephony::sip::digest::ha1(id, DEMO_PASSWORD))),
                phone_endpoint: Set(app::model::Endpoint::default().stored().into()),
            }
            .insert(&txn)
            .await?;
        }
        txn.commit().await?;
        Ok(true)
    }
}

/// A tenant with the demo's phone settings; answers its id.
async fn new_tenant(txn: &impl ConnectionTrait, name: &str, inbound: bool, outbound: bool) -> Result<i32, StoreError> {
    let t = tenant::ActiveModel {
        id: NotSet,
        name: Set(name.into()),
        feature_inbound: Set(inbound),
        feature_outbound: Set(outbound),
    }
    .insert(txn)
    .await?;
    cti_settings::ActiveModel {
        tenant_id: Set(t.id),
        ring_timeout_secs: Set(20),
        login_status: Set(AgentStatus::Busy.as_str().into()),
        missed_offer_status: Set(AgentStatus::Ready.as_str().into()),
        outbound_ticket_on_dial: Set(false),
        force_end_message: Set(FORCE_END_MESSAGE.into()),
        hold_music: Set("classic".into()),
        away_after_secs: Set(30),
        logout_after_secs: Set(600),
        answer_waiting: Set(false),
        service_level_secs: Set(app::domain::cti_settings::SERVICE_LEVEL_DEFAULT_SECS),
        wrapup_limit_secs: Set(0),
        auto_pause_after: Set(0),
    }
    .insert(txn)
    .await?;
    Ok(t.id)
}

async fn new_service(txn: &impl ConnectionTrait, tenant_id: i32, name: &str, number: &str) -> Result<i32, StoreError> {
    let s = service::ActiveModel {
        id: NotSet,
        tenant_id: Set(tenant_id),
        name: Set(name.into()),
        inbound_number: Set(number.into()),
    }
    .insert(txn)
    .await?;
    Ok(s.id)
}
