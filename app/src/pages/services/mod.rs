//! サービス管理: a service's people and its phone set-up, for its service admin and the
//! tenant admin.

mod caller_numbers;
mod operators;

pub use caller_numbers::CallerNumbersPage;
pub use operators::OperatorsPage;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::frame::{AdminFrame, Crumb, crumb, loading, refused};
use crate::api::list_services;
use crate::i18n::{Key, t};

/// サービス管理: the services the user administers, each with its menu.
#[component]
pub fn ServicesPage() -> impl IntoView {
    let services = crate::api::load(|| (), |_| list_services());
    view! {
        <AdminFrame title=Key::ServiceAdmin crumbs=Vec::new()>
            <Suspense fallback=loading>
                {move || services.get().map(|r| match r {
                    Err(e) => refused(&e),
                    Ok(list) => view! {
                        <div class="menu-grid">
                            {list.into_iter().map(|s| view! {
                                <section class="card menu" aria-labelledby=format!("service-{}", s.id)>
                                    <h2 id=format!("service-{}", s.id)>{s.name}</h2>
                                    <p class="muted">{t(Key::InboundNumber)}" "<span class="number">{s.inbound_number.shown}</span></p>
                                    <a href=format!("/services/{}/operators", s.id)>{t(Key::Operators)}</a>
                                    <a href=format!("/services/{}/phone/caller-numbers", s.id)>
                                        {t(Key::PhoneMenu)}" › "{t(Key::CallerNumbersTitle)}
                                    </a>
                                </section>
                            }).collect_view()}
                        </div>
                    }.into_any(),
                })}
            </Suspense>
        </AdminFrame>
    }
}

/// The service of a サービス管理 page's address, and the menu path to it: サービス管理 ›
/// the service's name (once known) › `section`.
fn service_route(section: Option<Key>) -> (Signal<i32>, Signal<Vec<Crumb>>) {
    let params = use_params_map();
    let id = Signal::derive(move || params.read().get("id").and_then(|s| s.parse().ok()).unwrap_or(0));
    let services = crate::api::load(|| (), |_| list_services());
    let crumbs = Signal::derive(move || {
        let name = services
            .get()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|s| s.id == id.get()).map(|s| s.name))
            .unwrap_or_default();
        let mut c = vec![crumb(Key::ServiceAdmin, Some("/services")), (name, None)];
        if let Some(k) = section {
            c.push(crumb(k, None));
        }
        c
    });
    (id, crumbs)
}
