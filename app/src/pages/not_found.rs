use leptos::prelude::*;

use crate::i18n::{Key, t};

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="page">
            <h1>{t(Key::NotFoundPage)}</h1>
            <a href="/">{t(Key::Tickets)}</a>
        </main>
    }
}
