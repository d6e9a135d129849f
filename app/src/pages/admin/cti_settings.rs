//! 全体管理 → CTI管理 → CTI設定 (F3): the telephone connection and the phone behaviour.

use leptos::prelude::*;

use crate::api::{Carried, get_cti_settings, save_cti_settings};
use crate::pages::form::{FieldError, Submission, SubmissionStatus, error_id};
use crate::pages::frame::{AdminFrame, crumb, loading, refused};
use crate::domain::cti_settings::field;
use crate::domain::{AgentStatus, CtiSettings};
use crate::i18n::{Key, t};
use crate::widget::status_label;
use crate::started::UntilStarted;

#[component]
pub fn CtiSettingsPage() -> impl IntoView {
    let stored = crate::api::load(|| (), |_| get_cti_settings());
    let crumbs = vec![crumb(Key::AdminWhole, Some("/admin")), crumb(Key::AdminCti, None)];
    view! {
        <AdminFrame title=Key::CtiSettingsTitle crumbs>
            <Suspense fallback=loading>
                {move || stored.get().map(|r| match r {
                    Ok(s) => view! { <SettingsForm stored=Carried(s) /> }.into_any(),
                    Err(e) => refused(&e),
                })}
            </Suspense>
        </AdminFrame>
    }
}

/// The form is an island: the browser runs it, the page around it is drawn by the server.
#[island(lazy)]
fn SettingsForm(stored: Carried<CtiSettings>) -> impl IntoView {
    crate::started::island();
    let Carried(stored) = stored;
    let ring = RwSignal::new(stored.ring_timeout_secs.to_string());
    let login = RwSignal::new(stored.login_status);
    let missed = RwSignal::new(stored.missed_offer_status);
    let ticket_on_dial = RwSignal::new(stored.outbound_ticket_on_dial);
    let message = RwSignal::new(stored.force_end_message.clone());
    let music = RwSignal::new(stored.hold_music.clone());
    let away = RwSignal::new(stored.away_after_secs.to_string());
    let answer_waiting = RwSignal::new(stored.answer_waiting);
    let logout = RwSignal::new((stored.logout_after_secs / 60).to_string());
    let submission = Submission::new();
    let problems = submission.problems;

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let settings = CtiSettings {
            // A value that is not a number is as wrong as one out of range.
            ring_timeout_secs: ring.get_untracked().trim().parse().unwrap_or(-1),
            login_status: login.get_untracked(),
            missed_offer_status: missed.get_untracked(),
            outbound_ticket_on_dial: ticket_on_dial.get_untracked(),
            force_end_message: message.get_untracked(),
            hold_music: music.get_untracked(),
            away_after_secs: away.get_untracked().trim().parse().unwrap_or(-1),
            // Typed in minutes, kept in seconds.
            logout_after_secs: logout.get_untracked().trim().parse::<i32>().map_or(-1, |m| m.saturating_mul(60)),
            answer_waiting: answer_waiting.get_untracked(),
        };
        submission.send(save_cti_settings(settings), |_| ());
    };
    let bad = move |f: &'static str| problems.bad(f);
    let field_error = move |f: &'static str| view! { <FieldError problems scope="cti" field=f /> };
    let described = |f: &'static str| error_id("cti", f);
    let status_options = |chosen: RwSignal<AgentStatus>, choices: &'static [(AgentStatus, Option<Key>)]| {
        choices
            .iter()
            .map(move |(s, key)| {
                let s = *s;
                let text = key.map(t).unwrap_or_else(|| status_label(s));
                view! { <option value=s.as_str() selected=move || chosen.get() == s>{text}</option> }
            })
            .collect_view()
    };

    view! {
        <UntilStarted><form class="card settings" on:submit=submit novalidate>
            <section aria-labelledby="telephony-title">
                <h2 id="telephony-title">{t(Key::Telephony)}</h2>
                <p>{t(Key::TelephonySimulator)}</p>
            </section>
            <section aria-labelledby="behaviour-title">
                <h2 id="behaviour-title">{t(Key::PhoneBehaviour)}</h2>
                <label class:invalid=move || bad(field::RING_TIMEOUT)>
                    <span>{t(Key::RingTimeoutLabel)}</span>
                    <input type="number" name="ring_timeout_secs" min="5" max="120" inputmode="numeric"
                        aria-invalid=move || bad(field::RING_TIMEOUT).to_string()
                        aria-describedby=described(field::RING_TIMEOUT)
                        prop:value=move || ring.get()
                        on:input=move |ev| ring.set(event_target_value(&ev)) />
                    <small class="muted">{t(Key::RingTimeoutHint)}</small>
                    {field_error(field::RING_TIMEOUT)}
                </label>
                <label>
                    <span>{t(Key::LoginStatusLabel)}</span>
                    <select name="login_status" on:change=move |ev| {
                        if let Some(s) = AgentStatus::parse(&event_target_value(&ev)) { login.set(s) }
                    }>
                        {status_options(login, &[(AgentStatus::Busy, None), (AgentStatus::Ready, None), (AgentStatus::Break, None)])}
                    </select>
                    {field_error(field::LOGIN_STATUS)}
                </label>
                <label>
                    <span>{t(Key::MissedOfferLabel)}</span>
                    <select name="missed_offer_status" on:change=move |ev| {
                        if let Some(s) = AgentStatus::parse(&event_target_value(&ev)) { missed.set(s) }
                    }>
                        {status_options(missed, &[(AgentStatus::Ready, Some(Key::MissedStayReady)), (AgentStatus::Busy, Some(Key::MissedToBusy))])}
                    </select>
                    {field_error(field::MISSED_OFFER_STATUS)}
                </label>
                <fieldset>
                    <legend>{t(Key::OutboundTicketLabel)}</legend>
                    <label class="choice">
                        <input type="radio" name="outbound_ticket" value="off"
                            prop:checked=move || !ticket_on_dial.get()
                            on:change=move |_| ticket_on_dial.set(false) />
                        {t(Key::OutboundTicketOff)}
                    </label>
                    <label class="choice">
                        <input type="radio" name="outbound_ticket" value="on"
                            prop:checked=move || ticket_on_dial.get()
                            on:change=move |_| ticket_on_dial.set(true) />
                        {t(Key::OutboundTicketOn)}
                    </label>
                </fieldset>
                <label class:invalid=move || bad(field::FORCE_END_MESSAGE)>
                    <span>{t(Key::ForceEndMessageLabel)}</span>
                    <textarea name="force_end_message" rows="3"
                        aria-invalid=move || bad(field::FORCE_END_MESSAGE).to_string()
                        aria-describedby=described(field::FORCE_END_MESSAGE)
                        prop:value=move || message.get()
                        on:input=move |ev| message.set(event_target_value(&ev))></textarea>
                    {field_error(field::FORCE_END_MESSAGE)}
                </label>
                <label>
                    <span>{t(Key::HoldMusicLabel)}</span>
                    <select name="hold_music" on:change=move |ev| music.set(event_target_value(&ev))>
                        {[("classic", Key::HoldMusicClassic), ("gentle", Key::HoldMusicGentle), ("none", Key::HoldMusicNone)]
                            .into_iter()
                            .map(|(v, k)| view! { <option value=v selected=move || music.get() == v>{t(k)}</option> })
                            .collect_view()}
                    </select>
                    {field_error(field::HOLD_MUSIC)}
                </label>
                <fieldset>
                    <legend>{t(Key::AnswerWaitingLabel)}</legend>
                    <label class="choice">
                        <input type="radio" name="answer_waiting" value="off"
                            prop:checked=move || !answer_waiting.get()
                            on:change=move |_| answer_waiting.set(false) />
                        {t(Key::AnswerWaitingOff)}
                    </label>
                    <label class="choice">
                        <input type="radio" name="answer_waiting" value="on"
                            prop:checked=move || answer_waiting.get()
                            on:change=move |_| answer_waiting.set(true) />
                        {t(Key::AnswerWaitingOn)}
                    </label>
                </fieldset>
                <label class:invalid=move || bad(field::AWAY_AFTER)>
                    <span>{t(Key::AwayAfterLabel)}</span>
                    <input type="number" name="away_after_secs" min="10" max="600" inputmode="numeric"
                        aria-invalid=move || bad(field::AWAY_AFTER).to_string()
                        aria-describedby=described(field::AWAY_AFTER)
                        prop:value=move || away.get()
                        on:input=move |ev| away.set(event_target_value(&ev)) />
                    <small class="muted">{t(Key::AwayAfterHint)}</small>
                    {field_error(field::AWAY_AFTER)}
                </label>
                <label class:invalid=move || bad(field::LOGOUT_AFTER)>
                    <span>{t(Key::LogoutAfterLabel)}</span>
                    <input type="number" name="logout_after_mins" min="1" max="480" inputmode="numeric"
                        aria-invalid=move || bad(field::LOGOUT_AFTER).to_string()
                        aria-describedby=described(field::LOGOUT_AFTER)
                        prop:value=move || logout.get()
                        on:input=move |ev| logout.set(event_target_value(&ev)) />
                    <small class="muted">{t(Key::LogoutAfterHint)}</small>
                    {field_error(field::LOGOUT_AFTER)}
                </label>
            </section>
            <div class="form-actions">
                <SubmissionStatus of=submission />
                <button type="submit" class="primary" disabled=move || submission.pending.get()>{t(Key::Save)}</button>
            </div>
        </form></UntilStarted>
    }
}
