//! A service's people (サービス管理 → オペレーター) and their CTI identities
//! (全体管理 → CTI管理 → CTIオペレータ管理).

use app::domain::{FieldProblem, Problem};
use app::error::AppError;
use app::model::{AuditAction, CtiOperator, NewOperator, Operator, OperatorEdit, Role, ServiceSummary, UserId};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde::Serialize;

use super::audit::Audit;
use super::entities::{service, session, user};
use super::{Store, StoreError};

/// The roles that work in one service.
const SERVICE_ROLES: [Role; 2] = [Role::Operator, Role::ServiceAdmin];

fn refused(field: &str, problem: Problem) -> StoreError {
    StoreError::Refused(AppError::invalid(field, problem))
}

pub fn has_cti_identity(u: &user::Model) -> bool {
    u.cti_id.as_deref().is_some_and(|s| !s.is_empty()) && u.cti_number.as_deref().is_some_and(|s| !s.is_empty())
}

fn operator(u: &user::Model) -> Operator {
    Operator {
        user_id: u.id,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: Role::parse(&u.role).unwrap_or(Role::Operator),
        phone_permission: u.phone_permission,
        active: u.active,
        has_cti_identity: has_cti_identity(u),
    }
}

/// What the audit log keeps of an operator (never the password).
#[derive(Serialize)]
struct OperatorRecord<'a> {
    username: &'a str,
    display_name: &'a str,
    phone_permission: bool,
    active: bool,
}

impl<'a> From<&'a user::Model> for OperatorRecord<'a> {
    fn from(u: &'a user::Model) -> Self {
        OperatorRecord {
            username: &u.username,
            display_name: &u.display_name,
            phone_permission: u.phone_permission,
            active: u.active,
        }
    }
}

#[derive(Serialize)]
struct CtiRecord<'a> {
    cti_id: Option<&'a str>,
    cti_number: Option<&'a str>,
}

impl<'a> From<&'a user::Model> for CtiRecord<'a> {
    fn from(u: &'a user::Model) -> Self {
        CtiRecord { cti_id: u.cti_id.as_deref(), cti_number: u.cti_number.as_deref() }
    }
}

/// A user of the service `service_id`, or not found.
async fn member<C: ConnectionTrait>(db: &C, service_id: i32, user_id: UserId) -> Result<user::Model, StoreError> {
    user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| {
            u.service_id == Some(service_id) && Role::parse(&u.role).is_some_and(|r| SERVICE_ROLES.contains(&r))
        })
        .ok_or(StoreError::Refused(AppError::NotFound))
}

impl Store {
    pub async fn service(&self, service_id: i32) -> Result<Option<service::Model>, StoreError> {
        Ok(service::Entity::find_by_id(service_id).one(&self.db).await?)
    }

    /// A tenant's services, or only `only` among them.
    pub async fn services(&self, tenant_id: i32, only: Option<i32>) -> Result<Vec<ServiceSummary>, StoreError> {
        let mut q = service::Entity::find().filter(service::Column::TenantId.eq(tenant_id));
        if let Some(id) = only {
            q = q.filter(service::Column::Id.eq(id));
        }
        Ok(q.order_by_asc(service::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| ServiceSummary { id: s.id, name: s.name, inbound_number: self.reading.shown(&s.inbound_number) })
            .collect())
    }

    pub async fn operators(&self, service_id: i32) -> Result<Vec<Operator>, StoreError> {
        Ok(user::Entity::find()
            .filter(user::Column::ServiceId.eq(service_id))
            .filter(user::Column::Role.is_in(SERVICE_ROLES.map(|r| r.as_str())))
            .order_by_asc(user::Column::Id)
            .all(&self.db)
            .await?
            .iter()
            .map(operator)
            .collect())
    }

    /// Adds an operator to a service. `password_hash` is the new password's hash.
    pub async fn create_operator(
        &self,
        actor_id: UserId,
        service: &service::Model,
        new: &NewOperator,
        password_hash: String,
        now: i64,
    ) -> Result<(Operator, user::Model), StoreError> {
        let txn = self.db.begin().await?;
        if user::Entity::find().filter(user::Column::Username.eq(&new.username)).one(&txn).await?.is_some() {
            return Err(refused("username", Problem::Taken));
        }
        let made = user::ActiveModel {
            id: NotSet,
            tenant_id: Set(service.tenant_id),
            service_id: Set(Some(service.id)),
            username: Set(new.username.clone()),
            display_name: Set(new.display_name.trim().to_owned()),
            password_hash: Set(password_hash),
            role: Set(Role::Operator.as_str().to_owned()),
            phone_permission: Set(new.phone_permission),
            cti_id: Set(None),
            cti_number: Set(None),
            locale: Set(app::i18n::Locale::default().tag().to_owned()),
            active: Set(true),
            sip_ha1: Set(None),
            phone_endpoint: Set(app::model::Endpoint::default().stored().into()),
        }
        .insert(&txn)
        .await?;
        Audit {
            tenant_id: service.tenant_id,
            actor_id,
            action: AuditAction::OperatorCreate,
            subject: &made.display_name,
            at: now,
        }
        .record(&txn, None::<&()>, Some(&OperatorRecord::from(&made)))
        .await?;
        txn.commit().await?;
        Ok((operator(&made), made))
    }

    /// Saves an operator of the service. A disabled account's sessions end at once.
    pub async fn update_operator(
        &self,
        actor_id: UserId,
        service: &service::Model,
        edit: &OperatorEdit,
        now: i64,
    ) -> Result<(Operator, user::Model), StoreError> {
        let txn = self.db.begin().await?;
        let before = member(&txn, service.id, edit.user_id).await?;
        let after = user::ActiveModel {
            id: Set(before.id),
            display_name: Set(edit.display_name.trim().to_owned()),
            phone_permission: Set(edit.phone_permission),
            active: Set(edit.active),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        if !after.active {
            session::Entity::delete_many().filter(session::Column::UserId.eq(after.id)).exec(&txn).await?;
        }
        Audit {
            tenant_id: service.tenant_id,
            actor_id,
            action: AuditAction::OperatorUpdate,
            subject: &after.display_name,
            at: now,
        }
        .record(&txn, Some(&OperatorRecord::from(&before)), Some(&OperatorRecord::from(&after)))
        .await?;
        txn.commit().await?;
        Ok((operator(&after), after))
    }

    /// The tenant's people who hold the phone permission, with their CTI identity.
    pub async fn cti_operators(&self, tenant_id: i32) -> Result<Vec<CtiOperator>, StoreError> {
        let services: std::collections::HashMap<i32, String> = service::Entity::find()
            .filter(service::Column::TenantId.eq(tenant_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        Ok(user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(user::Column::PhonePermission.eq(true))
            .order_by_asc(user::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| cti_operator(&u, &services))
            .collect())
    }

    /// Assigns a CTI ID and CTI number (validated), each unique within the tenant.
    pub async fn save_cti_identity(
        &self,
        actor_id: UserId,
        tenant_id: i32,
        user_id: UserId,
        cti_id: &str,
        cti_number: &str,
        now: i64,
    ) -> Result<(CtiOperator, user::Model), StoreError> {
        let txn = self.db.begin().await?;
        let before = phone_operator(&txn, tenant_id, user_id).await?;
        let others = user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(user::Column::Id.ne(user_id))
            .filter(Condition::any().add(user::Column::CtiId.eq(cti_id)).add(user::Column::CtiNumber.eq(cti_number)))
            .all(&txn)
            .await?;
        let mut taken = Vec::new();
        if others.iter().any(|u| u.cti_id.as_deref() == Some(cti_id)) {
            taken.push(FieldProblem::new("cti_id", Problem::Taken));
        }
        if others.iter().any(|u| u.cti_number.as_deref() == Some(cti_number)) {
            taken.push(FieldProblem::new("cti_number", Problem::Taken));
        }
        if !taken.is_empty() {
            return Err(StoreError::Refused(AppError::Invalid(taken)));
        }
        // The SIP password's hash is made with the CTI ID (the phone's user name): a new
        // CTI ID needs the password set again.
        let sip_ha1 = if before.cti_id.as_deref() == Some(cti_id) { before.sip_ha1.clone() } else { None };
        let after = user::ActiveModel {
            id: Set(user_id),
            cti_id: Set(Some(cti_id.to_owned())),
            cti_number: Set(Some(cti_number.to_owned())),
            sip_ha1: Set(sip_ha1),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        Audit { tenant_id, actor_id, action: AuditAction::CtiIdentityUpdate, subject: &after.display_name, at: now }
            .record(&txn, Some(&CtiRecord::from(&before)), Some(&CtiRecord::from(&after)))
            .await?;
        let operator = cti_operator_of(&txn, &after).await?;
        txn.commit().await?;
        Ok((operator, after))
    }
}

impl Store {
    /// Sets the SIP password of a phone operator with a CTI ID: only its digest hash is
    /// kept. The audit log says it was set, never what it is.
    pub async fn set_sip_password(
        &self,
        actor_id: UserId,
        tenant_id: i32,
        user_id: UserId,
        password: &str,
        now: i64,
    ) -> Result<CtiOperator, StoreError> {
        let txn = self.db.begin().await?;
        let before = phone_operator(&txn, tenant_id, user_id).await?;
        let Some(cti_id) = before.cti_id.clone().filter(|c| !c.is_empty()) else {
            return Err(refused("cti_id", Problem::Required));
        };
        let after = user::ActiveModel {
            id: Set(user_id),
            sip_ha1: Set(Some(crate::telephony::sip::digest::ha1(&cti_id, password))),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        Audit { tenant_id, actor_id, action: AuditAction::SipPasswordSet, subject: &after.display_name, at: now }
            .record(&txn, None::<&()>, None::<&()>)
            .await?;
        let operator = cti_operator_of(&txn, &after).await?;
        txn.commit().await?;
        Ok(operator)
    }
}

/// A phone operator of the tenant; another tenant's, or someone without the phone, is not
/// found (ids reveal nothing).
async fn phone_operator<C: ConnectionTrait>(
    db: &C,
    tenant_id: i32,
    user_id: UserId,
) -> Result<user::Model, StoreError> {
    user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.tenant_id == tenant_id && u.phone_permission)
        .ok_or(StoreError::Refused(AppError::NotFound))
}

/// One operator as CTIオペレータ管理 lists them, with their service's name.
async fn cti_operator_of<C: ConnectionTrait>(db: &C, u: &user::Model) -> Result<CtiOperator, StoreError> {
    let service_name = match u.service_id {
        Some(id) => service::Entity::find_by_id(id).one(db).await?.map(|s| s.name),
        None => None,
    };
    let services = u.service_id.zip(service_name).into_iter().collect();
    Ok(cti_operator(u, &services))
}

fn cti_operator(u: &user::Model, services: &std::collections::HashMap<i32, String>) -> CtiOperator {
    CtiOperator {
        user_id: u.id,
        display_name: u.display_name.clone(),
        service_name: u.service_id.and_then(|s| services.get(&s).cloned()).unwrap_or_default(),
        cti_id: u.cti_id.clone(),
        cti_number: u.cti_number.clone(),
        has_sip_password: u.sip_ha1.is_some(),
    }
}
