//! The server under load: the release binary on a fresh SQLite file (or a fresh
//! PostgreSQL database) and a free port, with the demo and `agents` extra phone agents.

use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

pub struct Server {
    pub url: String,
    child: Child,
    dir: PathBuf,
    /// How the server was started, to start it again the same way.
    binary: String,
    envs: Vec<(String, String)>,
    /// The PostgreSQL database made for the run: the server it is on, and its name.
    postgres: Option<(String, String)>,
}

impl Server {
    /// With `sip`, the server takes real calls on that SIP port from 127.0.0.1 as its
    /// carrier, and logs its media counts (`ringdesk::sip_media`).
    pub async fn start(
        binary: &str,
        agents: usize,
        tenants: usize,
        sip: Option<u16>,
        postgres: Option<&str>,
    ) -> Result<Server, String> {
        Server::start_with(binary, agents, tenants, sip, postgres, Vec::new()).await
    }

    /// The same, with more settings (`RINGDESK_CLUSTER`, say).
    pub async fn start_with(
        binary: &str,
        agents: usize,
        tenants: usize,
        sip: Option<u16>,
        postgres: Option<&str>,
        more: Vec<(&str, String)>,
    ) -> Result<Server, String> {
        let port = free_port()?;
        let dir = std::env::temp_dir().join(format!("ringdesk-load-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let mut envs: Vec<(&str, String)> = more;
        if let Some(sip) = sip {
            envs.extend([
                ("RINGDESK_TELEPHONY", "sip".into()),
                ("RINGDESK_SIP_LISTEN", format!("127.0.0.1:{sip}")),
                ("RINGDESK_SIP_TRUNK", "127.0.0.1".into()),
                ("RINGDESK_RTP_PORTS", "20000-29999".into()),
                (
                    "RUST_LOG",
                    std::env::var("RINGDESK_LOAD_SERVER_LOG")
                        .unwrap_or_else(|_| "warn,ringdesk::sip_media=info".into()),
                ),
            ]);
        } else if !envs.iter().any(|(k, _)| *k == "RUST_LOG") {
            envs.push(("RUST_LOG", "warn".into()));
        }
        let (database_url, postgres) = match postgres {
            Some(admin) => {
                let name = format!("ringdesk_load_{}", std::process::id());
                create_database(admin, &name).await?;
                let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
                (format!("{base}/{name}"), Some((admin.to_owned(), name)))
            }
            None => (format!("sqlite://{}/load.db?mode=rwc", dir.display()), None),
        };
        envs.extend([
            ("RINGDESK_ADDR", format!("127.0.0.1:{port}")),
            ("RINGDESK_DATABASE_URL", database_url),
            ("RINGDESK_DEMO_AGENTS", agents.to_string()),
            ("RINGDESK_DEMO_TENANTS", tenants.to_string()),
            ("RINGDESK_DEMO_TICKETS", "0".into()),
        ]);
        let envs: Vec<(String, String)> = envs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let child = spawn(binary, &envs, &dir)?;
        let server =
            Server { url: format!("http://127.0.0.1:{port}"), child, dir, binary: binary.to_owned(), envs, postgres };
        server.wait_healthy().await?;
        Ok(server)
    }

    /// Another instance beside this one: the same settings and database, its own port.
    pub async fn another(&self) -> Result<Server, String> {
        self.another_with(&[]).await
    }

    /// The same, with some settings of its own (`RINGDESK_ROLE`, say).
    pub async fn another_with(&self, own: &[(&str, &str)]) -> Result<Server, String> {
        let port = free_port()?;
        let dir = std::env::temp_dir().join(format!("ringdesk-load-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let mut envs = self.envs.clone();
        let addr = format!("127.0.0.1:{port}");
        for (k, v) in own.iter().copied().chain([("RINGDESK_ADDR", addr.as_str())]) {
            match envs.iter_mut().find(|(name, _)| name == k) {
                Some((_, value)) => *value = v.to_owned(),
                None => envs.push((k.to_owned(), v.to_owned())),
            }
        }
        let child = spawn(&self.binary, &envs, &dir)?;
        let url = format!("http://127.0.0.1:{port}");
        let server = Server { url, child, dir, binary: self.binary.clone(), envs, postgres: None };
        server.wait_healthy().await?;
        Ok(server)
    }

    /// Kills the server as a crash would (SIGKILL: no shutdown, nothing flushed).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the server again after `kill`, on the same database and port; answers
    /// once it answers.
    pub async fn start_again(&mut self) -> Result<(), String> {
        self.child = spawn(&self.binary, &self.envs, &self.dir)?;
        self.wait_healthy().await
    }

    /// Stops the server as an upgrade does (SIGTERM: it gives its tenants up and ends
    /// the requests under way), and waits for it to end.
    pub fn stop(&mut self) {
        signal(self.pid(), "-TERM");
        let _ = self.child.wait();
    }

    /// Stops the process where it is (SIGSTOP), as a machine that froze.
    pub fn freeze(&self) {
        signal(self.pid(), "-STOP");
    }

    /// Lets a frozen process run again (SIGCONT).
    pub fn thaw(&self) {
        signal(self.pid(), "-CONT");
    }

    /// The tenants the server routes (in a cluster, whose leases it holds), from its
    /// `/health`; `None` if it does not answer.
    pub async fn routed(&self, http: &reqwest::Client) -> Option<Vec<i64>> {
        let r = http.get(format!("{}/health", self.url)).timeout(Duration::from_secs(1)).send().await.ok()?;
        let health: serde_json::Value = r.json().await.ok()?;
        Some(health["routing"]["tenants"].as_array()?.iter().filter_map(|t| t.as_i64()).collect())
    }

    /// Kills the server as a crash would (SIGKILL: no shutdown, nothing flushed) and
    /// starts it again on the same database and port; answers once it answers again.
    pub async fn crash_and_restart(&mut self) -> Result<Duration, String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let started = Instant::now();
        self.child = spawn(&self.binary, &self.envs, &self.dir)?;
        self.wait_healthy().await?;
        Ok(started.elapsed())
    }

    /// Where the server keeps its store (`RINGDESK_DATABASE_URL`).
    pub fn database_url(&self) -> String {
        self.envs.iter().find(|(k, _)| k == "RINGDESK_DATABASE_URL").map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// The SQLite file the server keeps its store in.
    pub fn database(&self) -> PathBuf {
        self.dir.join("load.db")
    }

    /// Waits until `/health` answers (the demo agents are loaded before it listens).
    async fn wait_healthy(&self) -> Result<(), String> {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        while Instant::now() < deadline {
            if http.get(format!("{}/health", self.url)).send().await.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("the server did not answer within 2 minutes; see {}", self.dir.join("server.log").display()))
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }

    /// A folder of this run's, removed with the server.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

fn free_port() -> Result<u16, String> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port())
}

fn signal(pid: u32, which: &str) {
    let _ = Command::new("kill").args([which, &pid.to_string()]).status();
}

/// Starts the server binary with `envs`, its output (standard output and error, which
/// tracing writes to) appended to the run's log.
fn spawn(binary: &str, envs: &[(String, String)], dir: &std::path::Path) -> Result<Child, String> {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("server.log"))
        .map_err(|e| e.to_string())?;
    Command::new(binary)
        .envs(envs.iter().map(|(k, v)| (k, v)))
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start {binary}: {e} (build it first: make build)"))
}

async fn create_database(admin: &str, name: &str) -> Result<(), String> {
    use sqlx::Connection;
    let mut c = sqlx::PgConnection::connect(admin).await.map_err(|e| format!("--postgres {admin}: {e}"))?;
    // The name is the harness's own (a prefix and its process id), never input.
    let sql = sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"));
    sqlx::raw_sql(sql).execute(&mut c).await.map_err(|e| e.to_string())?;
    Ok(())
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((admin, name)) = self.postgres.take() {
            // Dropped from a thread of its own: this may run inside the harness's runtime.
            let _ = std::thread::spawn(move || {
                use sqlx::Connection;
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                rt.block_on(async {
                    let mut c = sqlx::PgConnection::connect(&admin).await.ok()?;
                    let sql = sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)"));
                    sqlx::raw_sql(sql).execute(&mut c).await.ok()
                })
            })
            .join();
        }
    }
}
