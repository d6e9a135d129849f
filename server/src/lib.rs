//! The ringdesk server: configuration, the store, the routing task, telephony, the live
//! stream, and the Leptos app, wired together in `start`.

pub mod bus;
pub mod clock;
pub mod config;
pub mod floor;
pub mod http;
pub mod memory;
pub mod numbers;
pub mod password;
pub mod ports;
pub mod push;
pub mod routing;
pub mod store;
pub mod telephony;
pub mod throttle;

use std::net::SocketAddr;
use std::sync::Arc;

use app::{App, shell};
use axum::Router;
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tokio::sync::oneshot;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::{Config, Role};
use crate::push::Hub;
use crate::store::{Store, now_ms};
use crate::telephony::browser::{BrowserPhones, PhoneWindows};
use crate::telephony::simulator::Simulator;
use crate::telephony::sip::SipTelephony;
use crate::telephony::{NoTelephony, Telephony};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error(transparent)]
    Sip(#[from] telephony::sip::SipError),
    #[error(transparent)]
    Tls(#[from] http::tls::TlsError),
    #[error(transparent)]
    Bus(#[from] bus::BusError),
}

/// A server that is up.
pub struct Running {
    pub addr: SocketAddr,
    /// Where SIP is heard, with `RINGDESK_TELEPHONY=sip`.
    pub sip: Option<telephony::sip::SipTelephony>,
    pub demo_loaded: bool,
    routing: routing::RoutingHandle,
    stop: oneshot::Sender<()>,
    served: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Stops taking requests and waits for those under way. In a cluster, first gives
    /// this instance's tenants up, for the others to take at once.
    pub async fn stop(self) {
        self.routing.stop().await;
        if let Some(sip) = &self.sip {
            sip.stop();
        }
        let _ = self.stop.send(());
        let _ = self.served.await;
    }

    /// Serves until the process is asked to stop (Ctrl-C or SIGTERM).
    pub async fn until_signal(self) {
        shutdown_signal().await;
        self.stop().await;
    }
}

/// Opens the store, starts routing and telephony, and begins serving.
pub async fn start(config: Config) -> Result<Running, StartError> {
    let mut store = Store::open(&config.database_url).await?;
    store.reading = numbers::Reading { region: config.default_region };
    // The demo is loaded by an instance; the telephone system's process finds it there.
    let demo_loaded = config.role != Role::Telephony && config.demo && store.load_demo_if_empty().await?;
    if demo_loaded && config.demo_tickets > 0 {
        store.load_demo_history(config.demo_tickets).await?;
    }
    if demo_loaded && config.demo_agents > 0 {
        store.load_demo_agents(config.demo_agents, config.demo_tenants).await?;
    }
    let hub = Hub::default();
    let (routing, mailbox) = routing::channel();
    let browser = BrowserPhones::new(config.webrtc.clone(), routing.clone());
    let bus = match &config.cluster {
        Some((cluster, nats)) => {
            let views = (config.role != Role::Telephony).then(|| hub.clone());
            Some(bus::Bus::connect(nats, &cluster.name, views, routing.clone()).await?)
        }
        None => None,
    };
    // The telephone system runs here, unless it is another process's (`Role::Web`).
    let here = config.role != Role::Web;
    let simulator = match here && config.simulator && config.sip.is_none() {
        true => Some(Simulator::load(store.clone(), routing.clone(), browser.clone(), config.media_dir.clone()).await?),
        false => None,
    };
    let sip = match (&config.sip, here) {
        (Some(sip), true) => Some(
            SipTelephony::start(
                sip.clone(),
                routing.clone(),
                store.clone(),
                config.default_region,
                config.media_dir.clone(),
                config.voice.clone(),
                browser.clone(),
            )
            .await?,
        ),
        _ => None,
    };
    // Agents' phone windows connect to the process whose calls they carry.
    let windows: Arc<dyn PhoneWindows> = match (&bus, &config.cluster) {
        (Some(bus), Some((cluster, _))) if !here => {
            Arc::new(telephony::apart::browsers::RemoteWindows::new(bus.client(), &cluster.name))
        }
        _ => Arc::new(browser.clone()),
    };
    let telephony: Arc<dyn Telephony> = match (&simulator, &sip, &bus, &config.cluster) {
        (_, Some(sip), _, _) => Arc::new(sip.clone()),
        (Some(sim), None, _, _) => Arc::new(sim.clone()),
        (None, None, Some(bus), Some((cluster, _))) if config.role == Role::Web => {
            Arc::new(telephony::apart::RemoteTelephony::new(bus.client(), &cluster.name, config.sip.is_some()))
        }
        _ => Arc::new(NoTelephony),
    };
    match (config.cluster.clone(), bus) {
        (Some((cluster, nats)), Some(bus)) if config.role == Role::Telephony => {
            let (client, name) = (bus.client(), cluster.name.clone());
            routing::run_relay(mailbox, store.clone(), hub.clone(), telephony.clone(), cluster, bus).await?;
            telephony::apart::serve::serve(client.clone(), &name, telephony, routing.clone())
                .await
                .map_err(|e| bus::BusError::new(&nats, &e))?;
            telephony::apart::browsers::serve(client, &name, windows.clone())
                .await
                .map_err(|e| bus::BusError::new(&nats, &e))?;
        }
        // Each tenant's state is read by the instance that takes its lease.
        (Some((cluster, _)), Some(bus)) => {
            routing::run_in_cluster(mailbox, store.clone(), hub.clone(), telephony, cluster, bus).await?;
        }
        _ => {
            let (state, closed) =
                store.load_routing(now_ms(), &telephony.waiting_calls().await, store::agents::Scope::All).await?;
            // Calls routing closed, and lines it does not know (a consult leg is not carried
            // across a restart), are ended at the telephone system too.
            for call_id in closed
                .iter()
                .chain(telephony.calls_up().await.iter().filter(|id| !state.calls.contains_key(id.as_str())))
            {
                telephony.drop_call(call_id).await;
            }
            routing::run(mailbox, state, store.clone(), hub.clone(), telephony);
        }
    }

    let listener = tokio::net::TcpListener::bind(config.addr).await.map_err(|e| StartError::Bind(config.addr, e))?;
    let addr = listener.local_addr().map_err(|e| StartError::Bind(config.addr, e))?;

    let app = match config.role {
        Role::Telephony => telephony_app(&config, routing.clone(), simulator),
        Role::All | Role::Web => web_app(&config, addr, store, routing.clone(), hub.clone(), windows, simulator),
    }
    // The peer's address: the simulator's API answers loopback only (or its token).
    .into_make_service_with_connect_info::<std::net::SocketAddr>();

    let (stop, stopped) = oneshot::channel::<()>();
    let tls = match &config.tls {
        Some((cert, key)) => Some(http::tls::config(cert, key)?),
        None => None,
    };
    let served = tokio::spawn(async move {
        let result = match tls {
            None => {
                axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = stopped.await;
                        hub.close();
                    })
                    .await
            }
            Some(tls) => {
                let handle = axum_server::Handle::new();
                let on_stop = handle.clone();
                tokio::spawn(async move {
                    let _ = stopped.await;
                    hub.close();
                    on_stop.graceful_shutdown(None);
                });
                match listener.into_std().and_then(|l| axum_server::from_tcp_rustls(l, tls)) {
                    Ok(server) => server.handle(handle).serve(app).await,
                    Err(e) => Err(e),
                }
            }
        };
        if let Err(e) = result {
            tracing::error!(error = %e, "server stopped");
        }
    });
    Ok(Running { addr, sip, demo_loaded, routing, stop, served })
}

/// The pages, server functions, streams and health of an instance (and, where the
/// telephone system runs in it, the simulator's API).
fn web_app(
    config: &Config,
    addr: SocketAddr,
    store: Store,
    routing: routing::RoutingHandle,
    hub: Hub,
    windows: Arc<dyn PhoneWindows>,
    simulator: Option<Simulator>,
) -> Router {
    let mut leptos_options = LeptosOptions::builder()
        .output_name("ringdesk")
        .site_root(config.site_root.as_str())
        .site_addr(addr)
        .env(leptos::config::Env::PROD)
        .build();
    leptos_options.hash_files = site_files_hashed(&leptos_options.hash_file);
    let hashed_dir =
        leptos_options.hash_files.then(|| http::site_files::HashedDir(format!("/{}/", leptos_options.site_pkg_dir)));
    let backend = ports::backend(store.clone(), routing.clone(), config.default_region, config.sessions, windows);
    let phone_system = match (&config.sip, config.simulator) {
        (Some(_), _) => app::model::PhoneSystem::Sip,
        (None, true) => app::model::PhoneSystem::Simulator,
        (None, false) => app::model::PhoneSystem::None,
    };
    let https = config.tls.is_some();
    let routes = generate_route_list(App);
    let mut app = Router::new()
        .route("/health", get(http::health::report).with_state(routing.clone()))
        .route(
            "/events",
            get(http::events::stream).with_state(http::events::Streams {
                hub: hub.clone(),
                routing: routing.clone(),
                store: store.clone(),
            }),
        )
        .route(
            "/board/events",
            get(http::board::stream).with_state(http::board::Boards {
                hub: hub.clone(),
                store: store.clone(),
                today: http::board::Today::default(),
                routing: routing.clone(),
            }),
        )
        .route("/export/calls.csv", get(http::export::calls_csv).with_state(store.clone()))
        .route("/reports/report.csv", get(http::report_csv::report_csv).with_state(backend.clone()))
        .leptos_routes_with_context(
            &leptos_options,
            routes,
            move || {
                provide_context(backend.clone());
                provide_context(phone_system);
                provide_context(app::model::Https(https));
            },
            {
                let options = leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(leptos_options);
    if let Some(sim) = simulator {
        app = app.merge(sim_api(config, sim));
    }
    if let Some(dir) = hashed_dir {
        app = app.layer(axum::middleware::from_fn_with_state(dir, http::site_files::cache_hashed));
    }
    // Turned into its final service once: served as a plain `Router`, axum calls
    // `with_state` per connection, which copies the whole route table (about 70 KB a
    // connection here, most of the memory of an idle floor with its streams open).
    app.layer(axum::middleware::from_fn_with_state(
        http::auth::Sessions { store, rules: config.sessions },
        http::auth::authenticate,
    ))
    .layer(axum::middleware::from_fn(http::csrf::same_origin_only))
    .layer(axum::middleware::from_fn(http::mistakes::callers_own))
    .layer(axum::middleware::from_fn(http::limits::cap))
    .layer(SetResponseHeaderLayer::overriding(
        axum::http::header::X_CONTENT_TYPE_OPTIONS,
        axum::http::HeaderValue::from_static("nosniff"),
    ))
    .layer(SetResponseHeaderLayer::overriding(
        axum::http::header::REFERRER_POLICY,
        axum::http::HeaderValue::from_static("same-origin"),
    ))
    // Pages set their own policy, with their nonce; everything else may run and
    // frame nothing.
    .layer(SetResponseHeaderLayer::if_not_present(
        axum::http::header::CONTENT_SECURITY_POLICY,
        axum::http::HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
    ))
    .with_state(())
}

/// What the telephone system's own process serves: its health, and the simulator's API.
fn telephony_app(config: &Config, routing: routing::RoutingHandle, simulator: Option<Simulator>) -> Router {
    let mut app = Router::new().route("/health", get(http::health::report).with_state(routing));
    if let Some(sim) = simulator {
        app = app.merge(sim_api(config, sim));
    }
    app
}

fn sim_api(config: &Config, sim: Simulator) -> Router {
    tracing::warn!(
        token = config.sim_token.is_some(),
        "the telephony simulator is on: /sim can put calls into any tenant's queue; it answers this host only{}",
        if config.sim_token.is_some() { ", or requests with RINGDESK_SIM_TOKEN" } else { "" }
    );
    telephony::simulator::router(sim, config.sim_token.clone())
}

/// Whether the built site's files carry their content's hash in their names
/// (`hash-files` in Cargo.toml): cargo-leptos then leaves the names in `hash_file`
/// (`hash.txt`) beside the server binary. With hashed names a tab left open across an
/// upgrade asks for pieces of its own build, which are gone, rather than loading the new
/// build's pieces into its old code. Test binaries have no site, and no hash file.
fn site_files_hashed(hash_file: &str) -> bool {
    std::env::current_exe().ok().and_then(|exe| Some(exe.parent()?.join(hash_file))).is_some_and(|p| p.exists())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
