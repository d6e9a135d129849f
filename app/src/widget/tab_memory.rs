//! What the widget remembers for the browser tab across its page loads (the browser's
//! session storage: gone with the tab): whether the panel is open, and the dialled call
//! it already followed to its ticket.

pub fn get(key: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    return storage()?.get_item(key).ok().flatten();
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        None
    }
}

pub fn set(key: &str, value: Option<&str>) {
    #[cfg(feature = "hydrate")]
    if let Some(s) = storage() {
        let _ = match value {
            Some(v) => s.set_item(key, v),
            None => s.remove_item(key),
        };
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (key, value);
}

#[cfg(feature = "hydrate")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}
