//! Each page as a piece of the browser's code of its own (`#[lazy_route]`):
//! the first load carries the app's frame and the phone widget's tab, and a page's code
//! arrives when the agent first goes there. The pieces are cut by
//! `cargo leptos build --split` (`make build`).

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use super::{
    AdminHome, AuditLogPage, CallerNumbersPage, ContractPage, ContractsPage, CtiOperatorsPage, CtiSettingsPage,
    LoginPage, OperatorsPage, ServicesPage, TicketList, TicketPage,
};

macro_rules! lazy_pages {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    )*};
}

lazy_pages! {
    TicketListRoute => TicketList,
    TicketRoute => TicketPage,
    AdminHomeRoute => AdminHome,
    ContractRoute => ContractPage,
    CtiSettingsRoute => CtiSettingsPage,
    CtiOperatorsRoute => CtiOperatorsPage,
    AuditLogRoute => AuditLogPage,
    ServicesRoute => ServicesPage,
    OperatorsRoute => OperatorsPage,
    CallerNumbersRoute => CallerNumbersPage,
    ContractsRoute => ContractsPage,
    LoginRoute => LoginPage,
}
