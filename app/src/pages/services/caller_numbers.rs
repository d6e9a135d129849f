//! サービス管理 → 電話 → 発信番号管理: the caller numbers the service's agents may show
//! when they dial (F10). The server stores each in E.164.

use leptos::prelude::*;

use super::service_route;
use crate::api::{add_caller_number, list_service_caller_numbers, remove_caller_number};
use crate::i18n::{Key, t};
use crate::pages::form::{Submission, SubmissionStatus, TextField};
use crate::pages::frame::{AdminFrame, loading, refused};

const SCOPE: &str = "caller-number";

#[component]
pub fn CallerNumbersPage() -> impl IntoView {
    let (service_id, crumbs) = service_route(Some(Key::PhoneMenu));
    let reload = RwSignal::new(0u32);
    let entries = crate::api::load(move || (service_id.get(), reload.get()), |(id, _)| list_service_caller_numbers(id));
    let number = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let submission = Submission::new();
    let problems = submission.problems;
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = add_caller_number(service_id.get_untracked(), number.get_untracked(), label.get_untracked());
        submission.send(request, move |_| {
            number.set(String::new());
            label.set(String::new());
            reload.update(|n| *n += 1);
        });
    };
    let remove = move |id: i32| {
        submission.send(remove_caller_number(service_id.get_untracked(), id), move |()| reload.update(|n| *n += 1));
    };
    view! {
        <AdminFrame title=Key::CallerNumbersTitle crumbs>
            <Suspense fallback=loading>
                {move || entries.get().map(|r| match r {
                    Err(e) => refused(&e),
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t(Key::NothingYet)}</p> }.into_any(),
                    Ok(list) => view! {
                        <table class="list">
                            <thead><tr>
                                <th scope="col">{t(Key::CallerNumber)}</th>
                                <th scope="col">{t(Key::Label)}</th>
                                <th scope="col"><span class="visually-hidden">{t(Key::Remove)}</span></th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|n| view! {
                                    <tr>
                                        <th scope="row" class="number">{n.number}</th>
                                        <td>{n.label}</td>
                                        <td class="row-actions">
                                            <button type="button" class="danger" disabled=move || submission.pending.get()
                                                on:click=move |_| remove(n.id)>{t(Key::Remove)}</button>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </Suspense>
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
            </form>
        </AdminFrame>
    }
}
