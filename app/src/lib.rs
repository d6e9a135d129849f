#![recursion_limit = "256"]

//! ringdesk's UI and its contract with the server, compiled for the browser (`hydrate`)
//! and for the server (`ssr`).
//!
//! Pages are Leptos islands: the server renders every page whole, and the browser runs
//! only the parts that act (`#[island]`: the phone widget, the forms, the language
//! picker). The router and the pages' views stay on the server, so the wasm a page
//! needs is the reactive runtime and those parts (docs/ARCHITECTURE.md).

pub mod api;
pub mod domain;
pub mod error;
pub mod i18n;
#[cfg(feature = "hydrate")]
mod live_stream;
pub mod model;
mod pages;
pub mod phone_piece;
pub mod phone_window;
pub mod session;
pub mod started;
mod stored;
pub mod time;
pub mod widget;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::pages::{
    AccountPage, AdminHome, AuditLogPage, BoardPage, BreakReasonsPage, CallerNumbersPage, ContractPage, ContractsPage,
    CtiOperatorsPage, CtiSettingsPage, LoginPage, NotFound, OperatorsPage, ReportsPage, ServicesPage, SignedInLayout,
    TicketList, TicketPage,
};

/// The HTML document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let session = session::initial_session();
    let lang = session.as_ref().map(|s| s.locale).unwrap_or_default().tag();
    let session_data = session::embed(&session);
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HashedStylesheet id="leptos" options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
                <script type="application/octet-stream" id=session::ELEMENT_ID inner_html=session_data></script>
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy: scripts only from the app itself and the inline
/// ones Leptos writes (hydration, resources), which bear this response's nonce; wasm may
/// be compiled; nothing is framed, posted elsewhere or loaded from another origin.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    use axum::http::{HeaderValue, header::CONTENT_SECURITY_POLICY};
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
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
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/phone") view=phone_window::PhoneWindowPage />
                <ParentRoute path=path!("") view=SignedInLayout>
                    <Route path=path!("") view=TicketList />
                    <Route path=path!("account") view=AccountPage />
                    <Route path=path!("board") view=BoardPage />
                    <Route path=path!("reports") view=ReportsPage />
                    <Route path=path!("tickets/:id") view=TicketPage />
                    <Route path=path!("admin") view=AdminHome />
                    <Route path=path!("admin/contract") view=ContractPage />
                    <Route path=path!("admin/cti/settings") view=CtiSettingsPage />
                    <Route path=path!("admin/cti/operators") view=CtiOperatorsPage />
                    <Route path=path!("admin/cti/break-reasons") view=BreakReasonsPage />
                    <Route path=path!("admin/audit") view=AuditLogPage />
                    <Route path=path!("services") view=ServicesPage />
                    <Route path=path!("services/:id/operators") view=OperatorsPage />
                    <Route path=path!("services/:id/phone/caller-numbers") view=CallerNumbersPage />
                    <Route path=path!("platform/contracts") view=ContractsPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
