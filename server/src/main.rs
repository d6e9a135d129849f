//! `server`: the ringdesk binary. Configuration comes from the environment
//! (`docs/configuration.md`); the defaults run the demo on SQLite with the simulator.

use server::config::Config;
use server::store::demo::{DEMO_PASSWORD, DEMO_USERS};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    server::memory::return_large_blocks_to_the_system();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ringdesk: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let running = match server::start(config.clone()).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("ringdesk: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!("ringdesk is serving http://{}", running.addr);
    println!("  database:  {}", config.database_url);
    match (&running.sip, config.simulator) {
        (Some(sip), _) => println!("  telephony: SIP on {} (UDP and TCP)", sip.addr),
        (None, true) => println!("  telephony: built-in simulator (POST /sim/calls)"),
        (None, false) => println!("  telephony: none"),
    }
    if config.demo {
        println!("  demo sign-ins (password {DEMO_PASSWORD}):");
        for (user, what) in DEMO_USERS {
            println!("    {user:<6} {what}");
        }
    }
    running.until_signal().await;
    std::process::ExitCode::SUCCESS
}
