use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::task::spawn_local;
use leptos_router::components::{A, Outlet};

use crate::api::{Logout, set_locale};
use crate::i18n::{Key, Locale, locale, t};
use crate::model::{Role, SessionInfo};
use crate::widget::PhoneWidget;

/// Every signed-in page: the top bar, the page, and the phone widget for agents.
#[component]
pub fn SignedInLayout() -> impl IntoView {
    let session = use_context::<Option<SessionInfo>>().flatten();
    let Some(session) = session else {
        // The server sends anonymous visitors to /login before this renders; this is
        // only reached by a tab whose session ended.
        return view! {
            <main class="page">
                <p>{t(Key::ErrUnauthorized)}</p>
                <a href="/login">{t(Key::SignIn)}</a>
            </main>
        }
        .into_any();
    };
    let phone = session.phone_permission;
    let role = session.role;
    view! {
        <header class="topbar">
            <a class="brand" href="/">{t(Key::AppName)}</a>
            <nav aria-label=t(Key::AppName)>
                {(role != Role::PlatformAdmin).then(|| view! { <A href="/">{t(Key::Tickets)}</A> })}
                {matches!(role, Role::TenantAdmin | Role::ServiceAdmin).then(|| view! {
                    <A href="/board">{t(Key::Board)}</A>
                    <A href="/reports">{t(Key::Reports)}</A>
                    <A href="/services">{t(Key::ServiceAdmin)}</A>
                })}
                {(role == Role::TenantAdmin).then(|| view! { <A href="/admin">{t(Key::AdminWhole)}</A> })}
                {(role == Role::PlatformAdmin).then(|| view! {
                    <A href="/platform/contracts">{t(Key::PlatformAdmin)}</A>
                })}
            </nav>
            <div class="account">
                <a class="user" href="/account" title=t(Key::Account)>{session.display_name.clone()}</a>
                <LanguagePicker />
                <SignOut />
            </div>
        </header>
        <div class="content">
            <Outlet />
        </div>
        {phone.then(|| view! { <PhoneWidget /> }.into_any())}
    }
    .into_any()
}

/// Signing out: a form, so that it works before the wasm arrives too; once hydrated it
/// signs out in the background and loads the sign-in page.
#[island]
fn SignOut() -> impl IntoView {
    crate::started::island();
    let sign_out = ServerAction::<Logout>::new();
    Effect::new(move || {
        if sign_out.value().get().is_some() {
            super::go_to("/login");
        }
    });
    view! {
        <form class="inline" method="post" action=Logout::url()
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                sign_out.dispatch(Logout {});
            }>
            <button type="submit">{t(Key::SignOut)}</button>
        </form>
    }
}

#[island]
fn LanguagePicker() -> impl IntoView {
    crate::started::island();
    let current = locale();
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(l) = Locale::parse(&event_target_value(&ev)) {
            spawn_local(async move {
                if set_locale(l).await.is_ok() {
                    super::go_to(&current_path());
                }
            });
        }
    };
    view! {
        <label class="language">
            <span class="visually-hidden">{t(Key::Language)}</span>
            <select on:change=on_change>
                {Locale::ALL
                    .into_iter()
                    .map(|l| view! {
                        <option value=l.tag() selected=l == current>{l.native_name()}</option>
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

fn current_path() -> String {
    #[cfg(feature = "hydrate")]
    if let Some(p) = web_sys::window().and_then(|w| w.location().pathname().ok()) {
        return p;
    }
    "/".into()
}
