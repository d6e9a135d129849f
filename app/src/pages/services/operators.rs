//! サービス管理 → オペレーター (F2): the service's people, who may use the phone
//! (電話権限), and whose account is active.

use leptos::prelude::*;

use super::service_route;
use crate::api::{Carried, create_operator, list_operators, update_operator};
use crate::i18n::{Key, t};
use crate::model::{NewOperator, Operator, OperatorEdit, Role};
use crate::pages::form::{FieldError, Submission, SubmissionStatus, TextField};
use crate::pages::frame::{AdminFrame, loading, refused};
use crate::started::UntilStarted;

fn role_label(r: Role) -> &'static str {
    t(match r {
        Role::PlatformAdmin => Key::RolePlatformAdmin,
        Role::TenantAdmin => Key::RoleTenantAdmin,
        Role::ServiceAdmin => Key::RoleServiceAdmin,
        Role::Operator => Key::RoleOperator,
    })
}

/// Which popup is open.
#[derive(Clone, PartialEq)]
enum Editing {
    New,
    Existing(Operator),
}

#[component]
pub fn OperatorsPage() -> impl IntoView {
    let (service_id, crumbs) = service_route(None);
    let operators = crate::api::load(move || service_id.get(), list_operators);
    view! {
        <AdminFrame title=Key::Operators crumbs>
            <Suspense fallback=loading>
                {move || operators.get().map(|r| match r {
                    Err(e) => refused(&e),
                    Ok(list) => view! { <OperatorsBoard service_id=service_id.get_untracked() list=Carried(list) /> }.into_any(),
                })}
            </Suspense>
        </AdminFrame>
    }
}

/// The service's people, and adding and editing them in a dialog: an island, which
/// reads the list again after each change.
#[island(lazy)]
fn OperatorsBoard(service_id: i32, list: Carried<Vec<Operator>>) -> impl IntoView {
    crate::started::island();
    let list = RwSignal::new(list.0);
    let editing = RwSignal::new(None::<Editing>);
    let saved = RwSignal::new(false);
    let done = Callback::new(move |changed: bool| {
        editing.set(None);
        if changed {
            saved.set(true);
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = list_operators(service_id).await {
                    list.set(fresh);
                }
            });
        }
    });
    view! {
        <UntilStarted><div class="toolbar">
            <p role="status" class="ok">{move || saved.get().then(|| t(Key::Saved))}</p>
            <button type="button" class="primary" on:click=move |_| { saved.set(false); editing.set(Some(Editing::New)) }>
                {t(Key::AddOperator)}
            </button>
        </div>
        {move || editing.get().map(|e| match e {
            Editing::New => view! { <NewOperatorDialog service_id done /> }.into_any(),
            Editing::Existing(op) => view! { <EditOperatorDialog service_id op done /> }.into_any(),
        })}
        <table class="list">
            <thead><tr>
                <th scope="col">{t(Key::DisplayName)}</th>
                <th scope="col">{t(Key::Username)}</th>
                <th scope="col">{t(Key::Role)}</th>
                <th scope="col">{t(Key::PhonePermission)}</th>
                <th scope="col">{t(Key::CtiIdentity)}</th>
                <th scope="col">{t(Key::AccountState)}</th>
                <th scope="col"><span class="visually-hidden">{t(Key::Edit)}</span></th>
            </tr></thead>
            <tbody>
                {move || list.get().into_iter().map(|op| {
                    let for_edit = op.clone();
                    view! {
                        <tr class:inactive=!op.active>
                            <th scope="row">{op.display_name.clone()}</th>
                            <td>{op.username.clone()}</td>
                            <td>{role_label(op.role)}</td>
                            <td>{t(if op.phone_permission { Key::Enabled } else { Key::Disabled })}</td>
                            <td>{t(if op.has_cti_identity { Key::Set } else { Key::NotSet })}</td>
                            <td>{t(if op.active { Key::Enabled } else { Key::Disabled })}</td>
                            <td class="row-actions">
                                <button type="button"
                                    on:click=move |_| { saved.set(false); editing.set(Some(Editing::Existing(for_edit.clone()))) }>
                                    {t(Key::Edit)}
                                </button>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></UntilStarted>
    }
}

#[component]
fn OperatorDialog(
    title: String,
    done: Callback<bool>,
    on_submit: Callback<()>,
    submit_label: Key,
    submission: Submission,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="card popup" role="dialog" aria-labelledby="operator-dialog-title"
            on:keydown=move |ev| if ev.key() == "Escape" { done.run(false) }>
            <h2 id="operator-dialog-title">{title}</h2>
            <form class="settings" novalidate on:submit=move |ev| { ev.prevent_default(); on_submit.run(()) }>
                {children()}
                <div class="form-actions">
                    <SubmissionStatus of=submission />
                    <button type="button" class="quiet" on:click=move |_| done.run(false)>{t(Key::Cancel)}</button>
                    <button type="submit" class="primary" disabled=move || submission.pending.get()>{t(submit_label)}</button>
                </div>
            </form>
        </div>
    }
}

#[component]
fn NewOperatorDialog(service_id: i32, done: Callback<bool>) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let phone = RwSignal::new(true);
    let submission = Submission::new();
    let problems = submission.problems;
    let submit = Callback::new(move |()| {
        let new = NewOperator {
            username: username.get_untracked().trim().to_owned(),
            display_name: display_name.get_untracked(),
            password: password.get_untracked(),
            phone_permission: phone.get_untracked(),
        };
        submission.send(create_operator(service_id, new), move |_| done.run(true));
    });
    view! {
        <OperatorDialog title=t(Key::AddOperator).to_owned() done on_submit=submit submit_label=Key::Add submission>
            <TextField label=Key::Username name="username" value=username problems scope="operator" />
            <TextField label=Key::DisplayName name="display_name" value=display_name problems scope="operator" />
            <TextField label=Key::Password name="password" value=password problems scope="operator" kind="password" autocomplete="new-password" />
            <label class="choice">
                <input type="checkbox" name="phone_permission" prop:checked=move || phone.get()
                    on:change=move |ev| phone.set(event_target_checked(&ev)) />
                {t(Key::PhonePermission)}
            </label>
        </OperatorDialog>
    }
}

#[component]
fn EditOperatorDialog(service_id: i32, op: Operator, done: Callback<bool>) -> impl IntoView {
    let user_id = op.user_id;
    let display_name = RwSignal::new(op.display_name.clone());
    let phone = RwSignal::new(op.phone_permission);
    let active = RwSignal::new(op.active);
    let submission = Submission::new();
    let problems = submission.problems;
    let submit = Callback::new(move |()| {
        let edit = OperatorEdit {
            user_id,
            display_name: display_name.get_untracked(),
            phone_permission: phone.get_untracked(),
            active: active.get_untracked(),
        };
        submission.send(update_operator(service_id, edit), move |_| done.run(true));
    });
    view! {
        <OperatorDialog title=format!("{}: {}", t(Key::Edit), op.display_name) done on_submit=submit submit_label=Key::Save submission>
            <p class="muted">{t(Key::Username)}": "{op.username.clone()}</p>
            <TextField label=Key::DisplayName name="display_name" value=display_name problems scope="operator" />
            <label class="choice">
                <input type="checkbox" name="phone_permission" prop:checked=move || phone.get()
                    on:change=move |ev| phone.set(event_target_checked(&ev)) />
                {t(Key::PhonePermission)}
            </label>
            <label class="choice">
                <input type="checkbox" name="active" prop:checked=move || active.get()
                    on:change=move |ev| active.set(event_target_checked(&ev)) />
                {t(Key::AccountActive)}
            </label>
            <FieldError problems scope="operator" field="active" />
        </OperatorDialog>
    }
}
