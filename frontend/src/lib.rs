#![recursion_limit = "256"]

//! The wasm entry point. Pages are rendered on the server; the browser hydrates only
//! their islands (`#[island]`: the phone widget, the forms), which Leptos's island
//! script finds in the page and starts one by one after this function returns.

mod stopped;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        stopped::show();
    }));
    leptos::mount::hydrate_islands();
    app::started::page_without_islands();
}
