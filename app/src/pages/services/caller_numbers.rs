//! サービス管理 → 電話 → 発信番号管理: the caller numbers the service's agents may show
//! when they dial (F10). The server stores each in E.164.

use leptos::prelude::*;

use super::service_route;
use crate::api::{Carried, add_caller_number, list_service_caller_numbers, remove_caller_number};
use crate::i18n::{Key, t};
use crate::model::NumberEntry;
use crate::pages::form::{Submission, SubmissionStatus, TextField};
use crate::pages::frame::{AdminFrame, loading, refused};
use crate::started::UntilStarted;

const SCOPE: &str = "caller-number";

#[component]
pub fn CallerNumbersPage() -> impl IntoView {
    let (service_id, crumbs) = service_route(Some(Key::PhoneMenu));
    let entries = crate::api::load(move || service_id.get(), list_service_caller_numbers);
    view! {
        <AdminFrame title=Key::CallerNumbersTitle crumbs>
            <Suspense fallback=loading>
                {move || entries.get().map(|r| match r {
                    Err(e) => refused(&e),
                    Ok(list) => view! { <CallerNumbers service_id=service_id.get_untracked() list=Carried(list) /> }.into_any(),
                })}
            </Suspense>
        </AdminFrame>
    }
}

/// The numbers, removing one, and adding one: an island, which reads the list again
/// after each change.
#[island(lazy)]
fn CallerNumbers(service_id: i32, list: Carried<Vec<NumberEntry>>) -> impl IntoView {
    crate::started::island();
    let list = RwSignal::new(list.0);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = list_service_caller_numbers(service_id).await {
                list.set(fresh);
            }
        })
    };
    let number = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let submission = Submission::new();
    let problems = submission.problems;
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = add_caller_number(service_id, number.get_untracked(), label.get_untracked());
        submission.send(request, move |_| {
            number.set(String::new());
            label.set(String::new());
            refresh();
        });
    };
    let remove = move |id: i32| submission.send(remove_caller_number(service_id, id), move |()| refresh());
    view! {
        <UntilStarted>{move || {
            let list = list.get();
            if list.is_empty() {
                return view! { <p class="muted">{t(Key::NothingYet)}</p> }.into_any();
            }
            view! {
                <table class="list">
                    <thead><tr>
                        <th scope="col">{t(Key::CallerNumber)}</th>
                        <th scope="col">{t(Key::Label)}</th>
                        <th scope="col"><span class="visually-hidden">{t(Key::Remove)}</span></th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|n| view! {
                            <tr>
                                <th scope="row" class="number">{n.number.shown}</th>
                                <td>{n.label}</td>
                                <td class="row-actions">
                                    <button type="button" class="danger" disabled=move || submission.pending.get()
                                        on:click=move |_| remove(n.id)>{t(Key::Remove)}</button>
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <form class="card settings inline-form" on:submit=add novalidate>
            <h2>{t(Key::Add)}</h2>
            <div class="fields">
                <TextField label=Key::CallerNumber name="number" value=number problems scope=SCOPE
                    kind="tel" placeholder="03-5000-0002" />
                <TextField label=Key::Label name="label" value=label problems scope=SCOPE />
            </div>
            <div class="form-actions">
                <SubmissionStatus of=submission />
                <button type="submit" class="primary" disabled=move || submission.pending.get()>{t(Key::Add)}</button>
            </div>
        </form></UntilStarted>
    }
}
