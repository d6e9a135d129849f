//! The server under load: the release binary on a fresh SQLite file and a free port,
//! with the demo and `agents` extra phone agents.

use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

pub struct Server {
    pub url: String,
    child: Child,
    dir: PathBuf,
}

impl Server {
    /// With `sip`, the server takes real calls on that SIP port from 127.0.0.1 as its
    /// carrier, and logs its media counts (`ringdesk::sip_media`).
    pub async fn start(binary: &str, agents: usize, sip: Option<u16>) -> Result<Server, String> {
        let port =
            std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
        let dir = std::env::temp_dir().join(format!("ringdesk-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let log = std::fs::File::create(dir.join("server.log")).map_err(|e| e.to_string())?;
        let mut cmd = Command::new(binary);
        if let Some(sip) = sip {
            cmd.env("RINGDESK_TELEPHONY", "sip")
                .env("RINGDESK_SIP_LISTEN", format!("127.0.0.1:{sip}"))
                .env("RINGDESK_SIP_TRUNK", "127.0.0.1")
                .env("RINGDESK_RTP_PORTS", "20000-29999")
                .env(
                    "RUST_LOG",
                    std::env::var("RINGDESK_LOAD_SERVER_LOG")
                        .unwrap_or_else(|_| "warn,ringdesk::sip_media=info".into()),
                );
        } else {
            cmd.env("RUST_LOG", "warn");
        }
        let child = cmd
            .env("RINGDESK_ADDR", format!("127.0.0.1:{port}"))
            .env("RINGDESK_DATABASE_URL", format!("sqlite://{}/load.db?mode=rwc", dir.display()))
            .env("RINGDESK_DEMO_AGENTS", agents.to_string())
            .env("RINGDESK_DEMO_TICKETS", "0")
            // The server logs to standard output (tracing's default): both go to the log.
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start {binary}: {e} (build it first: make build)"))?;
        let server = Server { url: format!("http://127.0.0.1:{port}"), child, dir };
        server.wait_healthy().await?;
        Ok(server)
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

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
