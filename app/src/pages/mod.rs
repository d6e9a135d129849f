//! The pages of the app, one file each.

mod admin;
mod form;
mod frame;
mod layout;
mod lazy;
mod login;
mod not_found;
mod platform;
mod services;
mod tickets;

pub use admin::{AdminHome, AuditLogPage, ContractPage, CtiOperatorsPage, CtiSettingsPage};
pub use layout::SignedInLayout;
pub use lazy::*;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use platform::ContractsPage;
pub use services::{CallerNumbersPage, OperatorsPage, ServicesPage};
pub use tickets::{TicketList, TicketPage};

/// Leaves the single-page app and loads `path` afresh, so that the page is rendered for
/// the new session (sign-in, sign-out, a new language).
pub(crate) fn reload_at(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
