//! What the page says when its code has stopped (a panic aborts the wasm). The usual
//! cause is a tab left open across an upgrade: the piece of code a page needs belongs to
//! the old build and is gone from the server. Nothing reactive runs any more, so the
//! notice is built with plain DOM calls, in the page's language, with a link that loads
//! the page afresh. Calls and saved work live on the server and are not lost.

use app::i18n::{Key, Locale, text};
use web_sys::Document;

const NOTICE_ID: &str = "page-stopped";

pub fn show() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if doc.get_element_by_id(NOTICE_ID).is_some() {
        return;
    }
    let _ = build(&doc);
}

fn build(doc: &Document) -> Option<()> {
    let locale = doc
        .document_element()
        .and_then(|root| root.get_attribute("lang"))
        .and_then(|tag| Locale::parse(&tag))
        .unwrap_or_default();
    let notice = doc.create_element("div").ok()?;
    notice.set_id(NOTICE_ID);
    notice.set_class_name("page-stopped");
    notice.set_attribute("role", "alert").ok()?;
    let message = doc.create_element("p").ok()?;
    message.set_text_content(Some(text(locale, Key::PageStopped)));
    let reload = doc.create_element("a").ok()?;
    reload.set_text_content(Some(text(locale, Key::Reload)));
    let here = doc.location()?.href().ok()?;
    reload.set_attribute("href", &here).ok()?;
    // The router's click handler still runs in the stopped code: `external` tells it to
    // leave this link to the browser, which loads the page afresh.
    reload.set_attribute("rel", "external").ok()?;
    notice.append_child(&message).ok()?;
    notice.append_child(&reload).ok()?;
    doc.body()?.prepend_with_node_1(&notice).ok()
}
