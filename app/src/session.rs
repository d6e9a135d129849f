//! The signed-in user, known synchronously on both sides of hydration: the server reads
//! it from the request, renders it into the page, and the browser reads it back. Pages
//! never wait for a round trip to know who is there or which language to speak.

use crate::model::SessionInfo;

pub const ELEMENT_ID: &str = "rd-session";

#[cfg(feature = "ssr")]
pub fn initial_session() -> Option<SessionInfo> {
    crate::api::session_info()
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
pub fn initial_session() -> Option<SessionInfo> {
    let text = web_sys::window()?
        .document()?
        .get_element_by_id(ELEMENT_ID)?
        .text_content()?;
    crate::api::read_embedded(&text).flatten()
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
pub fn initial_session() -> Option<SessionInfo> {
    None
}

/// The session as the page carries it, the way it carries resources' data.
pub fn embed(session: &Option<SessionInfo>) -> String {
    crate::api::embed(session)
}
