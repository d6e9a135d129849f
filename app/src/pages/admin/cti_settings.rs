//! 全体管理 → CTI管理 → CTI設定 (F3): the telephone connection and the phone behaviour.

use leptos::prelude::*;

use super::hold_music::HoldMusicUpload;
use crate::api::{Carried, get_cti_settings, get_hold_music_file, save_cti_settings};
use crate::domain::cti_settings::field;
use crate::domain::{AgentStatus, CtiSettings};
use crate::i18n::{Key, t};
use crate::model::HoldMusicFile;
use crate::pages::form::{FieldError, Submission, SubmissionStatus, error_id};
use crate::pages::frame::{AdminFrame, crumb, loading, refused};
use crate::started::UntilStarted;
use crate::widget::status_label;

#[component]
pub fn CtiSettingsPage() -> impl IntoView {
    let stored = crate::api::load(|| (), |_| get_cti_settings());
    let own = crate::api::load(|| (), |_| get_hold_music_file());
    let crumbs = vec![crumb(Key::AdminWhole, Some("/admin")), crumb(Key::AdminCti, None)];
    view! {
        <AdminFrame title=Key::CtiSettingsTitle crumbs>
            <Suspense fallback=loading>
                {move || match (stored.get(), own.get()) {
                    (Some(Ok(s)), Some(Ok(f))) => Some(view! { <SettingsForm stored=Carried(s) own=Carried(f) /> }.into_any()),
                    (Some(Err(e)), _) | (_, Some(Err(e))) => Some(refused(&e)),
                    _ => None,
                }}
            </Suspense>
        </AdminFrame>
    }
}

/// The form is an island: the browser runs it, the page around it is drawn by the server.
#[island(lazy)]
fn SettingsForm(stored: Carried<CtiSettings>, own: Carried<Option<HoldMusicFile>>) -> impl IntoView {
    crate::started::island();
    let Carried(stored) = stored;
    let own = RwSignal::new(own.0);
    let ring = RwSignal::new(stored.ring_timeout_secs.to_string());
    let login = RwSignal::new(stored.login_status);
    let missed = RwSignal::new(stored.missed_offer_status);
    let ticket_on_dial = RwSignal::new(stored.outbound_ticket_on_dial);
    let message = RwSignal::new(stored.force_end_message.clone());
    let music = RwSignal::new(stored.hold_music.clone());
    let away = RwSignal::new(stored.away_after_secs.to_string());
    let answer_waiting = RwSignal::new(stored.answer_waiting);
    let logout = RwSignal::new((stored.logout_after_secs / 60).to_string());
    let service_level = RwSignal::new(stored.service_level_secs.to_string());
    let wrapup_limit = RwSignal::new(stored.wrapup_limit_secs.to_string());
    let auto_pause = RwSignal::new(stored.auto_pause_after.to_string());
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
            service_level_secs: service_level.get_untracked().trim().parse().unwrap_or(-1),
            wrapup_limit_secs: wrapup_limit.get_untracked().trim().parse().unwrap_or(-1),
            auto_pause_after: auto_pause.get_untracked().trim().parse().unwrap_or(-1),
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
                <p>{t(match use_context::<crate::model::PhoneSystem>().unwrap_or_default() {
                    crate::model::PhoneSystem::Simulator => Key::TelephonySimulator,
                    crate::model::PhoneSystem::Sip => Key::TelephonySip,
                    crate::model::PhoneSystem::None => Key::TelephonyNone,
                })}</p>
            </section>
            <section aria-labelledby="behaviour-title">
                <h2 id="behaviour-title">{t(Key::PhoneBehaviour)}</h2>
                <NumberSetting label=Key::RingTimeoutLabel hint=Key::RingTimeoutHint field=field::RING_TIMEOUT
                    range=(5, 120) value=ring problems />
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
                <OffOn legend=Key::OutboundTicketLabel name="outbound_ticket"
                    off=Key::OutboundTicketOff on=Key::OutboundTicketOn value=ticket_on_dial />
                <label class:invalid=move || bad(field::FORCE_END_MESSAGE)>
                    <span>{t(Key::ForceEndMessageLabel)}</span>
                    <textarea name="force_end_message" rows="3"
                        aria-invalid=move || bad(field::FORCE_END_MESSAGE).to_string()
                        aria-describedby=described(field::FORCE_END_MESSAGE)
                        prop:value=move || message.get()
                        on:input=move |ev| message.set(event_target_value(&ev))></textarea>
                    {field_error(field::FORCE_END_MESSAGE)}
                </label>
                <label class:invalid=move || bad(field::HOLD_MUSIC)>
                    <span>{t(Key::HoldMusicLabel)}</span>
                    <select name="hold_music" prop:value=move || music.get() on:change=move |ev| music.set(event_target_value(&ev))
                        aria-invalid=move || bad(field::HOLD_MUSIC).to_string()
                        aria-describedby=described(field::HOLD_MUSIC)>
                        {[("classic", Key::HoldMusicClassic), ("gentle", Key::HoldMusicGentle), ("none", Key::HoldMusicNone)]
                            .into_iter()
                            .map(|(v, k)| view! { <option value=v selected=move || music.get() == v>{t(k)}</option> })
                            .collect_view()}
                        // The tenant's own recording, once there is one.
                        {move || own.get().map(|f| {
                            let v = crate::domain::HOLD_MUSIC_OWN;
                            view! { <option value=v selected=move || music.get() == v>{format!("{} ({})", t(Key::HoldMusicOwn), f.file_name)}</option> }
                        })}
                    </select>
                    {field_error(field::HOLD_MUSIC)}
                </label>
                <HoldMusicUpload file=own music />
                <OffOn legend=Key::AnswerWaitingLabel name="answer_waiting"
                    off=Key::AnswerWaitingOff on=Key::AnswerWaitingOn value=answer_waiting />
                <NumberSetting label=Key::AwayAfterLabel hint=Key::AwayAfterHint field=field::AWAY_AFTER
                    range=(10, 600) value=away problems />
                <NumberSetting label=Key::LogoutAfterLabel hint=Key::LogoutAfterHint field=field::LOGOUT_AFTER
                    range=(1, 480) value=logout problems />
            </section>
            <section aria-labelledby="routing-title">
                <h2 id="routing-title">{t(Key::RoutingPolicies)}</h2>
                <NumberSetting label=Key::WrapupLimitLabel hint=Key::WrapupLimitHint field=field::WRAPUP_LIMIT
                    range=(0, 3600) value=wrapup_limit problems />
                <NumberSetting label=Key::AutoPauseLabel hint=Key::AutoPauseHint field=field::AUTO_PAUSE_AFTER
                    range=(0, 10) value=auto_pause problems />
            </section>
            <section aria-labelledby="board-title">
                <h2 id="board-title">{t(Key::Board)}</h2>
                <NumberSetting label=Key::ServiceLevelLabel hint=Key::ServiceLevelHint field=field::SERVICE_LEVEL
                    range=(1, 600) value=service_level problems />
            </section>
            <div class="form-actions">
                <SubmissionStatus of=submission />
                <button type="submit" class="primary" disabled=move || submission.pending.get()>{t(Key::Save)}</button>
            </div>
        </form></UntilStarted>
    }
}

/// A whole-number setting: its label, the field, a hint, and its refusal beside it.
#[component]
fn NumberSetting(
    label: Key,
    hint: Key,
    /// The field's name, as refusals name it.
    field: &'static str,
    range: (i32, i32),
    value: RwSignal<String>,
    problems: crate::pages::form::Problems,
) -> impl IntoView {
    view! {
        <label class:invalid=move || problems.bad(field)>
            <span>{t(label)}</span>
            <input type="number" name=field min=range.0 max=range.1 inputmode="numeric"
                aria-invalid=move || problems.bad(field).to_string()
                aria-describedby=error_id("cti", field)
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
            <small class="muted">{t(hint)}</small>
            <FieldError problems scope="cti" field=field />
        </label>
    }
}

/// A setting that is off or on, as two radio buttons under a legend.
#[component]
fn OffOn(legend: Key, name: &'static str, off: Key, on: Key, value: RwSignal<bool>) -> impl IntoView {
    view! {
        <fieldset>
            <legend>{t(legend)}</legend>
            <label class="choice">
                <input type="radio" name=name value="off" prop:checked=move || !value.get() on:change=move |_| value.set(false) />
                {t(off)}
            </label>
            <label class="choice">
                <input type="radio" name=name value="on" prop:checked=move || value.get() on:change=move |_| value.set(true) />
                {t(on)}
            </label>
        </fieldset>
    }
}
