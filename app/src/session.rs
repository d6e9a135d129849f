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
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD.decode(text.trim()).ok()?;
    postcard::from_bytes(&bytes).ok().flatten()
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
pub fn initial_session() -> Option<SessionInfo> {
    None
}

/// The session as the page carries it: postcard in base64, read with the same decoder
/// as server functions' answers (`api::wire`), and safe inside `<script>` (no `<`).
pub fn embed(session: &Option<SessionInfo>) -> String {
    use base64::Engine;
    let bytes = postcard::to_allocvec(session).unwrap_or_else(|_| vec![0]);
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
}
