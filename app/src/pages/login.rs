use leptos::html::Input;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::api::Login;
use crate::i18n::{Key, locale, t};

/// The sign-in form. It posts to the `login` server function, so it works before the
/// wasm arrives too; once hydrated, success loads the home page afresh. (The fields are
/// read by hand rather than by `ActionForm`, whose form decoder would add serde_qs's
/// parser to the wasm for two strings.)
#[component]
pub fn LoginPage() -> impl IntoView {
    view! {
        <Title text=format!("{} – {}", t(Key::SignInTitle), t(Key::AppName)) />
        <main class="login">
            <h1 class="brand">{t(Key::AppName)}</h1>
            <LoginForm />
        </main>
    }
}

#[island(lazy)]
fn LoginForm() -> impl IntoView {
    crate::started::island();
    let login = ServerAction::<Login>::new();
    let username = NodeRef::<Input>::new();
    let password = NodeRef::<Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = |field: NodeRef<Input>| field.get().map(|i| i.value()).unwrap_or_default();
        login.dispatch(Login { username: value(username), password: value(password) });
    };
    let error = move || login.value().get().and_then(|r| r.err()).map(|e| e.message(locale()));
    Effect::new(move || {
        if let Some(Ok(())) = login.value().get() {
            super::go_to("/");
        }
    });
    view! {
        <form class="card login-card" aria-labelledby="login-title" method="post" action=Login::url()
            on:submit=submit>
            <h2 id="login-title">{t(Key::SignInTitle)}</h2>
            <label>
                <span>{t(Key::Username)}</span>
                <input type="text" name="username" autocomplete="username" required autofocus node_ref=username />
            </label>
            <label>
                <span>{t(Key::Password)}</span>
                <input type="password" name="password" autocomplete="current-password" required node_ref=password />
            </label>
            <p class="error" role="alert">{error}</p>
            <button type="submit" class="primary" disabled=move || login.pending().get()>
                {t(Key::SignIn)}
            </button>
        </form>
    }
}
