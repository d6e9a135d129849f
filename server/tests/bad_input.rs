//! Bad input, tried as an attacker would: every server function (and the sign-in) gets
//! its arguments removed, retyped, oversized, negative, huge, null, nested wrongly, and
//! bodies that are not what they claim. Each base request names nothing that exists (an
//! unknown call, ticket, user or service), so no mutation of it may succeed. What must
//! hold: no answer is a 5xx, and nothing in the store changes.

mod common;

use common::{Client, TestServer};
use reqwest::StatusCode;
use serde_json::{Value, json};

const NOWHERE: i64 = 999_999;

/// A server function, who calls it, and arguments that it must refuse.
struct Endpoint {
    path: &'static str,
    who: &'static str,
    json: bool,
    args: Value,
}

fn endpoints() -> Vec<Endpoint> {
    let form = |path, who, args| Endpoint { path, who, json: false, args };
    let json = |path, who, args| Endpoint { path, who, json: true, args };
    let settings = json!({ "ring_timeout_secs": 0, "login_status": "busy", "missed_offer_status": "ready",
        "outbound_ticket_on_dial": false, "force_end_message": "x", "hold_music": "classic",
        "away_after_secs": 30, "logout_after_secs": 600, "answer_waiting": false });
    vec![
        form("login", "anonymous", json!({ "username": "nobody-here", "password": "x" })),
        form("locale", "op1", json!({ "locale": "Xx" })),
        form("phone/answer", "op1", json!({ "call_id": "nope" })),
        form("phone/hangup", "op1", json!({ "call_id": "nope" })),
        form("phone/hold", "op1", json!({ "call_id": "nope" })),
        form("phone/release", "op1", json!({ "call_id": "nope" })),
        form("phone/connect-customer", "op1", json!({ "call_id": "nope" })),
        form("phone/cancel-consult", "op1", json!({ "call_id": "nope" })),
        form("phone/dial", "op1", json!({ "to": "abc", "caller_number": "nope" })),
        form("phone/caller", "op1", json!({ "number": "abc" })),
        form("tickets/get", "op1", json!({ "id": NOWHERE })),
        form("services/operators", "manager", json!({ "service_id": NOWHERE })),
        form("services/caller-numbers", "manager", json!({ "service_id": NOWHERE })),
        json("phone/act", "op1", json!({ "action": "Fly" })),
        json("phone/force-end", "op1", json!({ "call_id": "nope", "message": "x" })),
        json("phone/consult", "op1", json!({ "call_id": "nope", "target": { "kind": "number", "number": "abc" } })),
        json("phone/transfer-numbers/add", "op1", json!({ "number": "abc", "label": "x" })),
        json("admin/cti-settings/save", "admin", json!({ "settings": settings })),
        json("admin/cti-operators/save", "admin", json!({ "user_id": NOWHERE, "cti_id": "x", "cti_number": "1" })),
        json("admin/cti-operators/sip-password", "admin", json!({ "user_id": NOWHERE, "password": "" })),
        json("platform/contracts/save", "root", json!({ "tenant_id": NOWHERE, "inbound": true, "outbound": true })),
        json(
            "services/operators/create",
            "manager",
            json!({ "service_id": NOWHERE, "operator": {
            "username": "x", "display_name": "x", "password": "x", "phone_permission": false } }),
        ),
        json(
            "services/operators/save",
            "manager",
            json!({ "service_id": NOWHERE, "edit": {
            "user_id": NOWHERE, "display_name": "x", "phone_permission": false, "active": true } }),
        ),
        json("services/caller-numbers/add", "manager", json!({ "service_id": NOWHERE, "number": "abc", "label": "x" })),
        json("services/caller-numbers/remove", "manager", json!({ "service_id": NOWHERE, "id": NOWHERE })),
        json("tickets/list", "op1", json!({ "filter": { "status": "open", "from": "2026-13-45", "cursor": "zz" } })),
        json(
            "tickets/update",
            "op1",
            json!({ "edit": { "id": NOWHERE, "version": 1, "subject": "x", "body": "",
            "status": "open", "assignee": "" } }),
        ),
        json("tickets/note", "op1", json!({ "id": NOWHERE, "body": "x" })),
        json(
            "tickets/customer",
            "op1",
            json!({ "id": NOWHERE, "customer": {
            "number": "", "name": "x", "notes": "", "version": 0 } }),
        ),
    ]
}

/// What a field may be replaced with.
fn replacements() -> Vec<Value> {
    vec![
        json!("x"),
        json!(""),
        json!(-1),
        json!(0),
        json!(1.5),
        json!(1e300),
        json!(i64::MAX),
        json!(i64::MIN),
        json!(u64::MAX),
        Value::Null,
        json!([]),
        json!({}),
        json!(true),
        json!("a".repeat(60_000)),
        json!("\u{0}\u{202e}💥"),
        json!({ "kind": "unknown", "Choose": "Sleep" }),
    ]
}

/// Every argument object with one field removed, one field replaced, or one added; one
/// level into nested objects too.
fn mutations(args: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    let Some(obj) = args.as_object() else { return out };
    let mut extra = obj.clone();
    extra.insert("zzz_extra".into(), json!(1));
    out.push(Value::Object(extra));
    for (key, value) in obj {
        let mut removed = obj.clone();
        removed.remove(key);
        out.push(Value::Object(removed));
        for r in replacements() {
            let mut replaced = obj.clone();
            replaced.insert(key.clone(), r);
            out.push(Value::Object(replaced));
        }
        for inner in mutations(value) {
            let mut nested = obj.clone();
            nested.insert(key.clone(), inner);
            out.push(Value::Object(nested));
        }
    }
    out
}

/// A form's fields from an argument object (strings as they are, the rest as JSON).
fn form_of(args: &Value) -> Vec<(String, String)> {
    args.as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_owned))).collect())
        .unwrap_or_default()
}

/// The rows that must not change, as one comparable list.
async fn fingerprint(server: &TestServer) -> Vec<(String, i64)> {
    use sea_orm::{ConnectionTrait, Statement};
    let db = server.db().await;
    let mut out = Vec::new();
    for (name, sql) in [
        ("tickets", "SELECT COUNT(*) + COALESCE(SUM(version), 0) AS n FROM tickets"),
        ("notes", "SELECT COUNT(*) AS n FROM ticket_notes"),
        ("customers", "SELECT COUNT(*) AS n FROM customers"),
        ("users", "SELECT COUNT(*) AS n FROM users"),
        ("caller numbers", "SELECT COUNT(*) AS n FROM caller_numbers"),
        ("transfer numbers", "SELECT COUNT(*) AS n FROM transfer_numbers"),
        ("calls", "SELECT COUNT(*) AS n FROM calls"),
        ("changes", "SELECT COUNT(*) AS n FROM audit_log WHERE action <> 'sign_in.failed'"),
        ("contracts", "SELECT COUNT(*) AS n FROM tenants WHERE feature_inbound AND feature_outbound"),
    ] {
        let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
        out.push((name.to_owned(), row.try_get::<i64>("", "n").unwrap()));
    }
    out
}

#[tokio::test]
async fn no_bad_input_gets_a_5xx_or_changes_anything() {
    let server = TestServer::start().await;
    let mut clients: Vec<(&str, Client)> = vec![("anonymous", server.anonymous())];
    for who in ["op1", "admin", "manager", "root"] {
        clients.push((who, server.signed_in(who).await));
    }
    let client = |who: &str| &clients.iter().find(|(w, _)| *w == who).unwrap().1;
    let before = fingerprint(&server).await;
    let mut sent = 0;
    let mut failures = Vec::new();
    for e in endpoints() {
        let c = client(e.who);
        let url = format!("{}/api/{}", server.url, e.path);
        let mut requests = Vec::new();
        for args in std::iter::once(e.args.clone()).chain(mutations(&e.args)) {
            let req = c.http.post(&url);
            requests.push(if e.json { req.json(&args) } else { req.form(&form_of(&args)) });
        }
        // Bodies that are not what they say they are.
        let ct = if e.json { "application/json" } else { "application/x-www-form-urlencoded" };
        for body in [&b""[..], b"null", b"[]", b"{", b"\xff\xfe\x00garbage", b"a=%FF%FE&call_id=%00"] {
            requests.push(c.http.post(&url).header("content-type", ct).body(body.to_vec()));
        }
        requests.push(c.http.post(&url).header("content-type", "text/plain").body("x"));
        requests.push(c.http.post(&url).header("content-type", ct).body(vec![b'{'; 300 * 1024]));
        for req in requests {
            sent += 1;
            match req.send().await {
                Ok(res) if res.status().is_server_error() => {
                    failures.push(format!("{} as {}: {}", e.path, e.who, res.status()))
                }
                Ok(_) => {}
                Err(err) => failures.push(format!("{} as {}: no answer ({err})", e.path, e.who)),
            }
        }
    }
    // The hold music upload takes postcard: random bytes and lies about lengths.
    let admin = client("admin");
    for body in [vec![], vec![0xff; 16], vec![0x05, b'a', b'b'], vec![0xff, 0xff, 0xff, 0xff, 0x0f]] {
        sent += 1;
        let res = admin
            .http
            .post(format!("{}/api/admin/hold-music/upload", server.url))
            .header("content-type", "application/x-postcard")
            .body(body)
            .send()
            .await
            .unwrap();
        if res.status().is_server_error() {
            failures.push(format!("admin/hold-music/upload: {}", res.status()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {sent} bad requests answered 5xx or not at all:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(fingerprint(&server).await, before, "bad input changed the store");
    assert!(sent > 1500, "the corpus is {sent} requests");
    assert_eq!(StatusCode::OK, server.anonymous().get("/health").await.status());
}
