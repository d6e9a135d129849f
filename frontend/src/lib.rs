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
    app::i18n::set_page_locale(app::session::page_locale());
    leptos::mount::hydrate_islands();
    app::started::page_without_islands();
}

/// Room in the wasm's data that no code reads. `cargo leptos build --split` moves each
/// piece's data (its texts, its tables) out of the main module into the piece, laying
/// the pieces' data out one after the other, each aligned; if that comes out longer
/// than the data as linked, it gives up and leaves all the data in the main module
/// (wasm_split_cli_support 0.2.3: "Overlong segment … putting it in main module"), and
/// every page then downloads the texts of every other. This block is linked (`#[used]`)
/// but belongs to no piece, so its room takes up the alignment.
#[used]
static SPLIT_DATA_SLACK: [u8; 4096] = [0x5a; 4096];
