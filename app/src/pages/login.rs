use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::Login;
use crate::i18n::{Key, locale, t};

/// The sign-in form. It posts to the `login` server function, so it works before the
/// wasm arrives too; once hydrated, success loads the home page afresh.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = move || {
        login.value().get().and_then(|r| r.err()).map(|e| e.message(locale()))
    };
    Effect::new(move || {
        if let Some(Ok(())) = login.value().get() {
            super::reload_at("/");
        }
    });
    view! {
        <Title text=format!("{} – {}", t(Key::SignInTitle), t(Key::AppName)) />
        <main class="login">
            <h1 class="brand">{t(Key::AppName)}</h1>
            <ActionForm action=login attr:class="card login-card" attr:aria-labelledby="login-title">
                <h2 id="login-title">{t(Key::SignInTitle)}</h2>
                <label>
                    <span>{t(Key::Username)}</span>
                    <input type="text" name="username" autocomplete="username" required autofocus />
                </label>
                <label>
                    <span>{t(Key::Password)}</span>
                    <input type="password" name="password" autocomplete="current-password" required />
                </label>
                <p class="error" role="alert">{error}</p>
                <button type="submit" class="primary" disabled=move || login.pending().get()>
                    {t(Key::SignIn)}
                </button>
            </ActionForm>
        </main>
    }
}
