#![recursion_limit = "256"]

//! ringdesk's UI and its contract with the server, compiled for the browser (`hydrate`)
//! and for the server (`ssr`).

pub mod api;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod model;
mod pages;
mod session;
mod stored;
pub mod time;
mod widget;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, path};

use crate::pages::{
    AdminHomeRoute, AuditLogRoute, CallerNumbersRoute, ContractRoute, ContractsRoute, CtiOperatorsRoute, CtiSettingsRoute,
    LoginRoute, NotFound, OperatorsRoute, ServicesRoute, SignedInLayout, TicketListRoute, TicketRoute,
};

/// The HTML document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let session = session::initial_session();
    let lang = session.as_ref().map(|s| s.locale).unwrap_or_default().tag();
    let session_data = session::embed(&session);
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HashedStylesheet id="leptos" options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
                <script type="application/octet-stream" id=session::ELEMENT_ID inner_html=session_data></script>
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let session = session::initial_session();
    provide_context(session.as_ref().map(|s| s.locale).unwrap_or_default());
    provide_context(session);
    view! {
        <Title text="ringdesk" />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} />
                <ParentRoute path=path!("") view=SignedInLayout>
                    <Route path=path!("") view={Lazy::<TicketListRoute>::new()} />
                    <Route path=path!("tickets/:id") view={Lazy::<TicketRoute>::new()} />
                    <Route path=path!("admin") view={Lazy::<AdminHomeRoute>::new()} />
                    <Route path=path!("admin/contract") view={Lazy::<ContractRoute>::new()} />
                    <Route path=path!("admin/cti/settings") view={Lazy::<CtiSettingsRoute>::new()} />
                    <Route path=path!("admin/cti/operators") view={Lazy::<CtiOperatorsRoute>::new()} />
                    <Route path=path!("admin/audit") view={Lazy::<AuditLogRoute>::new()} />
                    <Route path=path!("services") view={Lazy::<ServicesRoute>::new()} />
                    <Route path=path!("services/:id/operators") view={Lazy::<OperatorsRoute>::new()} />
                    <Route path=path!("services/:id/phone/caller-numbers") view={Lazy::<CallerNumbersRoute>::new()} />
                    <Route path=path!("platform/contracts") view={Lazy::<ContractsRoute>::new()} />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
