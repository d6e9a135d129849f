//! The frame of an administration page: its title, the menu path that leads to it (as
//! the source documents name it), and what it shows once its data has arrived.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;
use crate::i18n::{Key, locale, t};

/// A step of the menu path: its label, and where it leads (the last step is the page).
pub type Crumb = (String, Option<String>);

pub fn crumb(key: Key, href: Option<&str>) -> Crumb {
    (t(key).to_owned(), href.map(str::to_owned))
}

#[component]
pub fn AdminFrame(title: Key, #[prop(into)] crumbs: Signal<Vec<Crumb>>, children: Children) -> impl IntoView {
    view! {
        <Title text=format!("{} – {}", t(title), t(Key::AppName)) />
        <main class="page">
            <nav class="breadcrumb" aria-label=t(Key::MenuPath)>
                // A step may name what the page loads (a service's name): the server
                // draws the path once it has it.
                <Suspense>
                    {move || crumbs.get().into_iter().map(|(label, href)| match href {
                        Some(href) => view! { <a href=href>{label}</a>" › " }.into_any(),
                        None => view! { <span>{label}</span>" › " }.into_any(),
                    }).collect_view()}
                </Suspense>
            </nav>
            <h1>{t(title)}</h1>
            {children()}
        </main>
    }
}

/// What a page shows while its data loads, and when it was refused.
pub fn loading() -> impl IntoView {
    view! { <p class="muted">{t(Key::Connecting)}</p> }
}

pub fn refused(e: &AppError) -> AnyView {
    view! { <p class="error" role="alert">{e.message(locale())}</p> }.into_any()
}
