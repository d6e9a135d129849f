//! The demo tenant, loaded into an empty database so that `make run` shows a working
//! phone at once.

use app::domain::AgentStatus;
use app::i18n::Locale;
use app::model::Role;
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, EntityTrait, PaginatorTrait, Set, TransactionTrait};

use super::entities::{caller_number, cti_settings, service, tenant, user};
use super::{Store, StoreError};
use crate::password;

pub const DEMO_PASSWORD: &str = "demo1234";
/// The number customers of the demo service dial.
pub const DEMO_SERVICE_NUMBER: &str = "+81350000000";

/// Sign-ins printed at start-up: (username, what they are).
pub const DEMO_USERS: [(&str, &str); 4] = [
    ("admin", "tenant admin"),
    ("op1", "operator, phone"),
    ("op2", "operator, phone"),
    ("op3", "operator, phone"),
];

impl Store {
    /// Loads the demo tenant if the database has no tenant yet. Answers whether it did.
    pub async fn load_demo_if_empty(&self) -> Result<bool, StoreError> {
        if tenant::Entity::find().count(&self.db).await? > 0 {
            return Ok(false);
        }
        let hash = password::hash(DEMO_PASSWORD.to_owned()).await;
        let txn = self.db.begin().await?;
        let t = tenant::ActiveModel {
            id: NotSet,
            name: Set("デモ株式会社".into()),
            feature_inbound: Set(true),
            feature_outbound: Set(true),
        }
        .insert(&txn)
        .await?;
        cti_settings::ActiveModel {
            tenant_id: Set(t.id),
            ring_timeout_secs: Set(20),
            login_status: Set(AgentStatus::Busy.as_str().into()),
            missed_offer_status: Set(AgentStatus::Ready.as_str().into()),
            outbound_ticket_on_dial: Set(false),
            force_end_message: Set("恐れ入りますが、これ以上のご対応はいたしかねます。お電話を終了いたします。".into()),
            hold_music: Set("classic".into()),
        }
        .insert(&txn)
        .await?;
        let s = service::ActiveModel {
            id: NotSet,
            tenant_id: Set(t.id),
            name: Set("サポートデスク".into()),
            inbound_number: Set(DEMO_SERVICE_NUMBER.into()),
        }
        .insert(&txn)
        .await?;
        caller_number::ActiveModel {
            id: NotSet,
            service_id: Set(s.id),
            number: Set("+81350000001".into()),
            label: Set("サポート代表".into()),
        }
        .insert(&txn)
        .await?;
        let people = [
            ("admin", "管理者", Role::TenantAdmin, None),
            ("op1", "佐藤 花子", Role::Operator, Some(("op1", "2001"))),
            ("op2", "鈴木 一郎", Role::Operator, Some(("op2", "2002"))),
            ("op3", "高橋 美咲", Role::Operator, Some(("op3", "2003"))),
        ];
        for (username, name, role, cti) in people {
            user::ActiveModel {
                id: NotSet,
                tenant_id: Set(t.id),
                service_id: Set(Some(s.id)),
                username: Set(username.into()),
                display_name: Set(name.into()),
                password_hash: Set(hash.clone()),
                role: Set(role.as_str().into()),
                phone_permission: Set(cti.is_some()),
                cti_id: Set(cti.map(|(id, _)| id.to_owned())),
                cti_number: Set(cti.map(|(_, n)| n.to_owned())),
                locale: Set(Locale::Ja.tag().into()),
            }
            .insert(&txn)
            .await?;
        }
        txn.commit().await?;
        Ok(true)
    }
}
