#![recursion_limit = "256"]

//! The wasm entry point: hydrate the server-rendered page.

mod stopped;

use leptos::prelude::document;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        stopped::show();
    }));
    // Pages are split-off pieces of the wasm (`#[lazy_route]`), so hydration waits for
    // the page's piece to arrive. Only then is the page marked as taken over (tests, and
    // styles that need the live widget, wait for the mark): before it, a click on a
    // control the page has not hydrated yet would do nothing.
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = document().body() else { return };
        let owner = leptos::mount::hydrate_from_async(body, app::App).await;
        owner.forget();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}
