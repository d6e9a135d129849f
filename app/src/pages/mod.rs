//! The pages of the app, one file each.

mod account;
mod admin;
mod board;
mod form;
mod frame;
mod layout;
mod login;
mod not_found;
mod platform;
mod reports;
mod services;
mod tickets;

pub use account::AccountPage;
pub use admin::{AdminHome, AuditLogPage, BreakReasonsPage, ContractPage, CtiOperatorsPage, CtiSettingsPage};
pub use board::BoardPage;
pub use layout::SignedInLayout;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use platform::ContractsPage;
pub use reports::ReportsPage;
pub use services::{CallerNumbersPage, OperatorsPage, ServicesPage};
pub use tickets::{TicketList, TicketPage};

/// Goes to `path`. Every page is rendered by the server, so this is a page load: the
/// page is drawn for the session as it is now (after a sign-in, a sign-out, a new
/// language, or an answered call).
pub(crate) fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
