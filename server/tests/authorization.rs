//! The authorization matrix: every server function × every role × own tenant / other
//! tenant. Each cell is the HTTP status the server must answer: 200 when the role may
//! call it (or the refusal that follows from the request itself, such as 409 for an
//! unknown call), 403 when the role may not, 404 when an id belongs to another tenant,
//! 401 for nobody signed in.

mod common;

use app::domain::{AgentAction, AgentStatus, CtiSettings};
use app::model::{Contract, NumberEntry, ServiceSummary};
use common::{Client, TestServer};
use serde_json::{Value, json};

/// The people of the matrix, in its column order.
const PEOPLE: [&str; 6] = ["anonymous", "root", "admin", "manager", "op1", "admin2"];

enum Body {
    Form(Vec<(&'static str, String)>),
    Json(Value),
}

struct Case {
    endpoint: &'static str,
    /// What the request is about (own tenant, other tenant), for the failure message.
    about: &'static str,
    body: Body,
    /// The status for each of `PEOPLE`.
    expect: [u16; 6],
}

async fn add_number(who: &Client, service_id: i32, number: &str) -> i32 {
    let body = json!({ "service_id": service_id, "number": number, "label": "matrix" });
    who.json::<NumberEntry>("services/caller-numbers/add", body).await.unwrap().id
}

async fn send(c: &Client, case: &Case) -> u16 {
    let req = c.http.post(format!("{}/api/{}", c.url, case.endpoint));
    let req = match &case.body {
        Body::Form(f) => req.form(f),
        Body::Json(j) => req.json(j),
    };
    req.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn every_server_function_refuses_every_role_it_does_not_serve() {
    let server = TestServer::start().await;
    let mut clients = vec![server.anonymous()];
    for who in &PEOPLE[1..] {
        clients.push(server.signed_in(who).await);
    }
    let (root, admin, manager, op1, admin2) = (&clients[1], &clients[2], &clients[3], &clients[4], &clients[5]);

    // What the cases refer to: ids of the demo tenant and of the second tenant.
    let desk = admin.form::<Vec<ServiceSummary>>("services", &[]).await.unwrap()[0].id;
    let other_service = admin2.form::<Vec<ServiceSummary>>("services", &[]).await.unwrap()[0].id;
    let contracts: Vec<Contract> = root.form("platform/contracts", &[]).await.unwrap();
    let demo_tenant = contracts[0].tenant_id;
    let settings: CtiSettings = admin.form("admin/cti-settings", &[]).await.unwrap();
    let ops: Vec<app::model::Operator> =
        admin.form("services/operators", &[("service_id", &desk.to_string())]).await.unwrap();
    let op3 = ops.iter().find(|o| o.username == "op3").unwrap().clone();
    let op1_id = ops.iter().find(|o| o.username == "op1").unwrap().user_id;
    let reasons: Vec<app::model::BreakReason> = admin.form("board/break-reasons", &[]).await.unwrap();
    let lunch = reasons[0].id;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let mut events = op1.events().await;
    let call = server.customer_calls("+81312345678").await;
    events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    let ticket = op1.answer(&call).await.unwrap();
    op1.hang_up(&call).await.unwrap();
    let by_admin = add_number(admin, desk, "0350009001").await;
    let by_manager = add_number(manager, desk, "0350009002").await;
    let spare = add_number(admin, desk, "0350009003").await;

    let form = |pairs: &[(&'static str, String)]| Body::Form(pairs.to_vec());
    let edit_op3 = json!({ "service_id": desk, "edit": {
        "user_id": op3.user_id, "display_name": op3.display_name, "phone_permission": true, "active": true } });
    let new_op = |username: &str, service: i32| {
        json!({ "service_id": service, "operator": {
        "username": username, "display_name": "matrix", "password": "password1", "phone_permission": false } })
    };
    const A: u16 = 401;
    const F: u16 = 403;
    const N: u16 = 404;
    const OK: u16 = 200;
    //                                         anonymous root admin manager op1 admin2
    let cases = vec![
        Case {
            endpoint: "locale",
            about: "own",
            body: form(&[("locale", "Ja".into())]),
            expect: [A, OK, OK, OK, OK, OK],
        },
        Case { endpoint: "phone/view", about: "own", body: form(&[]), expect: [A, F, F, F, OK, F] },
        Case {
            endpoint: "phone/act",
            about: "own",
            body: Body::Json(json!({ "action": { "Choose": "Busy" } })),
            expect: [A, F, F, F, OK, F],
        },
        Case {
            endpoint: "phone/answer",
            about: "an unknown call",
            body: form(&[("call_id", "nope".into())]),
            expect: [A, F, F, F, 409, F],
        },
        Case {
            endpoint: "phone/hangup",
            about: "an unknown call",
            body: form(&[("call_id", "nope".into())]),
            expect: [A, F, F, F, N, F],
        },
        Case {
            endpoint: "phone/hold",
            about: "an unknown call",
            body: form(&[("call_id", "nope".into())]),
            expect: [A, F, F, F, N, F],
        },
        Case {
            endpoint: "phone/release",
            about: "an unknown call",
            body: form(&[("call_id", "nope".into())]),
            expect: [A, F, F, F, N, F],
        },
        Case { endpoint: "phone/force-end-message", about: "own", body: form(&[]), expect: [A, F, F, F, OK, F] },
        Case {
            endpoint: "phone/force-end",
            about: "an unknown call",
            body: Body::Json(json!({ "call_id": "nope", "message": "失礼いたします" })),
            expect: [A, F, F, F, N, F],
        },
        Case {
            endpoint: "phone/consult",
            about: "an unknown call",
            body: Body::Json(json!({ "call_id": "nope", "target": { "kind": "number", "number": "0312345678" } })),
            expect: [A, F, F, F, N, F],
        },
        Case {
            endpoint: "phone/connect-customer",
            about: "an unknown call",
            body: form(&[("call_id", "nope".into())]),
            expect: [A, F, F, F, N, F],
        },
        Case {
            endpoint: "phone/cancel-consult",
            about: "an unknown call",
            body: form(&[("call_id", "nope".into())]),
            expect: [A, F, F, F, N, F],
        },
        Case { endpoint: "phone/transfer-numbers", about: "own", body: form(&[]), expect: [A, F, F, F, OK, F] },
        Case {
            endpoint: "phone/transfer-numbers/add",
            about: "own service",
            body: Body::Json(json!({ "number": "0355550200", "label": "matrix" })),
            expect: [A, F, F, F, OK, F],
        },
        Case { endpoint: "phone/ready-colleagues", about: "own", body: form(&[]), expect: [A, F, F, F, OK, F] },
        Case { endpoint: "phone/caller-numbers", about: "own", body: form(&[]), expect: [A, F, F, F, OK, F] },
        Case {
            endpoint: "phone/caller",
            about: "a caller",
            body: form(&[("number", "+81312345678".into())]),
            expect: [A, F, F, F, OK, F],
        },
        // The platform admin works no tickets.
        Case {
            endpoint: "tickets/list",
            about: "own",
            body: Body::Json(json!({ "filter": {} })),
            expect: [A, F, OK, OK, OK, OK],
        },
        Case {
            endpoint: "tickets/get",
            about: "a demo ticket",
            body: form(&[("id", ticket.to_string())]),
            expect: [A, F, OK, OK, OK, N],
        },
        Case { endpoint: "tickets/assignees", about: "own", body: form(&[]), expect: [A, F, OK, OK, OK, OK] },
        Case {
            endpoint: "tickets/note",
            about: "a demo ticket",
            body: Body::Json(json!({ "id": ticket, "body": "matrix" })),
            expect: [A, F, OK, OK, OK, N],
        },
        Case {
            endpoint: "tickets/update",
            about: "a demo ticket, all on its first version",
            body: Body::Json(
                json!({ "edit": { "id": ticket, "version": 1, "subject": "matrix", "body": "", "status": "pending", "assignee": "" } }),
            ),
            // The first who may edits it; the next are refused as stale, not as forbidden.
            expect: [A, F, OK, 409, 409, N],
        },
        Case {
            endpoint: "tickets/customer",
            about: "a demo ticket's new customer",
            body: Body::Json(
                json!({ "id": ticket, "customer": { "number": "", "name": "matrix", "notes": "", "version": 0 } }),
            ),
            expect: [A, F, OK, 409, 409, N],
        },
        Case { endpoint: "admin/contract", about: "own", body: form(&[]), expect: [A, F, OK, F, F, OK] },
        Case { endpoint: "admin/cti-settings", about: "own", body: form(&[]), expect: [A, F, OK, F, F, OK] },
        Case {
            endpoint: "admin/cti-settings/save",
            about: "own",
            body: Body::Json(json!({ "settings": settings })),
            expect: [A, F, OK, F, F, OK],
        },
        Case { endpoint: "admin/cti-operators", about: "own", body: form(&[]), expect: [A, F, OK, F, F, OK] },
        Case {
            endpoint: "admin/cti-operators/save",
            about: "a demo operator",
            body: Body::Json(json!({ "user_id": op3.user_id, "cti_id": "op3", "cti_number": "2003" })),
            expect: [A, F, OK, F, F, N],
        },
        Case {
            endpoint: "admin/cti-operators/sip-password",
            about: "a demo operator",
            body: Body::Json(json!({ "user_id": op3.user_id, "password": "demo1234" })),
            expect: [A, F, OK, F, F, N],
        },
        Case { endpoint: "admin/audit-log", about: "own", body: form(&[]), expect: [A, F, OK, F, F, OK] },
        Case { endpoint: "services", about: "own", body: form(&[]), expect: [A, F, OK, OK, F, OK] },
        Case {
            endpoint: "services/operators",
            about: "the demo service",
            body: form(&[("service_id", desk.to_string())]),
            expect: [A, F, OK, OK, F, N],
        },
        Case {
            endpoint: "services/operators",
            about: "the second tenant's service",
            body: form(&[("service_id", other_service.to_string())]),
            expect: [A, F, N, N, F, OK],
        },
        Case {
            endpoint: "services/operators/create",
            about: "the demo service",
            body: Body::Json(new_op("matrix-a", desk)),
            expect: [A, F, OK, 422, F, N],
        },
        Case {
            endpoint: "services/operators/create",
            about: "the second tenant's service",
            body: Body::Json(new_op("matrix-b", other_service)),
            expect: [A, F, N, N, F, OK],
        },
        Case {
            endpoint: "services/operators/save",
            about: "a demo operator",
            body: Body::Json(edit_op3),
            expect: [A, F, OK, OK, F, N],
        },
        Case {
            endpoint: "services/caller-numbers",
            about: "the demo service",
            body: form(&[("service_id", desk.to_string())]),
            expect: [A, F, OK, OK, F, N],
        },
        Case {
            endpoint: "services/caller-numbers/add",
            about: "the demo service",
            body: Body::Json(json!({ "service_id": desk, "number": "0350009100", "label": "matrix" })),
            expect: [A, F, OK, 422, F, N],
        },
        Case {
            endpoint: "services/caller-numbers/remove",
            about: "a demo number",
            body: Body::Json(json!({ "service_id": desk, "id": spare })),
            // The admin removes it; for the manager it is gone by then.
            expect: [A, F, OK, N, F, N],
        },
        Case { endpoint: "board/break-reasons", about: "own tenant's", body: form(&[]), expect: [A, F, OK, OK, F, OK] },
        Case {
            endpoint: "board/set-status",
            about: "a demo agent between calls",
            body: form(&[("agent", op1_id.to_string()), ("status", "busy".into())]),
            expect: [A, F, OK, OK, F, N],
        },
        Case {
            endpoint: "admin/break-reasons/add",
            about: "own tenant's",
            body: form(&[("label", "matrix".into())]),
            expect: [A, F, OK, F, F, OK],
        },
        Case {
            endpoint: "admin/break-reasons/remove",
            about: "a demo reason",
            body: form(&[("id", lunch.to_string())]),
            expect: [A, F, OK, F, F, N],
        },
        Case { endpoint: "reports/services", about: "own", body: form(&[]), expect: [A, F, OK, OK, F, OK] },
        Case {
            endpoint: "reports",
            about: "the demo desk's",
            body: Body::Json(json!({ "form": { "from": "2026-12-01", "to": "2026-12-01", "interval": "60",
                "service": desk.to_string(), "short_abandon": "" } })),
            expect: [A, F, OK, OK, F, N],
        },
        Case { endpoint: "platform/contracts", about: "all", body: form(&[]), expect: [A, OK, F, F, F, F] },
        Case {
            endpoint: "platform/contracts/save",
            about: "the demo tenant",
            body: Body::Json(json!({ "tenant_id": demo_tenant, "inbound": true, "outbound": true })),
            expect: [A, OK, F, F, F, F],
        },
    ];
    let mut wrong = Vec::new();
    for case in &cases {
        for (i, who) in PEOPLE.iter().enumerate() {
            let got = send(&clients[i], case).await;
            if got != case.expect[i] {
                wrong.push(format!(
                    "{} ({}) as {who}: expected {}, got {got}",
                    case.endpoint, case.about, case.expect[i]
                ));
            }
        }
    }
    // Removals by those who may: each admin removes a number of their service.
    for (who, id) in [(admin, by_admin), (manager, by_manager)] {
        let body = Case {
            endpoint: "services/caller-numbers/remove",
            about: "",
            body: Body::Json(json!({ "service_id": desk, "id": id })),
            expect: [0; 6],
        };
        let got = send(who, &body).await;
        if got != OK {
            wrong.push(format!("services/caller-numbers/remove by an administrator of the service: got {got}"));
        }
    }
    // Signing out, last: anyone signed in, nobody else.
    let logout = Case { endpoint: "logout", about: "own", body: form(&[]), expect: [A, OK, OK, OK, OK, OK] };
    for (i, who) in PEOPLE.iter().enumerate() {
        let got = send(&clients[i], &logout).await;
        if got != logout.expect[i] {
            wrong.push(format!("logout as {who}: expected {}, got {got}", logout.expect[i]));
        }
    }
    assert!(wrong.is_empty(), "authorization matrix:\n{}", wrong.join("\n"));
}
