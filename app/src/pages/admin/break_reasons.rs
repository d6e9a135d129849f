//! 全体管理 → CTI管理 → 休憩理由: the reasons a supervisor picks from when they set an
//! agent to 休憩 on the board.

use leptos::prelude::*;

use crate::api::{Carried, add_break_reason, break_reasons, remove_break_reason};
use crate::i18n::{Key, t};
use crate::model::BreakReason;
use crate::pages::form::{Submission, SubmissionStatus, TextField};
use crate::pages::frame::{AdminFrame, crumb, loading, refused};
use crate::started::UntilStarted;

const SCOPE: &str = "break-reason";

#[component]
pub fn BreakReasonsPage() -> impl IntoView {
    let list = crate::api::load(|| (), |_| break_reasons());
    let crumbs = vec![crumb(Key::AdminWhole, Some("/admin")), crumb(Key::AdminCti, None)];
    view! {
        <AdminFrame title=Key::BreakReasonsTitle crumbs>
            <p class="muted">{t(Key::BreakReasonsHint)}</p>
            <Suspense fallback=loading>
                {move || list.get().map(|r| match r {
                    Err(e) => refused(&e),
                    Ok(list) => view! { <BreakReasons list=Carried(list) /> }.into_any(),
                })}
            </Suspense>
        </AdminFrame>
    }
}

/// The reasons, removing one, and adding one: an island, which reads the list again
/// after each change.
#[island(lazy)]
fn BreakReasons(list: Carried<Vec<BreakReason>>) -> impl IntoView {
    crate::started::island();
    let list = RwSignal::new(list.0);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = break_reasons().await {
                list.set(fresh);
            }
        })
    };
    let label = RwSignal::new(String::new());
    let submission = Submission::new();
    let problems = submission.problems;
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submission.send(add_break_reason(label.get_untracked()), move |_| {
            label.set(String::new());
            refresh();
        });
    };
    let remove = move |id: i32| submission.send(remove_break_reason(id), move |()| refresh());
    view! {
        <UntilStarted>{move || {
            let list = list.get();
            if list.is_empty() {
                return view! { <p class="muted">{t(Key::NothingYet)}</p> }.into_any();
            }
            view! {
                <table class="list">
                    <thead><tr>
                        <th scope="col">{t(Key::BreakReason)}</th>
                        <th scope="col"><span class="visually-hidden">{t(Key::Remove)}</span></th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|r| view! {
                            <tr>
                                <th scope="row">{r.label}</th>
                                <td class="row-actions">
                                    <button type="button" class="danger" disabled=move || submission.pending.get()
                                        on:click=move |_| remove(r.id)>{t(Key::Remove)}</button>
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
                <TextField label=Key::BreakReason name="label" value=label problems scope=SCOPE />
            </div>
            <div class="form-actions">
                <SubmissionStatus of=submission />
                <button type="submit" class="primary" disabled=move || submission.pending.get()>{t(Key::Add)}</button>
            </div>
        </form></UntilStarted>
    }
}
