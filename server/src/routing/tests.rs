//! The routing state's rules, driven without a runtime, store or clock.

use app::domain::{AgentAction, AgentStatus};
use app::error::AppError;
use app::model::EndReason;

use super::change::{Change, Decision};
use super::state::{Agent, IncomingError, Phase, RoutingState, ServiceLine, TenantPhone};

const SERVICE: i32 = 1;
const TENANT: i32 = 1;

fn state_with_agents(n: i32) -> RoutingState {
    let mut s = RoutingState::default();
    s.lines.push(ServiceLine { service_id: SERVICE, tenant_id: TENANT, number: "+81350000000".into() });
    s.tenants.insert(TENANT, TenantPhone { ring_timeout_ms: 20_000, ..TenantPhone::default() });
    for id in 1..=n {
        s.agents.insert(id, Agent::new(id, TENANT, Some(SERVICE), true, AgentStatus::LoggedOut, 0));
    }
    s
}

/// Decides and applies, as the actor does after the store has the decision.
fn commit(s: &mut RoutingState, at: i64, changes: Vec<Change>) {
    let _ = s.apply(&Decision::new(at, changes), Some(99));
}

fn ready(s: &mut RoutingState, user: i32, at: i64) {
    for action in [AgentAction::CtiLogin, AgentAction::Choose(AgentStatus::Ready)] {
        if let Ok(c) = s.decide_act(user, action) {
            commit(s, at, c);
        }
    }
    assert_eq!(s.agents[&user].status, AgentStatus::Ready);
}

fn call_in(s: &mut RoutingState, id: &str, at: i64) {
    let c = s.decide_incoming(id.into(), "+81312345678", "+81350000000").unwrap();
    commit(s, at, c);
    let offers = s.decide_offers(at);
    commit(s, at, offers);
}

fn offered_to(s: &RoutingState, id: &str) -> Option<i32> {
    match s.calls.get(id)?.phase {
        Phase::Offered { agent, .. } => Some(agent),
        _ => None,
    }
}

#[test]
fn an_incoming_call_is_offered_to_the_longest_idle_ready_agent() {
    let mut s = state_with_agents(3);
    ready(&mut s, 2, 100);
    ready(&mut s, 1, 200);
    ready(&mut s, 3, 300);
    call_in(&mut s, "c1", 400);
    assert_eq!(offered_to(&s, "c1"), Some(2));
    assert_eq!(s.agents[&2].status, AgentStatus::Ringing);
    assert_eq!(s.agents[&2].call.as_deref(), Some("c1"));
}

#[test]
fn a_call_waits_in_the_queue_while_no_agent_is_ready() {
    let mut s = state_with_agents(1);
    call_in(&mut s, "c1", 100);
    assert_eq!(s.calls["c1"].phase, Phase::Queued);
    ready(&mut s, 1, 200);
    let offers = s.decide_offers(200);
    commit(&mut s, 200, offers);
    assert_eq!(offered_to(&s, "c1"), Some(1));
}

#[test]
fn calls_are_offered_in_arrival_order_one_per_agent() {
    let mut s = state_with_agents(1);
    call_in(&mut s, "first", 100);
    call_in(&mut s, "second", 200);
    ready(&mut s, 1, 300);
    let offers = s.decide_offers(300);
    commit(&mut s, 300, offers);
    assert_eq!(offered_to(&s, "first"), Some(1));
    assert_eq!(s.calls["second"].phase, Phase::Queued);
}

#[test]
fn answering_connects_the_call_and_starts_the_call_status() {
    let mut s = state_with_agents(1);
    ready(&mut s, 1, 100);
    call_in(&mut s, "c1", 200);
    let changes = s.decide_answer(1, "c1").unwrap();
    assert!(matches!(changes[0], Change::CallAnswered { agent: 1, .. }));
    commit(&mut s, 300, changes);
    assert_eq!(s.agents[&1].status, AgentStatus::InCall);
    assert_eq!(s.calls["c1"].phase, Phase::Connected { agent: 1, ticket_id: Some(99) });
}

#[test]
fn only_the_agent_the_call_rings_at_can_answer_it() {
    let mut s = state_with_agents(2);
    ready(&mut s, 1, 100);
    ready(&mut s, 2, 150);
    call_in(&mut s, "c1", 200);
    assert_eq!(s.decide_answer(2, "c1"), Err(AppError::OfferGone));
    assert_eq!(s.decide_answer(1, "nope"), Err(AppError::OfferGone));
}

#[test]
fn a_customer_hangup_while_ringing_is_abandoned_and_the_agent_is_ready_again() {
    let mut s = state_with_agents(1);
    ready(&mut s, 1, 100);
    call_in(&mut s, "c1", 200);
    let changes = s.decide_customer_hangup("c1").unwrap();
    assert!(changes.contains(&Change::CallEnded {
        call_id: "c1".into(),
        reason: EndReason::Abandoned,
        agent: Some(1)
    }));
    commit(&mut s, 300, changes);
    assert!(!s.calls.contains_key("c1"));
    assert_eq!(s.agents[&1].status, AgentStatus::Ready);
    assert_eq!(s.agents[&1].call, None);
}

#[test]
fn a_customer_hangup_after_answer_leads_to_after_call_work() {
    let mut s = state_with_agents(1);
    ready(&mut s, 1, 100);
    call_in(&mut s, "c1", 200);
    let answer = s.decide_answer(1, "c1").unwrap();
    commit(&mut s, 250, answer);
    let changes = s.decide_customer_hangup("c1").unwrap();
    commit(&mut s, 300, changes);
    assert_eq!(s.agents[&1].status, AgentStatus::Wrapup);
}

#[test]
fn a_ring_timeout_returns_the_call_to_its_place_and_offers_it_to_another_agent() {
    let mut s = state_with_agents(2);
    ready(&mut s, 1, 100);
    ready(&mut s, 2, 150);
    call_in(&mut s, "c1", 200);
    assert_eq!(offered_to(&s, "c1"), Some(1));
    let seq = s.calls["c1"].seq;
    let timeout = s.decide_ring_timeout("c1", 1);
    commit(&mut s, 20_200, timeout);
    assert_eq!(s.calls["c1"].seq, seq, "keeps its place in the queue");
    let offers = s.decide_offers(20_200);
    commit(&mut s, 20_200, offers);
    assert_eq!(offered_to(&s, "c1"), Some(2));
    // Agent 1 stayed 待機 (the default) but was passed over for this call.
    assert_eq!(s.agents[&1].status, AgentStatus::Ready);
}

#[test]
fn a_stale_ring_timeout_changes_nothing() {
    let mut s = state_with_agents(1);
    ready(&mut s, 1, 100);
    call_in(&mut s, "c1", 200);
    let answer = s.decide_answer(1, "c1").unwrap();
    commit(&mut s, 250, answer);
    assert!(s.decide_ring_timeout("c1", 1).is_empty());
}

#[test]
fn cti_login_needs_a_cti_id_and_number() {
    let mut s = state_with_agents(1);
    s.agents.get_mut(&1).unwrap().has_cti_identity = false;
    assert_eq!(s.decide_act(1, AgentAction::CtiLogin), Err(AppError::NoCtiIdentity));
}

#[test]
fn an_operator_without_the_phone_permission_is_not_an_agent() {
    let s = state_with_agents(1);
    assert_eq!(s.decide_act(42, AgentAction::CtiLogin), Err(AppError::NoPhonePermission));
}

#[test]
fn without_inbound_in_the_contract_calls_are_refused() {
    let mut s = state_with_agents(1);
    s.tenants.get_mut(&TENANT).unwrap().inbound = false;
    assert_eq!(s.decide_incoming("c1".into(), "+81312345678", "+81350000000"), Err(IncomingError::InboundDisabled));
}

#[test]
fn a_call_to_an_unknown_number_is_refused() {
    let s = state_with_agents(1);
    assert!(matches!(
        s.decide_incoming("c1".into(), "+81312345678", "+81399999999"),
        Err(IncomingError::UnknownNumber(_))
    ));
}

#[test]
fn agents_of_another_service_are_not_offered_the_call() {
    let mut s = state_with_agents(1);
    s.agents.get_mut(&1).unwrap().service_id = Some(SERVICE + 1);
    ready(&mut s, 1, 100);
    call_in(&mut s, "c1", 200);
    assert_eq!(s.calls["c1"].phase, Phase::Queued);
}

#[test]
fn where_phones_are_needed_a_colleague_without_one_is_no_consult_target() {
    let mut s = state_with_agents(3);
    s.needs_phones = true;
    for user in [1, 2, 3] {
        ready(&mut s, user, 100 + i64::from(user));
    }
    s.agents.get_mut(&1).unwrap().phone_ready = true;
    s.agents.get_mut(&3).unwrap().phone_ready = true;
    call_in(&mut s, "c1", 200);
    assert_eq!(offered_to(&s, "c1"), Some(1), "only agents with a phone are offered calls");
    let answered = s.decide_answer(1, "c1").unwrap();
    commit(&mut s, 210, answered);

    let listed: Vec<i32> = s.ready_colleagues(1).unwrap().iter().map(|c| c.user_id).collect();
    assert_eq!(listed, vec![3], "op2 has no phone: not listed");
    let target = super::change::ConsultTarget::Agent { user_id: 2 };
    assert_eq!(s.decide_consult(1, "c1", "leg-1".into(), &target, 220), Err(AppError::TargetNotReady));
    let target = super::change::ConsultTarget::Agent { user_id: 3 };
    assert!(s.decide_consult(1, "c1", "leg-1".into(), &target, 220).is_ok());
}

#[test]
fn an_agent_in_the_browser_is_offered_calls_only_while_their_audio_is_ready() {
    use app::model::{BrowserAudio, Endpoint};
    for needs_phones in [false, true] {
        let mut s = state_with_agents(2);
        s.needs_phones = needs_phones;
        ready(&mut s, 1, 100);
        ready(&mut s, 2, 101);
        // op1 talks in the browser, with no phone window connected; op2 has a desk phone
        // (registered, where phones are needed).
        s.agents.get_mut(&1).unwrap().endpoint = Endpoint::Browser;
        s.agents.get_mut(&2).unwrap().phone_ready = true;
        for audio in [BrowserAudio::Closed, BrowserAudio::NoPermission, BrowserAudio::NoDevice, BrowserAudio::Trouble] {
            s.agents.get_mut(&1).unwrap().browser_audio = audio;
            assert!(!s.reachable(&s.agents[&1]), "{audio:?}");
        }
        call_in(&mut s, "c1", 200);
        assert_eq!(offered_to(&s, "c1"), Some(2), "the longest idle cannot be reached: the next is offered");
        s.agents.get_mut(&1).unwrap().browser_audio = BrowserAudio::Ready;
        assert!(s.reachable(&s.agents[&1]));
        // A registered SIP phone does not make a browser agent reachable, nor is their
        // view missing a phone.
        let view = s.view(1, 300).unwrap();
        assert!(!view.phone_missing);
        assert_eq!((view.endpoint, view.browser_audio), (Endpoint::Browser, BrowserAudio::Ready));
    }
}

/// Like `commit`, with the after-call work the changes end, as the actor adds it.
fn commit_with_work(s: &mut RoutingState, at: i64, mut changes: Vec<Change>) -> Vec<Change> {
    let ending = s.after_call_work_ending(&changes, at);
    changes.extend(ending.clone());
    commit(s, at, changes);
    ending
}

#[test]
fn after_call_work_is_the_call_s_from_hang_up_to_the_next_status() {
    let mut s = state_with_agents(1);
    ready(&mut s, 1, 0);
    call_in(&mut s, "c1", 1_000);
    let answer = s.decide_answer(1, "c1").unwrap();
    assert!(commit_with_work(&mut s, 2_000, answer).is_empty());
    let hang_up = s.decide_hang_up(1, "c1").unwrap();
    assert!(commit_with_work(&mut s, 62_000, hang_up).is_empty(), "hanging up begins the work");
    assert_eq!(s.agents[&1].status, AgentStatus::Wrapup);
    let back = s.decide_act(1, AgentAction::Choose(AgentStatus::Ready)).unwrap();
    assert_eq!(
        commit_with_work(&mut s, 77_500, back),
        [Change::AfterCallWork { call_id: "c1".into(), agent: 1, ms: 15_500 }]
    );
    // Work is counted once: the next status change after it adds nothing.
    let busy = s.decide_act(1, AgentAction::Choose(AgentStatus::Busy)).unwrap();
    assert!(commit_with_work(&mut s, 90_000, busy).is_empty());
}

#[test]
fn a_status_chosen_without_a_call_is_no_after_call_work() {
    let mut s = state_with_agents(1);
    ready(&mut s, 1, 0);
    let busy = s.decide_act(1, AgentAction::Choose(AgentStatus::Busy)).unwrap();
    assert!(commit_with_work(&mut s, 10, busy).is_empty());
}

fn supervise(s: &RoutingState, user: i32, to: AgentStatus, reason: Option<&str>) -> Result<Vec<Change>, AppError> {
    let scope = app::domain::TicketScope { tenant_id: TENANT, service_id: Some(SERVICE) };
    s.decide_supervise(99, scope, user, super::change::Supervision { to, reason: reason.map(str::to_owned) })
}

#[test]
fn a_supervisor_sets_an_idle_agent_at_once_with_the_reason() {
    let mut s = state_with_agents(1);
    ready(&mut s, 1, 0);
    let changes = supervise(&s, 1, AgentStatus::Break, Some("昼食")).unwrap();
    assert!(matches!(&changes[0], Change::Supervised { at_once: true, from: AgentStatus::Ready, .. }));
    commit(&mut s, 10, changes);
    assert_eq!((s.agents[&1].status, s.agents[&1].reason.as_deref()), (AgentStatus::Break, Some("昼食")));
    // Back to work by their own hand, the reason goes.
    let busy = s.decide_act(1, AgentAction::Choose(AgentStatus::Busy)).unwrap();
    commit(&mut s, 20, busy);
    assert_eq!(s.agents[&1].reason, None);
    // A reason only goes with 休憩.
    let c = supervise(&s, 1, AgentStatus::LoggedOut, Some("昼食")).unwrap();
    commit(&mut s, 30, c);
    assert_eq!((s.agents[&1].status, s.agents[&1].reason.as_deref()), (AgentStatus::LoggedOut, None));
}

#[test]
fn during_a_call_the_supervisor_s_status_waits_for_its_end() {
    let mut s = state_with_agents(1);
    ready(&mut s, 1, 0);
    call_in(&mut s, "c1", 1);
    let c = s.decide_answer(1, "c1").unwrap();
    commit(&mut s, 2, c);
    let c = supervise(&s, 1, AgentStatus::Break, Some("研修")).unwrap();
    commit(&mut s, 3, c);
    assert_eq!(s.agents[&1].status, AgentStatus::InCall, "the call goes on");
    assert!(s.due_supervisions().is_empty(), "not while the call lasts");
    let c = s.decide_hang_up(1, "c1").unwrap();
    commit(&mut s, 4, c);
    let due = s.due_supervisions();
    assert_eq!(due.len(), 1);
    commit(&mut s, 5, due[0].1.clone());
    let a = &s.agents[&1];
    assert_eq!((a.status, a.reason.as_deref(), a.pending.is_none()), (AgentStatus::Break, Some("研修"), true));
    assert!(s.due_supervisions().is_empty());
}

#[test]
fn a_supervisor_reaches_only_agents_of_their_floor_who_are_logged_in() {
    let mut s = state_with_agents(2);
    s.agents.get_mut(&2).unwrap().service_id = Some(SERVICE + 1);
    ready(&mut s, 1, 0);
    assert_eq!(supervise(&s, 2, AgentStatus::Busy, None).unwrap_err(), AppError::NotFound);
    assert_eq!(supervise(&s, 7, AgentStatus::Busy, None).unwrap_err(), AppError::NotFound);
    assert!(matches!(supervise(&s, 1, AgentStatus::Ready, None), Err(AppError::NotAllowedNow(_))));
    let c = supervise(&s, 1, AgentStatus::LoggedOut, None).unwrap();
    commit(&mut s, 1, c);
    assert!(matches!(supervise(&s, 1, AgentStatus::Busy, None), Err(AppError::NotAllowedNow(_))));
}

/// The tenant's phone with routing policies set.
fn with_policies(s: &mut RoutingState, wrapup_limit_ms: i64, auto_pause_after: u32) {
    let phone = TenantPhone { wrapup_limit_ms, auto_pause_after, ..s.phone_of(TENANT) };
    s.tenants.insert(TENANT, phone);
}

/// Agent 1 answers `id` (offered to them) at `at` and hangs up a second later: in
/// 業務(チケット処理) since `at + 1000`.
fn talk_and_hang_up(s: &mut RoutingState, id: &str, at: i64) {
    let c = s.decide_answer(1, id).unwrap();
    commit(s, at, c);
    let c = s.decide_hang_up(1, id).unwrap();
    commit(s, at + 1000, c);
    assert_eq!((s.agents[&1].status, s.agents[&1].since_ms), (AgentStatus::Wrapup, at + 1000));
}

#[test]
fn after_call_work_ends_at_the_limit_and_never_without_one() {
    let mut s = state_with_agents(1);
    ready(&mut s, 1, 0);
    call_in(&mut s, "c1", 100);
    talk_and_hang_up(&mut s, "c1", 200);
    assert_eq!(s.wrapup_deadline(1), None, "no limit");
    assert!(s.decide_wrapup_expired(1, 1200, i64::MAX).is_empty());

    with_policies(&mut s, 30_000, 0);
    assert_eq!(s.wrapup_deadline(1), Some(31_200));
    assert!(s.decide_wrapup_expired(1, 1200, 31_199).is_empty(), "not yet");
    // A timer of earlier after-call work finds this one: nothing.
    assert!(s.decide_wrapup_expired(1, 500, 40_000).is_empty());
    let back = s.decide_wrapup_expired(1, 1200, 31_200);
    assert_eq!(back, [Change::Status { user: 1, to: AgentStatus::Ready, call: None }]);
    let work = s.after_call_work_ending(&back, 31_200);
    assert_eq!(work, [Change::AfterCallWork { call_id: "c1".into(), agent: 1, ms: 30_000 }]);
    commit(&mut s, 31_200, back);
    assert_eq!(s.agents[&1].status, AgentStatus::Ready);
    assert_eq!(s.wrapup_deadline(1), None, "only in 業務(チケット処理)");
}

#[test]
fn the_nth_missed_offer_in_a_row_pauses_the_agent_as_away() {
    let mut s = state_with_agents(1);
    with_policies(&mut s, 0, 2);
    ready(&mut s, 1, 0);
    call_in(&mut s, "c1", 100);
    let first = s.decide_ring_timeout("c1", 1);
    assert_eq!(first[1], Change::Status { user: 1, to: AgentStatus::Ready, call: None });
    commit(&mut s, 20_100, first);
    assert_eq!(s.agents[&1].missed_in_a_row, 1);
    let offers = s.decide_offers(20_100);
    commit(&mut s, 20_100, offers);
    let second = s.decide_ring_timeout("c1", 1);
    assert_eq!(
        second[1..],
        [
            Change::Status { user: 1, to: AgentStatus::Break, call: None },
            Change::BreakReason { user: 1, reason: Some(app::domain::AUTO_PAUSE_REASON.into()) },
        ]
    );
    commit(&mut s, 40_100, second);
    let a = &s.agents[&1];
    assert_eq!((a.status, a.reason.as_deref(), a.missed_in_a_row), (AgentStatus::Break, Some("不在"), 0));
    assert_eq!(s.view(1, 40_100).unwrap().break_reason.as_deref(), Some("不在"));
    assert_eq!(s.calls["c1"].phase, Phase::Queued, "the call waits for another agent");
}

#[test]
fn answering_starts_the_count_of_missed_offers_again() {
    let mut s = state_with_agents(1);
    with_policies(&mut s, 0, 2);
    ready(&mut s, 1, 0);
    call_in(&mut s, "c1", 100);
    let missed = s.decide_ring_timeout("c1", 1);
    commit(&mut s, 20_100, missed);
    let offers = s.decide_offers(20_100);
    commit(&mut s, 20_100, offers);
    talk_and_hang_up(&mut s, "c1", 20_200);
    assert_eq!(s.agents[&1].missed_in_a_row, 0);
    let c = s.decide_act(1, AgentAction::Choose(AgentStatus::Ready)).unwrap();
    commit(&mut s, 30_000, c);
    call_in(&mut s, "c2", 30_000);
    let missed = s.decide_ring_timeout("c2", 1);
    assert_eq!(missed[1], Change::Status { user: 1, to: AgentStatus::Ready, call: None }, "one miss since");
}

#[test]
fn without_auto_pause_an_agent_may_miss_any_number_of_offers() {
    let mut s = state_with_agents(1);
    ready(&mut s, 1, 0);
    call_in(&mut s, "c1", 100);
    for i in 1..=20 {
        let missed = s.decide_ring_timeout("c1", 1);
        assert_eq!(missed[1], Change::Status { user: 1, to: AgentStatus::Ready, call: None });
        commit(&mut s, i * 20_000, missed);
        let offers = s.decide_offers(i * 20_000);
        commit(&mut s, i * 20_000, offers);
    }
    assert_eq!(s.agents[&1].status, AgentStatus::Ringing);
}
