//! Internal notes: the helpdesk's own words on a ticket, newest last. Notes only add,
//! so two agents writing at once never overwrite each other.

use leptos::prelude::*;

use crate::api::add_ticket_note;
use crate::domain::ticket_edit::field;
use crate::i18n::{Key, t};
use crate::model::{TicketDetail, TicketId, TicketNote};
use crate::pages::form::{FieldError, Submission, SubmissionStatus, error_id};
use crate::time::format_datetime;

#[component]
pub fn Notes(id: TicketId, notes: Vec<TicketNote>, updated_at: RwSignal<i64>) -> AnyView {
    let notes = RwSignal::new(notes);
    let draft = RwSignal::new(String::new());
    let submission = Submission::new();
    let problems = submission.problems;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submission.send(add_ticket_note(id, draft.get_untracked()), move |t: TicketDetail| {
            notes.set(t.notes);
            updated_at.set(t.updated_at_ms);
            draft.set(String::new());
        });
    };
    view! {
        <section class="notes card" aria-labelledby="notes-title">
            <h2 id="notes-title">{t(Key::InternalNotes)}</h2>
            {move || notes.with(|list| if list.is_empty() {
                view! { <p class="muted">{t(Key::NoNotes)}</p> }.into_any()
            } else {
                view! {
                    <ol class="note-list">
                        {list.iter().map(|n| view! {
                            <li>
                                <p class="note-meta"><strong>{n.author.clone()}</strong>" "<span class="muted">{format_datetime(n.created_at_ms)}</span></p>
                                <p class="note-body">{n.body.clone()}</p>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            })}
            <form on:submit=submit novalidate>
                <label class:invalid=move || problems.bad(field::NOTE)>
                    <span>{t(Key::NewNote)}</span>
                    <textarea name=field::NOTE rows="3"
                        aria-invalid=move || problems.bad(field::NOTE).to_string()
                        aria-describedby=error_id("note", field::NOTE)
                        prop:value=move || draft.get()
                        on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
                    <FieldError problems scope="note" field=field::NOTE />
                </label>
                <div class="form-actions">
                    <SubmissionStatus of=submission />
                    <button type="submit" disabled=move || submission.pending.get()>{t(Key::AddNote)}</button>
                </div>
            </form>
        </section>
    }
    .into_any()
}
