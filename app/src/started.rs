//! When the browser has taken the page over: every island on it has started. Islands
//! start one by one, some only once their piece of the wasm has arrived (`#[island(lazy)]`),
//! so each one reports, and the page is marked (`data-hydrated` on `<html>`) when the
//! last has. Tests wait for the mark, and so do styles that hold back a button until it
//! works.

/// Called first thing by every island. The island is drawn by the time a task queued
/// now runs (hydration is synchronous), so the count is checked then.
pub fn island() {
    #[cfg(feature = "hydrate")]
    {
        thread_local! { static STARTED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) }; }
        let started = STARTED.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        leptos::prelude::set_timeout(
            move || {
                if started >= count() {
                    mark();
                }
            },
            std::time::Duration::ZERO,
        );
    }
}

/// Marks a page that has no island at once (the frontend calls this on start).
pub fn page_without_islands() {
    #[cfg(feature = "hydrate")]
    if count() == 0 {
        mark();
    }
}

#[cfg(feature = "hydrate")]
fn count() -> u32 {
    leptos::prelude::document().query_selector_all("leptos-island").map(|l| l.length()).unwrap_or(0)
}

#[cfg(feature = "hydrate")]
fn mark() {
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}

/// Holds an island's controls disabled until the island has started: typed into before
/// then, a field would be reset by the island's first drawing, and a button would send
/// its form the plain way. The server draws them disabled; the browser enables them as
/// soon as the island runs (a moment after the page shows).
#[leptos::component]
pub fn UntilStarted(children: leptos::prelude::Children) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let started = RwSignal::new(false);
    // Effects run in the browser only, once the island is hydrated.
    Effect::new(move || started.set(true));
    view! { <fieldset class="until-started" disabled=move || !started.get()>{children()}</fieldset> }
}
