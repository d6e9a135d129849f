//! 全体管理 → CTI管理 → CTIオペレータ管理 (F4): each phone operator's CTI ID and CTI
//! number, each unique within the tenant. An operator without them cannot log in to CTI.
//! With real calls (SIP), also the SIP password their phone registers with.

use leptos::prelude::*;

use crate::api::{Carried, list_cti_operators, save_cti_identity, set_sip_password};
use crate::i18n::{Key, t};
use crate::model::CtiOperator;
use crate::pages::form::{Submission, SubmissionStatus, TextField};
use crate::pages::frame::{AdminFrame, crumb, loading, refused};
use crate::started::UntilStarted;

#[component]
pub fn CtiOperatorsPage() -> impl IntoView {
    let operators = crate::api::load(|| (), |_| list_cti_operators());
    let crumbs = vec![crumb(Key::AdminWhole, Some("/admin")), crumb(Key::AdminCti, None)];
    view! {
        <AdminFrame title=Key::CtiOperatorsTitle crumbs>
            <Suspense fallback=loading>
                {move || operators.get().map(|r| match r {
                    Err(e) => refused(&e),
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t(Key::NothingYet)}</p> }.into_any(),
                    Ok(list) => view! { <IdentityTable list=Carried(list) /> }.into_any(),
                })}
            </Suspense>
        </AdminFrame>
    }
}

/// The operators' rows, each its own small form: one island (an island cannot stand
/// between a table's rows).
#[island(lazy)]
fn IdentityTable(list: Carried<Vec<CtiOperator>>) -> impl IntoView {
    crate::started::island();
    let Carried(list) = list;
    view! {
        <UntilStarted><table class="list">
            <thead><tr>
                <th scope="col">{t(Key::DisplayName)}</th>
                <th scope="col">{t(Key::Services)}</th>
                <th scope="col">{t(Key::CtiId)}</th>
                <th scope="col">{t(Key::CtiNumber)}</th>
                <th scope="col"><span class="visually-hidden">{t(Key::Save)}</span></th>
                <th scope="col">{t(Key::SipPassword)}</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|op| view! { <IdentityRow op /> }).collect_view()}
            </tbody>
        </table></UntilStarted>
    }
}

/// One operator's row: its own small form, saved on its own.
#[component]
fn IdentityRow(op: CtiOperator) -> impl IntoView {
    let user_id = op.user_id;
    let scope = format!("cti-op-{user_id}");
    let cti_id = RwSignal::new(op.cti_id.clone().unwrap_or_default());
    let cti_number = RwSignal::new(op.cti_number.clone().unwrap_or_default());
    let submission = Submission::new();
    let problems = submission.problems;
    let form_id = format!("cti-form-{user_id}");
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submission.send(save_cti_identity(user_id, cti_id.get_untracked(), cti_number.get_untracked()), move |saved| {
            cti_id.set(saved.cti_id.unwrap_or_default());
            cti_number.set(saved.cti_number.unwrap_or_default());
        });
    };
    view! {
        <tr>
            <th scope="row">{op.display_name.clone()}</th>
            <td class="label">{op.service_name}</td>
            <td>
                <TextField label=Key::CtiId name="cti_id" value=cti_id problems scope=scope.clone()
                    form=form_id.clone() hidden_label=true />
            </td>
            <td>
                <TextField label=Key::CtiNumber name="cti_number" value=cti_number problems scope=scope.clone()
                    form=form_id.clone() inputmode="numeric" hidden_label=true />
            </td>
            <td class="row-actions">
                <form id=form_id on:submit=save>
                    <button type="submit" disabled=move || submission.pending.get()>{t(Key::Save)}</button>
                </form>
                <SubmissionStatus of=submission />
            </td>
            <SipPasswordCell user_id has=op.has_sip_password />
        </tr>
    }
}

/// The operator's SIP password: typed, set on its own, never shown again (the server
/// keeps only its digest hash).
#[component]
fn SipPasswordCell(user_id: crate::model::UserId, has: bool) -> impl IntoView {
    let scope = format!("sip-{user_id}");
    let form_id = format!("sip-form-{user_id}");
    let password = RwSignal::new(String::new());
    let is_set = RwSignal::new(has);
    let submission = Submission::new();
    let problems = submission.problems;
    let set = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submission.send(set_sip_password(user_id, password.get_untracked()), move |saved| {
            password.set(String::new());
            is_set.set(saved.has_sip_password);
        });
    };
    view! {
        <td><div class="inline-field">
            <TextField label=Key::SipPassword name="sip_password" value=password problems scope
                form=form_id.clone() kind="password" autocomplete="new-password" hidden_label=true />
            <form id=form_id on:submit=set>
                <button type="submit" disabled=move || submission.pending.get()>{t(Key::SetSipPassword)}</button>
            </form>
            <Show when=move || is_set.get()>
                <span class="muted">{t(Key::SipPasswordIsSet)}</span>
            </Show>
            <SubmissionStatus of=submission />
        </div></td>
    }
}
