//! The signed-in user, known synchronously on both sides: the server reads it from the
//! request and renders it into the page; the page's islands, started in the browser
//! without the server's context, read it back. Nothing waits for a round trip to know
//! who is there or which language to speak.

use crate::model::SessionInfo;

pub const ELEMENT_ID: &str = "rd-session";

#[cfg(feature = "ssr")]
pub fn initial_session() -> Option<SessionInfo> {
    crate::api::session_info()
}

/// The session the page was rendered for (read once per page load: it does not change
/// without one).
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
pub fn initial_session() -> Option<SessionInfo> {
    thread_local! {
        static SESSION: Option<SessionInfo> = read_page();
    }
    SESSION.with(Clone::clone)
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn read_page() -> Option<SessionInfo> {
    let text = web_sys::window()?.document()?.get_element_by_id(ELEMENT_ID)?.text_content()?;
    crate::api::read_embedded(&text).flatten()
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
pub fn initial_session() -> Option<SessionInfo> {
    None
}

/// The session as an island finds it: from context on the server, from the page in the
/// browser.
pub fn page_session() -> Option<SessionInfo> {
    leptos::prelude::use_context::<Option<SessionInfo>>().unwrap_or_else(initial_session)
}

/// The page's language, from the session it carries (the wasm's entry hands it to
/// `i18n::set_page_locale` for the islands).
pub fn page_locale() -> crate::i18n::Locale {
    page_session().map(|s| s.locale).unwrap_or_default()
}

/// The session as the page carries it, the way it carries resources' data.
pub fn embed(session: &Option<SessionInfo>) -> String {
    crate::api::embed(session)
}
