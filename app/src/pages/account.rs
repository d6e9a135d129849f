//! アカウント: who is signed in, and パスワード変更 — the user's own password. Changing
//! it ends the user's other sessions (another browser, a device left signed in,
//! whoever else knew the old password); this one goes on.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::change_password;
use crate::i18n::{Key, t};
use crate::model::SessionInfo;
use crate::pages::form::{Submission, SubmissionStatus, TextField};
use crate::started::UntilStarted;

const SCOPE: &str = "password";

#[component]
pub fn AccountPage() -> impl IntoView {
    let session = use_context::<Option<SessionInfo>>().flatten();
    view! {
        <Title text=format!("{} – {}", t(Key::Account), t(Key::AppName)) />
        <main class="page">
            <h1>{t(Key::Account)}</h1>
            <p class="muted">{session.map(|s| format!("{} ({})", s.display_name, s.username))}</p>
            <PasswordForm />
        </main>
    }
}

#[island(lazy)]
fn PasswordForm() -> impl IntoView {
    crate::started::island();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let submission = Submission::new();
    let problems = submission.problems;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = change_password(current.get_untracked(), new.get_untracked(), confirm.get_untracked());
        submission.send(request, move |()| {
            current.set(String::new());
            new.set(String::new());
            confirm.set(String::new());
        });
    };
    view! {
        <UntilStarted>
            <form class="card settings" aria-labelledby="password-title" on:submit=submit novalidate>
                <h2 id="password-title">{t(Key::ChangePassword)}</h2>
                <p class="muted">{t(Key::ChangePasswordHint)}</p>
                <div class="fields">
                    <TextField label=Key::CurrentPassword name="current_password" value=current problems scope=SCOPE
                        kind="password" autocomplete="current-password" />
                    <TextField label=Key::NewPassword name="new_password" value=new problems scope=SCOPE
                        kind="password" autocomplete="new-password" />
                    <TextField label=Key::ConfirmPassword name="confirm_password" value=confirm problems scope=SCOPE
                        kind="password" autocomplete="new-password" />
                </div>
                <div class="form-actions">
                    <SubmissionStatus of=submission done=Key::PasswordChanged />
                    <button type="submit" class="primary" disabled=move || submission.pending.get()>
                        {t(Key::ChangePasswordSubmit)}
                    </button>
                </div>
            </form>
        </UntilStarted>
    }
}
