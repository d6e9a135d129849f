//! Administration over HTTP (F1–F4): what administrators change reaches live routing at
//! once, bad input is refused beside its field and changes nothing, and every change is
//! in the audit log.

mod common;

use app::domain::{AgentAction, AgentStatus, FieldProblem, Problem};
use app::error::AppError;
use app::model::{
    AuditAction, AuditEntry, Contract, CtiOperator, NewOperator, NumberEntry, Operator, OperatorEdit, ServiceSummary,
};
use common::{Client, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::json;

fn invalid(fields: &[(&str, Problem)]) -> (StatusCode, AppError) {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Invalid(fields.iter().map(|(f, p)| FieldProblem::new(f, *p)).collect()),
    )
}

async fn desk(c: &Client) -> i32 {
    let services: Vec<ServiceSummary> = c.form("services", &[]).await.unwrap();
    services[0].id
}

async fn operators(c: &Client, service_id: i32) -> Vec<Operator> {
    c.form("services/operators", &[("service_id", &service_id.to_string())]).await.unwrap()
}

async fn operator(c: &Client, service_id: i32, username: &str) -> Operator {
    operators(c, service_id).await.into_iter().find(|o| o.username == username).expect("the operator is listed")
}

async fn save_operator(c: &Client, service_id: i32, edit: &OperatorEdit) -> Result<Operator, (StatusCode, AppError)> {
    c.json("services/operators/save", json!({ "service_id": service_id, "edit": edit })).await
}

async fn create(c: &Client, service_id: i32, new: NewOperator) -> Result<Operator, (StatusCode, AppError)> {
    c.json("services/operators/create", json!({ "service_id": service_id, "operator": new })).await
}

async fn set_cti(
    c: &Client,
    user_id: i32,
    cti_id: &str,
    cti_number: &str,
) -> Result<CtiOperator, (StatusCode, AppError)> {
    c.json("admin/cti-operators/save", json!({ "user_id": user_id, "cti_id": cti_id, "cti_number": cti_number })).await
}

fn new_operator(username: &str, phone: bool) -> NewOperator {
    NewOperator {
        username: username.into(),
        display_name: "新人 太郎".into(),
        password: "password1".into(),
        phone_permission: phone,
    }
}

fn edit_of(o: &Operator) -> OperatorEdit {
    OperatorEdit {
        user_id: o.user_id,
        display_name: o.display_name.clone(),
        phone_permission: o.phone_permission,
        active: o.active,
    }
}

#[tokio::test]
async fn taking_the_phone_away_during_a_call_logs_the_agent_out_when_it_ends() {
    let server = TestServer::start().await;
    let manager = server.signed_in("manager").await;
    let desk = desk(&manager).await;
    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let mut events = op1.events().await;
    let call_id = server.customer_calls("+81312345678").await;
    events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    op1.answer(&call_id).await.unwrap();

    let before = operator(&manager, desk, "op1").await;
    let saved =
        save_operator(&manager, desk, &OperatorEdit { phone_permission: false, ..edit_of(&before) }).await.unwrap();
    assert!(!saved.phone_permission);
    // The customer is not cut off.
    let now = op1.view().await.unwrap();
    assert_eq!(now.status, AgentStatus::InCall);
    assert!(now.permitted);

    server.sim(Method::POST, &format!("/sim/calls/{call_id}/hangup"), None).await;
    let last = events.until("the last view", |v| !v.permitted).await;
    assert_eq!(last.status, AgentStatus::LoggedOut);
    assert_eq!(op1.act(AgentAction::CtiLogin).await.unwrap_err(), AppError::NoPhonePermission);
    assert_eq!(op1.view().await.unwrap_err(), AppError::NoPhonePermission);
    // The call and its ticket are whole.
    let (state, reason, _, _) = server.call_record(&call_id).await;
    assert_eq!((state.as_str(), reason.as_deref()), ("ended", Some("customer_hangup")));

    // Granted again: the agent may log in again without signing in again.
    save_operator(&manager, desk, &OperatorEdit { phone_permission: true, ..edit_of(&before) }).await.unwrap();
    assert_eq!(op1.act(AgentAction::CtiLogin).await.unwrap().status, AgentStatus::Busy);
}

#[tokio::test]
async fn taking_the_phone_away_from_a_ringing_agent_passes_the_call_on() {
    let server = TestServer::start().await;
    let manager = server.signed_in("manager").await;
    let desk = desk(&manager).await;
    let (op1, op2) = (server.signed_in("op1").await, server.signed_in("op2").await);
    for op in [&op1, &op2] {
        op.act(AgentAction::CtiLogin).await.unwrap();
    }
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let mut events1 = op1.events().await;
    let call_id = server.customer_calls("+81312345678").await;
    events1.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    op2.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let mut events2 = op2.events().await;

    let o = operator(&manager, desk, "op1").await;
    save_operator(&manager, desk, &OperatorEdit { phone_permission: false, ..edit_of(&o) }).await.unwrap();
    events1.until("logged out at once", |v| !v.permitted && v.status == AgentStatus::LoggedOut).await;
    let offered = events2.until("the call rings at op2", |v| v.status == AgentStatus::Ringing).await;
    assert_eq!(offered.call.unwrap().call_id, call_id);
}

#[tokio::test]
async fn taking_the_phone_away_from_a_colleague_a_consult_rings_ends_the_consult() {
    let server = TestServer::start().await;
    let manager = server.signed_in("manager").await;
    let desk = desk(&manager).await;
    let (op1, op2) = (server.signed_in("op1").await, server.signed_in("op2").await);
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let mut events1 = op1.events().await;
    let call_id = server.customer_calls("+81312345678").await;
    events1.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    op1.answer(&call_id).await.unwrap();
    op2.act(AgentAction::CtiLogin).await.unwrap();
    op2.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let mut events2 = op2.events().await;
    let o2 = operator(&manager, desk, "op2").await;
    let _: app::model::AgentView = op1
        .json("phone/consult", json!({ "call_id": call_id, "target": { "kind": "agent", "user_id": o2.user_id } }))
        .await
        .unwrap();
    events2.until("the consult rings at op2", |v| v.status == AgentStatus::Ringing).await;

    save_operator(&manager, desk, &OperatorEdit { phone_permission: false, ..edit_of(&o2) }).await.unwrap();
    events2.until("op2 logged out at once", |v| !v.permitted && v.status == AgentStatus::LoggedOut).await;
    // op1 is back with their customer, on hold, and may carry on.
    let back = events1.until("the consult ended", |v| v.status == AgentStatus::OnHold).await;
    assert!(back.call.as_ref().is_some_and(|c| c.call_id == call_id && c.consult.is_none()));
    let _: app::model::AgentView = op1.form("phone/release", &[("call_id", &call_id)]).await.unwrap();
    assert_eq!(op1.hang_up(&call_id).await.unwrap().status, AgentStatus::Wrapup);
}

#[tokio::test]
async fn an_operator_without_a_cti_identity_is_refused_until_one_is_assigned() {
    let server = TestServer::start().await;
    let manager = server.signed_in("manager").await;
    let desk = desk(&manager).await;
    let made = create(&manager, desk, new_operator("op4", true)).await.unwrap();
    assert!(made.phone_permission && !made.has_cti_identity);

    let op4 = server.anonymous();
    assert_eq!(op4.login("op4", "password1").await.status(), StatusCode::OK);
    assert_eq!(op4.act(AgentAction::CtiLogin).await.unwrap_err(), AppError::NoCtiIdentity);

    let admin = server.signed_in("admin").await;
    let listed: Vec<CtiOperator> = admin.form("admin/cti-operators", &[]).await.unwrap();
    assert!(listed.iter().any(|o| o.user_id == made.user_id && o.cti_id.is_none()));
    let saved = set_cti(&admin, made.user_id, "op4", "2004").await.unwrap();
    assert_eq!((saved.cti_id.as_deref(), saved.cti_number.as_deref()), (Some("op4"), Some("2004")));
    assert_eq!(op4.act(AgentAction::CtiLogin).await.unwrap().status, AgentStatus::Busy);
}

#[tokio::test]
async fn a_sip_password_is_kept_as_a_digest_hash_and_needs_setting_again_with_a_new_cti_id() {
    let server = TestServer::start().await;
    let manager = server.signed_in("manager").await;
    let desk = desk(&manager).await;
    let made = create(&manager, desk, new_operator("op4", true)).await.unwrap();
    let admin = server.signed_in("admin").await;
    let set = |user_id: i32, password: &'static str| {
        let admin = &admin;
        async move {
            admin
                .json::<CtiOperator>(
                    "admin/cti-operators/sip-password",
                    json!({ "user_id": user_id, "password": password }),
                )
                .await
        }
    };
    // Without a CTI ID there is no user name for the phone.
    assert_eq!(set(made.user_id, "secret-pw").await.unwrap_err(), invalid(&[("cti_id", Problem::Required)]));
    set_cti(&admin, made.user_id, "op4", "2004").await.unwrap();
    assert_eq!(set(made.user_id, "short").await.unwrap_err(), invalid(&[("sip_password", Problem::PasswordTooShort)]));
    let saved = set(made.user_id, "secret-pw").await.unwrap();
    assert!(saved.has_sip_password);

    use sea_orm::{ConnectionTrait, Statement};
    let db = server.db().await;
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT sip_ha1 FROM users WHERE id = {}", made.user_id),
        ))
        .await
        .unwrap()
        .unwrap();
    let stored: String = row.try_get("", "sip_ha1").unwrap();
    assert_eq!(stored, server::telephony::sip::digest::ha1("op4", "secret-pw"));
    assert!(!stored.contains("secret-pw"));
    let log: Vec<AuditEntry> = admin.form("admin/audit-log", &[]).await.unwrap();
    assert!(log.iter().any(|e| e.action == AuditAction::SipPasswordSet && !format!("{e:?}").contains("secret-pw")));

    // The hash includes the CTI ID: a new one needs the password set again.
    let renamed = set_cti(&admin, made.user_id, "op44", "2004").await.unwrap();
    assert!(!renamed.has_sip_password);
    // Another tenant's admin cannot touch it.
    let admin2 = server.signed_in("admin2").await;
    assert_eq!(
        admin2
            .json::<CtiOperator>(
                "admin/cti-operators/sip-password",
                json!({ "user_id": made.user_id, "password": "secret-pw" })
            )
            .await
            .unwrap_err()
            .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn cti_identities_must_be_well_formed_and_unique_in_the_tenant() {
    let server = TestServer::start().await;
    let admin = server.signed_in("admin").await;
    let listed: Vec<CtiOperator> = admin.form("admin/cti-operators", &[]).await.unwrap();
    let op3 = listed.iter().find(|o| o.cti_id.as_deref() == Some("op3")).unwrap().clone();

    assert_eq!(set_cti(&admin, op3.user_id, "op1", "2003").await.unwrap_err(), invalid(&[("cti_id", Problem::Taken)]));
    assert_eq!(
        set_cti(&admin, op3.user_id, "op3", "2001").await.unwrap_err(),
        invalid(&[("cti_number", Problem::Taken)])
    );
    assert_eq!(
        set_cti(&admin, op3.user_id, "", "12a").await.unwrap_err(),
        invalid(&[("cti_id", Problem::Required), ("cti_number", Problem::CtiNumber)])
    );
    let after: Vec<CtiOperator> = admin.form("admin/cti-operators", &[]).await.unwrap();
    assert_eq!(after, listed, "nothing changed");
    // An operator's own identity again is not a duplicate of itself.
    assert_eq!(set_cti(&admin, op3.user_id, "op3", "2003").await.unwrap(), op3);
}

#[tokio::test]
async fn the_contract_decides_whether_calls_come_in_and_go_out_at_once() {
    let server = TestServer::start().await;
    let root = server.signed_in("root").await;
    let contracts: Vec<Contract> = root.form("platform/contracts", &[]).await.unwrap();
    assert_eq!(contracts.iter().map(|c| c.tenant_name.as_str()).collect::<Vec<_>>(), ["デモ株式会社", "ひかり商事"]);
    let demo = contracts[0].tenant_id;
    let save = |inbound: bool, outbound: bool| {
        let root = &root;
        async move {
            root.json::<Contract>(
                "platform/contracts/save",
                json!({ "tenant_id": demo, "inbound": inbound, "outbound": outbound }),
            )
            .await
            .unwrap()
        }
    };
    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();

    // Without IB the simulator's call is refused and recorded as rejected.
    assert!(!save(false, true).await.inbound);
    let (status, body) =
        server.sim(Method::POST, "/sim/calls", Some(json!({ "from": "+81312345678", "to": "0350000000" }))).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::FORBIDDEN, Some("inbound_disabled")));
    let (_, line) = server.sim(Method::GET, &format!("/sim/calls/{}", body["call_id"].as_str().unwrap()), None).await;
    assert_eq!(line["state"], "ended");
    assert!(line["events"].as_array().unwrap().iter().any(|e| e["kind"] == "rejected"));

    // Without OB dialing is refused, and the widget stops offering かける.
    save(true, false).await;
    assert_eq!(op1.dial("0312345678", "+81350000001").await.unwrap_err(), AppError::OutboundDisabled);
    assert!(!op1.view().await.unwrap().can_dial);

    save(true, true).await;
    server.customer_calls("+81312345678").await;
    op1.dial("0312345678", "+81350000001").await.unwrap();
}

#[tokio::test]
async fn caller_numbers_are_kept_in_e164_and_only_registered_ones_dial() {
    let server = TestServer::start().await;
    let manager = server.signed_in("manager").await;
    let desk = desk(&manager).await;
    let add = |number: &str, label: &str| {
        let body = json!({ "service_id": desk, "number": number, "label": label });
        let manager = &manager;
        async move { manager.json::<NumberEntry>("services/caller-numbers/add", body).await }
    };
    let added = add("03-5000-0002", "営業").await.unwrap();
    assert_eq!((added.number.e164.as_str(), added.label.as_str()), ("+81350000002", "営業"));
    assert_eq!(add("+81 3 5000 0002", "重複").await.unwrap_err(), invalid(&[("number", Problem::Taken)]));
    assert_eq!(add("03-ABCD", "営業").await.unwrap_err(), invalid(&[("number", Problem::PhoneNumber)]));
    assert_eq!(add("0350000003", " ").await.unwrap_err(), invalid(&[("label", Problem::Required)]));

    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    let dialled = op1.dial("0312345678", "+81350000002").await.unwrap();
    op1.hang_up(&dialled.call_id).await.unwrap();

    manager.json::<()>("services/caller-numbers/remove", json!({ "service_id": desk, "id": added.id })).await.unwrap();
    let left: Vec<NumberEntry> =
        manager.form("services/caller-numbers", &[("service_id", &desk.to_string())]).await.unwrap();
    assert_eq!(left.iter().map(|n| n.number.e164.as_str()).collect::<Vec<_>>(), ["+81350000001"]);
    assert_eq!(op1.dial("0312345678", "+81350000002").await.unwrap_err(), AppError::CallerNumberNotRegistered);
}

#[tokio::test]
async fn operators_are_created_checked_and_disabled() {
    let server = TestServer::start().await;
    let manager = server.signed_in("manager").await;
    let desk = desk(&manager).await;
    assert_eq!(
        create(&manager, desk, NewOperator { password: "short".into(), ..new_operator("Bad Name", true) })
            .await
            .unwrap_err(),
        invalid(&[("username", Problem::Username), ("password", Problem::PasswordTooShort)])
    );
    assert_eq!(
        create(&manager, desk, new_operator("op1", true)).await.unwrap_err(),
        invalid(&[("username", Problem::Taken)])
    );
    let count = operators(&manager, desk).await.len();

    let made = create(&manager, desk, new_operator("op5", false)).await.unwrap();
    assert_eq!(operators(&manager, desk).await.len(), count + 1);
    let op5 = server.anonymous();
    assert_eq!(op5.login("op5", "password1").await.status(), StatusCode::OK);
    // No phone permission: no phone.
    assert_eq!(op5.act(AgentAction::CtiLogin).await.unwrap_err(), AppError::NoPhonePermission);

    assert_eq!(
        save_operator(&manager, desk, &OperatorEdit { display_name: "".into(), ..edit_of(&made) }).await.unwrap_err(),
        invalid(&[("display_name", Problem::Required)])
    );
    let disabled = save_operator(&manager, desk, &OperatorEdit { active: false, ..edit_of(&made) }).await.unwrap();
    assert!(!disabled.active);
    // Signed out at once, and cannot sign in again.
    assert_eq!(op5.get("/").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(op5.login("op5", "password1").await.status(), StatusCode::UNAUTHORIZED);
    // Nobody disables their own account.
    let me = operator(&manager, desk, "manager").await;
    assert_eq!(
        save_operator(&manager, desk, &OperatorEdit { active: false, ..edit_of(&me) }).await.unwrap_err(),
        invalid(&[("active", Problem::Choice)])
    );
}

#[tokio::test]
async fn the_audit_log_records_who_changed_what_for_the_tenant_admin() {
    let server = TestServer::start().await;
    let manager = server.signed_in("manager").await;
    let desk = desk(&manager).await;
    let op2 = operator(&manager, desk, "op2").await;
    save_operator(&manager, desk, &OperatorEdit { phone_permission: false, ..edit_of(&op2) }).await.unwrap();
    let root = server.signed_in("root").await;
    let contracts: Vec<Contract> = root.form("platform/contracts", &[]).await.unwrap();
    root.json::<Contract>(
        "platform/contracts/save",
        json!({ "tenant_id": contracts[0].tenant_id, "inbound": true, "outbound": false }),
    )
    .await
    .unwrap();

    let admin = server.signed_in("admin").await;
    let log: Vec<AuditEntry> = admin.form("admin/audit-log", &[]).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        (log[0].action, log[0].actor.as_str(), log[0].subject.as_str()),
        (AuditAction::ContractUpdate, "プラットフォーム管理者", "デモ株式会社")
    );
    let change = &log[0].changes;
    assert_eq!(change.len(), 1);
    assert_eq!(
        (change[0].field.as_str(), change[0].before.as_deref(), change[0].after.as_deref()),
        ("outbound", Some("true"), Some("false"))
    );
    assert_eq!(
        (log[1].action, log[1].actor.as_str(), log[1].subject.as_str()),
        (AuditAction::OperatorUpdate, "山田 太郎", "鈴木 一郎")
    );

    // Another tenant's admin sees none of it; a service admin may not read the log.
    let admin2 = server.signed_in("admin2").await;
    assert!(admin2.form::<Vec<AuditEntry>>("admin/audit-log", &[]).await.unwrap().is_empty());
    assert_eq!(manager.form::<Vec<AuditEntry>>("admin/audit-log", &[]).await.unwrap_err().0, StatusCode::FORBIDDEN);
}
