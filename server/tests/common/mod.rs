//! A real server on a random port with a temporary SQLite file, and HTTP clients that
//! sign in and use it the way the browser does.
#![allow(dead_code)]

use std::time::Duration;

use app::domain::AgentAction;
use app::error::AppError;
use app::model::{AgentView, PushEvent, TicketDetail};
use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::Running;
use server::config::Config;
use tokio::sync::mpsc;

pub mod board;
pub mod floor;

/// A fresh database on the machine's PostgreSQL (`RINGDESK_TEST_POSTGRES`).
pub async fn fresh_postgres() -> String {
    use sea_orm::{ConnectionTrait, Database};
    let admin_url =
        std::env::var("RINGDESK_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = format!("ringdesk_test_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(&admin_url).await.expect("PostgreSQL is reachable");
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create database");
    let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin_url);
    format!("{base}/{name}")
}

/// The simulator's token in the tests' servers (`RINGDESK_SIM_TOKEN`).
pub const SIM_TOKEN: &str = "test-sim-token";
pub mod peers;
pub mod voices;

pub struct TestServer {
    pub url: String,
    pub db_url: String,
    running: Option<Running>,
    _dir: tempfile::TempDir,
    /// With `RINGDESK_TELEPHONY=sip`: its settings, and the media folder.
    sip: Option<(server::config::SipConfig, std::path::PathBuf)>,
    sessions: server::store::auth::SessionRules,
    /// HTTPS with this certificate and key (PEM files).
    pub tls: Option<(std::path::PathBuf, std::path::PathBuf)>,
    /// One of several instances (`RINGDESK_CLUSTER`): its name, and the NATS server.
    cluster: Option<(server::routing::Cluster, String)>,
    /// What the process does (`RINGDESK_ROLE`).
    role: server::config::Role,
}

impl TestServer {
    /// A server on a fresh SQLite file.
    pub async fn start() -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let db_url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
        TestServer::start_on(db_url, dir).await
    }

    /// A server on a fresh PostgreSQL database, made for this test on the machine's
    /// server (`RINGDESK_TEST_POSTGRES`, default `postgres://postgres@127.0.0.1:5432/test`).
    pub async fn start_postgres() -> TestServer {
        TestServer::start_on(fresh_postgres().await, tempfile::tempdir().expect("temp dir")).await
    }

    /// One of several instances (`RINGDESK_CLUSTER`) on the PostgreSQL database
    /// `db_url` (a fresh one if `None`), talking over the NATS server of
    /// `RINGDESK_TEST_NATS` (default `nats://127.0.0.1:4222`), with leases of `lease`.
    pub async fn start_cluster(name: &str, db_url: Option<String>, lease: Duration) -> TestServer {
        TestServer::start_in_cluster(name, db_url, lease, server::config::Role::All).await
    }

    /// As `start_cluster`, doing `role`'s part only: with `Role::Web` the calls are the
    /// telephone system's process's (`Role::Telephony`, whose `/sim` API takes them).
    pub async fn start_in_cluster(
        name: &str,
        db_url: Option<String>,
        lease: Duration,
        role: server::config::Role,
    ) -> TestServer {
        let db_url = match db_url {
            Some(url) => url,
            None => fresh_postgres().await,
        };
        let mut s = TestServer::start_in_cluster_unbooted(name, db_url, lease, role);
        s.boot().await;
        s
    }

    fn start_in_cluster_unbooted(
        name: &str,
        db_url: String,
        lease: Duration,
        role: server::config::Role,
    ) -> TestServer {
        let nats = std::env::var("RINGDESK_TEST_NATS").unwrap_or_else(|_| "nats://127.0.0.1:4222".into());
        TestServer {
            url: String::new(),
            db_url: db_url.clone(),
            running: None,
            _dir: tempfile::tempdir().expect("temp dir"),
            sip: None,
            sessions: Default::default(),
            tls: None,
            // The database's name keeps this test's cluster apart from others on NATS.
            cluster: Some((
                server::routing::Cluster {
                    name: db_url.rsplit('/').next().unwrap_or_default().to_owned(),
                    owner: name.into(),
                    ttl: lease,
                },
                nats,
            )),
            role,
        }
    }

    /// Stops the server, keeping its database for the test to read.
    pub async fn halt(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
    }

    /// Stops the server: in a cluster, its tenants are given up for the others.
    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
    }

    /// A server on a fresh SQLite file, serving HTTPS with `cert` and `key` (PEM files).
    pub async fn start_tls(cert: std::path::PathBuf, key: std::path::PathBuf) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let db_url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
        let mut s = TestServer {
            url: String::new(),
            db_url,
            running: None,
            _dir: dir,
            sip: None,
            sessions: Default::default(),
            tls: Some((cert, key)),
            cluster: None,
            role: server::config::Role::All,
        };
        s.boot().await;
        s.url = s.url.replacen("http://", "https://", 1);
        s
    }

    async fn start_on(db_url: String, dir: tempfile::TempDir) -> TestServer {
        let mut s = TestServer {
            url: String::new(),
            db_url,
            running: None,
            _dir: dir,
            sip: None,
            sessions: Default::default(),
            tls: None,
            cluster: None,
            role: server::config::Role::All,
        };
        s.boot().await;
        s
    }

    /// A server taking real calls over SIP on a free port of 127.0.0.1, with `trunk` as
    /// the carrier and hold music from `media_dir`.
    pub async fn start_sip(trunk: &str, media_dir: std::path::PathBuf) -> TestServer {
        TestServer::start_sip_with(trunk, media_dir, |_| {}).await
    }

    /// The same, with the SIP settings changed by `set` first (credentials, say).
    pub async fn start_sip_with(
        trunk: &str,
        media_dir: std::path::PathBuf,
        set: impl FnOnce(&mut server::config::SipConfig),
    ) -> TestServer {
        // RUST_LOG=server=debug shows what the SIP side did when a test fails.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
        let dir = tempfile::tempdir().expect("temp dir");
        let db_url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
        let mut sip = sip_config(trunk);
        set(&mut sip);
        let mut s = TestServer {
            url: String::new(),
            db_url,
            running: None,
            _dir: dir,
            sip: Some((sip, media_dir)),
            sessions: Default::default(),
            tls: None,
            cluster: None,
            role: server::config::Role::All,
        };
        s.boot().await;
        s
    }

    /// An instance of a cluster on SIP, doing `role`'s part: with `Role::Telephony` the
    /// SIP stack and its media, the carrier at `trunk`; with `Role::Web` routing, which
    /// then knows agents take calls on phones of their own.
    pub async fn start_sip_in_cluster(
        name: &str,
        db_url: String,
        lease: Duration,
        role: server::config::Role,
        trunk: &str,
        media_dir: std::path::PathBuf,
    ) -> TestServer {
        let mut s = TestServer::start_in_cluster_unbooted(name, db_url, lease, role);
        s.sip = Some((sip_config(trunk), media_dir));
        s.boot().await;
        s
    }

    /// The RTP ports the server's calls use.
    pub fn rtp_ports(&self) -> std::ops::RangeInclusive<u16> {
        self.sip.as_ref().expect("a SIP server").0.rtp_ports.clone()
    }

    /// Where the server hears SIP.
    pub fn sip_addr(&self) -> std::net::SocketAddr {
        self.running.as_ref().and_then(|r| r.sip.as_ref()).expect("a SIP server").addr
    }

    async fn boot(&mut self) {
        let config = Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            database_url: self.db_url.clone(),
            simulator: true,
            sim_token: Some(SIM_TOKEN.into()),
            sessions: self.sessions,
            tls: self.tls.clone(),
            demo: true,
            site_root: self._dir.path().display().to_string(),
            default_region: phonenumber::country::Id::JP,
            demo_tickets: 0,
            demo_agents: 0,
            demo_tenants: 1,
            cluster: self.cluster.clone(),
            role: self.role,
            sip: self.sip.as_ref().map(|(s, _)| s.clone()),
            media_dir: self.sip.as_ref().map_or_else(|| "media".into(), |(_, m)| m.clone()),
            voice: server::telephony::sip::speech::Voice {
                voice: server::config::DEFAULT_VOICE.into(),
                dictionary: server::config::DEFAULT_DICTIONARY.into(),
            },
            webrtc: Default::default(),
        };
        let running = server::start(config).await.expect("server starts");
        self.url = format!("http://{}", running.addr);
        self.running = Some(running);
    }

    /// Stops the server and starts a new one on the same database.
    pub async fn restart(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
        self.boot().await;
    }

    /// Runs SQL on the server's database (to set up what no screen sets yet, or to read
    /// what the store recorded).
    pub async fn db(&self) -> sea_orm::DatabaseConnection {
        sea_orm::Database::connect(&self.db_url).await.expect("database")
    }

    /// Where the simulator keeps its lines: an SQLite store's file beside it, else
    /// the store.
    pub async fn lines_db(&self) -> sea_orm::DatabaseConnection {
        let url = server::store::lines_url(&self.db_url).unwrap_or_else(|| self.db_url.clone());
        sea_orm::Database::connect(&url).await.expect("the lines' database")
    }

    /// How the simulated customer at `number` behaves when called.
    pub async fn customer_behaves(&self, number: &str, behaviour: Value) {
        let (status, _) = self.sim(reqwest::Method::PUT, &format!("/sim/numbers/{number}"), Some(behaviour)).await;
        assert_eq!(status, StatusCode::OK);
    }

    /// Runs one SQL statement on the server's database and restarts to load it.
    pub async fn set_and_restart(&mut self, sql: &str) {
        use sea_orm::ConnectionTrait;
        self.db().await.execute_unprepared(sql).await.unwrap();
        self.restart().await;
    }

    /// Changes the demo tenant's CTI settings in the store and restarts to load them.
    pub async fn set_cti_settings(&mut self, sql_set: &str) {
        use sea_orm::ConnectionTrait;
        self.db().await.execute_unprepared(&format!("UPDATE cti_settings SET {sql_set}")).await.unwrap();
        self.restart().await;
    }

    /// The recorded end reason and times of a call: (state, end_reason, queued_at, ended_at).
    pub async fn call_record(&self, call_id: &str) -> (String, Option<String>, i64, Option<i64>) {
        use sea_orm::{ConnectionTrait, Statement};
        let db = self.db().await;
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT state, end_reason, queued_at, ended_at FROM calls WHERE id = '{call_id}'"),
            ))
            .await
            .unwrap()
            .expect("the call is recorded");
        (
            row.try_get("", "state").unwrap(),
            row.try_get("", "end_reason").unwrap(),
            row.try_get("", "queued_at").unwrap(),
            row.try_get("", "ended_at").unwrap(),
        )
    }

    pub fn anonymous(&self) -> Client {
        Client::new(&self.url)
    }

    pub async fn signed_in(&self, username: &str) -> Client {
        let c = self.anonymous();
        let res = c.login(username, "demo1234").await;
        assert_eq!(res.status(), StatusCode::OK, "sign-in of {username}");
        c
    }

    /// A simulated customer calls the demo service; answers the call id.
    pub async fn customer_calls(&self, from: &str) -> String {
        let res = reqwest::Client::new()
            .post(format!("{}/sim/calls", self.url))
            .json(&json!({ "from": from, "to": server::store::demo::DEMO_SERVICE_NUMBER }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        res.json::<Value>().await.unwrap()["call_id"].as_str().unwrap().to_owned()
    }

    pub async fn sim(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = reqwest::Client::new().request(method, format!("{}{path}", self.url));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }
}

pub struct Client {
    pub url: String,
    pub http: reqwest::Client,
}

impl Client {
    fn new(url: &str) -> Client {
        Client {
            url: url.to_owned(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    pub async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        self.http
            .post(format!("{}/api/login", self.url))
            .form(&[("username", username), ("password", password)])
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(format!("{}{path}", self.url)).send().await.unwrap()
    }

    /// Calls a server function with form arguments; answers its status and, if it
    /// refused, why.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, Option<AppError>) {
        let res = self.http.post(format!("{}/api/{endpoint}", self.url)).form(form).send().await.unwrap();
        let status = res.status();
        (status, refusal(res).await)
    }

    /// Calls a server function with a JSON body; answers its value, or the refusal with
    /// its HTTP status.
    pub async fn json<T: serde::de::DeserializeOwned>(
        &self,
        endpoint: &str,
        body: Value,
    ) -> Result<T, (StatusCode, AppError)> {
        decode_status(self.http.post(format!("{}/api/{endpoint}", self.url)).json(&body).send().await.unwrap()).await
    }

    /// Calls a server function whose arguments travel as postcard (uploads).
    pub async fn postcard<T: serde::de::DeserializeOwned>(
        &self,
        endpoint: &str,
        body: &impl serde::Serialize,
    ) -> Result<T, (StatusCode, AppError)> {
        let bytes = postcard::to_allocvec(body).unwrap();
        let req = self
            .http
            .post(format!("{}/api/{endpoint}", self.url))
            .header("content-type", "application/x-postcard")
            .body(bytes);
        decode_status(req.send().await.unwrap()).await
    }

    /// Calls a server function with form arguments (none for most readers).
    pub async fn form<T: serde::de::DeserializeOwned>(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> Result<T, (StatusCode, AppError)> {
        decode_status(self.http.post(format!("{}/api/{endpoint}", self.url)).form(form).send().await.unwrap()).await
    }

    pub async fn act(&self, action: AgentAction) -> Result<AgentView, AppError> {
        let res = self
            .http
            .post(format!("{}/api/phone/act", self.url))
            .json(&json!({ "action": action }))
            .send()
            .await
            .unwrap();
        decode(res).await
    }

    /// Chooses where the agent talks.
    pub async fn set_endpoint(&self, endpoint: app::model::Endpoint) -> Result<AgentView, (StatusCode, AppError)> {
        self.json("phone/endpoint", json!({ "endpoint": endpoint })).await
    }

    /// The agent's phone window: a softphone connected to ringdesk as the agent.
    pub async fn softphone(&self, codec: ringdesk_load::softphone::Codec) -> ringdesk_load::softphone::Softphone {
        ringdesk_load::softphone::Softphone::connect(codec, |connection, sdp| async move {
            self.json::<String>("phone/audio/offer", json!({ "connection": connection, "restart": false, "sdp": sdp }))
                .await
                .map_err(|e| format!("{e:?}"))
        })
        .await
        .expect("the softphone connects")
    }

    pub async fn view(&self) -> Result<AgentView, AppError> {
        decode(self.http.post(format!("{}/api/phone/view", self.url)).send().await.unwrap()).await
    }

    pub async fn answer(&self, call_id: &str) -> Result<i32, AppError> {
        let res = self
            .http
            .post(format!("{}/api/phone/answer", self.url))
            .form(&[("call_id", call_id)])
            .send()
            .await
            .unwrap();
        decode(res).await
    }

    pub async fn dial(&self, to: &str, caller_number: &str) -> Result<app::model::Dialled, AppError> {
        let res = self
            .http
            .post(format!("{}/api/phone/dial", self.url))
            .form(&[("to", to), ("caller_number", caller_number)])
            .send()
            .await
            .unwrap();
        decode(res).await
    }

    pub async fn hang_up(&self, call_id: &str) -> Result<AgentView, AppError> {
        let res = self
            .http
            .post(format!("{}/api/phone/hangup", self.url))
            .form(&[("call_id", call_id)])
            .send()
            .await
            .unwrap();
        decode(res).await
    }

    /// The first page of the tickets the user works, newest first.
    pub async fn tickets(&self) -> Vec<app::model::TicketSummary> {
        self.ticket_page(json!({})).await.unwrap().tickets
    }

    /// A page of tickets for a filter given as the page's address would (`{"status": "open"}`).
    pub async fn ticket_page(&self, filter: Value) -> Result<app::model::TicketPage, (StatusCode, AppError)> {
        self.json("tickets/list", json!({ "filter": filter })).await
    }

    pub async fn ticket(&self, id: i32) -> Result<TicketDetail, AppError> {
        let res = self
            .http
            .post(format!("{}/api/tickets/get", self.url))
            .form(&[("id", &id.to_string())])
            .send()
            .await
            .unwrap();
        decode(res).await
    }

    /// Opens the live stream; views arrive on the returned channel as they are pushed.
    pub async fn events(&self) -> Events {
        let res = self.get("/events").await;
        assert_eq!(res.status(), StatusCode::OK);
        Events { rx: sse(res, |data| serde_json::from_str::<PushEvent>(data).ok()), waiting: 0 }
    }
}

/// The events of a Server-Sent Events response, each `data:` read by `read`. Reads
/// until the stream ends, or until the receiver is dropped: then the connection closes,
/// as a browser's does when its tab closes.
pub fn sse<T: Send + 'static>(
    res: reqwest::Response,
    read: impl Fn(&str) -> Option<T> + Send + 'static,
) -> mpsc::UnboundedReceiver<T> {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut body = res.bytes_stream();
    tokio::spawn(async move {
        let mut buf = String::new();
        loop {
            let chunk = tokio::select! {
                _ = tx.closed() => return,
                chunk = body.next() => chunk,
            };
            let Some(Ok(chunk)) = chunk else { return };
            buf.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buf.find("\n\n") {
                let frame: String = buf.drain(..end + 2).collect();
                for data in frame.lines().filter_map(|l| l.strip_prefix("data:")) {
                    if let Some(event) = read(data.trim()) {
                        let _ = tx.send(event);
                    }
                }
            }
        }
    });
    rx
}

/// Server functions answer in postcard, refusals too (`app::api::wire`).
async fn decode<T: serde::de::DeserializeOwned>(res: reqwest::Response) -> Result<T, AppError> {
    decode_status(res).await.map_err(|(_, e)| e)
}

async fn decode_status<T: serde::de::DeserializeOwned>(res: reqwest::Response) -> Result<T, (StatusCode, AppError)> {
    let status = res.status();
    let bytes = res.bytes().await.unwrap();
    if status.is_success() {
        Ok(postcard::from_bytes(&bytes).unwrap_or_else(|e| panic!("unreadable answer {bytes:?}: {e}")))
    } else {
        Err((
            status,
            postcard::from_bytes(&bytes).unwrap_or_else(|e| panic!("unreadable error {status} {bytes:?}: {e}")),
        ))
    }
}

/// Why a server function refused, read from its answer; `None` if it did not.
pub async fn refusal(res: reqwest::Response) -> Option<AppError> {
    match res.status().is_success() {
        true => None,
        false => Some(postcard::from_bytes(&res.bytes().await.unwrap()).expect("a refusal reads as an AppError")),
    }
}

pub struct Events {
    rx: mpsc::UnboundedReceiver<PushEvent>,
    /// The service's waiting count as last pushed.
    pub waiting: u32,
}

impl Events {
    /// Waits for a pushed view that satisfies `pred` (not for a fixed time); gives up
    /// after five seconds.
    /// Whether the server ends the stream within `secs` (what it sends meanwhile is
    /// read and dropped).
    pub async fn ended_within(&mut self, secs: u64) -> bool {
        tokio::time::timeout(std::time::Duration::from_secs(secs), async { while self.rx.recv().await.is_some() {} })
            .await
            .is_ok()
    }

    pub async fn until(&mut self, what: &str, pred: impl Fn(&AgentView) -> bool) -> AgentView {
        self.until_within(5, what, pred).await
    }

    /// As `until`, giving up after `secs` seconds.
    pub async fn until_within(&mut self, secs: u64, what: &str, pred: impl Fn(&AgentView) -> bool) -> AgentView {
        self.try_until_within(secs, pred).await.unwrap_or_else(|| panic!("no pushed view with {what} within {secs} s"))
    }

    /// As `until_within`, answering `None` rather than failing when no such view came.
    pub async fn try_until_within(&mut self, secs: u64, pred: impl Fn(&AgentView) -> bool) -> Option<AgentView> {
        let wait = async {
            while let Some(event) = self.rx.recv().await {
                match event {
                    PushEvent::Agent(v) if pred(&v) => return Some(v),
                    PushEvent::Agent(_) => {}
                    PushEvent::Waiting { count } => self.waiting = count,
                }
            }
            None
        };
        tokio::time::timeout(Duration::from_secs(secs), wait).await.ok().flatten()
    }

    /// Waits until the pushed waiting count is `count` (it may be already).
    pub async fn until_waiting(&mut self, count: u32) {
        let wait = async {
            while self.waiting != count {
                match self.rx.recv().await {
                    Some(PushEvent::Waiting { count }) => self.waiting = count,
                    Some(PushEvent::Agent(_)) => {}
                    None => panic!("the stream closed while waiting for {count} waiting"),
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(5), wait)
            .await
            .unwrap_or_else(|_| panic!("the waiting count is {}, not {count}, after 5 s", self.waiting))
    }
}

/// SIP settings for a test server: the carrier at `trunk` (one address or several,
/// comma-separated), and a block of RTP ports of the test's own (the pool skips ports
/// taken anyway).
fn sip_config(trunk: &str) -> server::config::SipConfig {
    let base = 30000 + 2 * (rand::random::<u16>() % 4000);
    server::config::SipConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        trunk: trunk.split(',').map(|t| t.parse().expect("trunk address")).collect(),
        trunk_credentials: None,
        trunk_register: false,
        public_ip: None,
        rtp_ports: base..=base + 199,
    }
}
