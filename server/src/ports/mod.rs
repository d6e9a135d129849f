//! The server's side of the app's ports: what the server functions call. One module
//! per port.

mod admin;
mod auth;
mod floor;
mod phone;
mod platform;
mod reports;
mod services;
mod tickets;

use std::sync::Arc;

use app::api::ports::Backend;
use app::error::AppError;

use crate::routing::RoutingHandle;
use crate::routing::roster::AgentProfile;
use crate::store::entities::user;
use crate::store::operators::has_cti_identity;
use crate::store::{Store, StoreError};

/// A store failure becomes what the user may read: a refusal as itself, anything else
/// as an internal error (logged here, with its detail).
fn internal(e: StoreError) -> AppError {
    match e {
        StoreError::Refused(e) => e,
        e => {
            tracing::error!(error = %e, "store");
            AppError::Internal
        }
    }
}

/// The ports over one store and routing task. `region` is the country of numbers typed
/// without a country code.
pub fn backend(
    store: Store,
    routing: RoutingHandle,
    region: phonenumber::country::Id,
    sessions: crate::store::auth::SessionRules,
    browser: Arc<dyn crate::telephony::browser::PhoneWindows>,
) -> Backend {
    Backend {
        admin: Arc::new(admin::Admin { store: store.clone(), routing: routing.clone() }),
        auth: Arc::new(auth::Auth { store: store.clone(), sessions, guard: Default::default() }),
        floor: Arc::new(floor::Floor { store: store.clone(), routing: routing.clone() }),
        phone: Arc::new(phone::Phone { routing: routing.clone(), browser, store: store.clone(), region }),
        platform: Arc::new(platform::Platform { store: store.clone(), routing: routing.clone() }),
        reports: Arc::new(reports::Reports { store: store.clone() }),
        services: Arc::new(services::Services { store: store.clone(), routing, region }),
        tickets: Arc::new(tickets::Tickets { store, region }),
    }
}

/// Who routing should take a user to be after an administrator's change: an agent
/// while they hold the phone permission on an active account, no one otherwise.
fn agent_profile(u: &user::Model) -> Option<AgentProfile> {
    (u.phone_permission && u.active).then(|| AgentProfile {
        name: u.display_name.clone(),
        cti_number: u.cti_number.clone(),
        tenant_id: u.tenant_id,
        service_id: u.service_id,
        has_cti_identity: has_cti_identity(u),
    })
}

/// Tells routing who a user now is.
async fn sync_agent(routing: &RoutingHandle, u: &user::Model) {
    routing.set_agent(u.id, agent_profile(u)).await;
}
