//! The customer behind a ticket's number: a name and notes kept for every later call
//! (the widget shows them when the number rings).

use leptos::prelude::*;

use crate::api::save_customer;
use crate::domain::ticket_edit::field;
use crate::i18n::{Key, t};
use crate::model::{Customer, TicketId};
use crate::pages::form::{FieldError, Submission, SubmissionStatus, TextField, error_id};

#[component]
pub fn CustomerCard(
    ticket_id: TicketId,
    customer: Customer,
    /** The number as people read it. */
    shown: String,
) -> AnyView {
    let version = RwSignal::new(customer.version);
    let name = RwSignal::new(customer.name.clone());
    let notes = RwSignal::new(customer.notes.clone());
    let submission = Submission::new();
    let problems = submission.problems;
    let number = customer.number.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let card = Customer {
            number: number.clone(),
            name: name.get_untracked(),
            notes: notes.get_untracked(),
            version: version.get_untracked(),
        };
        submission.send(save_customer(ticket_id, card), move |saved: Customer| version.set(saved.version));
    };
    view! {
        <form class="card customer-card" on:submit=submit novalidate aria-labelledby="customer-title">
            <h2 id="customer-title">{t(Key::Customer)}</h2>
            <p class="number">{shown}</p>
            <TextField label=Key::CustomerName name=field::CUSTOMER_NAME value=name problems scope="customer" autocomplete="off" />
            <label class:invalid=move || problems.bad(field::CUSTOMER_NOTES)>
                <span>{t(Key::CustomerNotes)}</span>
                <textarea name=field::CUSTOMER_NOTES rows="3"
                    aria-invalid=move || problems.bad(field::CUSTOMER_NOTES).to_string()
                    aria-describedby=error_id("customer", field::CUSTOMER_NOTES)
                    prop:value=move || notes.get()
                    on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                <FieldError problems scope="customer" field=field::CUSTOMER_NOTES />
            </label>
            <div class="form-actions">
                <SubmissionStatus of=submission />
                <button type="submit" disabled=move || submission.pending.get()>{t(Key::SaveCustomer)}</button>
            </div>
        </form>
    }
    .into_any()
}
