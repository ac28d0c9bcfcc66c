use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::rules::{plan, Calendar, Region};

const HOC: &str = include_str!("../../../config/policies/hoc-2024.toml");
const EAST_KENT: &str = include_str!("../../../config/policies/east-kent-housing.toml");
const FEED: &str = include_str!("../../../config/bank-holidays.json");

fn hoc() -> PolicyProfile {
    PolicyProfile::from_toml("hoc-2024", HOC).unwrap()
}

fn east_kent() -> PolicyProfile {
    PolicyProfile::from_toml("east-kent-housing", EAST_KENT).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const OFFICER: UserId = UserId(1);
const MANAGER: UserId = UserId(2);
const OTHER_MANAGER: UserId = UserId(3);
const AREA: ServiceAreaId = ServiceAreaId(9);

fn received() -> NaiveDate {
    d("2026-11-02")
}

fn today() -> NaiveDate {
    d("2026-11-20")
}

fn logged_with(health_and_safety: bool, safeguarding: bool) -> CaseState {
    CaseState::log(
        CaseReference::new(2026, 1).unwrap(),
        Channel::Phone,
        received(),
        health_and_safety,
        safeguarding,
        today(),
    )
    .unwrap()
    .0
}

fn logged() -> CaseState {
    logged_with(false, false)
}

fn triaged(decision: TriageDecision) -> CaseState {
    logged()
        .triage(decision, &east_kent(), OFFICER, d("2026-11-03"))
        .unwrap()
        .0
}

fn stage1() -> CaseState {
    triaged(TriageDecision::Stage1)
}

fn stage0() -> CaseState {
    triaged(TriageDecision::Stage0)
}

fn service_request() -> CaseState {
    triaged(TriageDecision::ServiceRequest {
        referred_to: "Repairs".into(),
    })
}

fn closed_stage1() -> CaseState {
    stage1().close(Outcome::Upheld, d("2026-11-10")).unwrap().0
}

fn excluded(reasons: Vec<ExclusionReason>) -> TriageDecision {
    TriageDecision::Excluded {
        reasons,
        explanation: "Court proceedings have begun".into(),
    }
}

// --- log ---------------------------------------------------------------------------------

#[test]
fn log_creates_a_received_case() {
    let (state, event) = CaseState::log(
        CaseReference::new(2026, 1).unwrap(),
        Channel::Email,
        received(),
        true,
        false,
        today(),
    )
    .unwrap();
    assert_eq!(state.status, Status::Received);
    assert!(state.status.is_open());
    assert_eq!(state.stage, None);
    assert_eq!(state.classification, None);
    assert!(state.health_and_safety);
    assert_eq!(state.channel, Channel::Email);
    assert_eq!(event.kind(), "logged");
    assert_eq!(state.clock(), None);
}

#[test]
fn log_refuses_a_future_date_or_the_wrong_year() {
    let reference = CaseReference::new(2026, 1).unwrap();
    assert_eq!(
        CaseState::log(
            reference,
            Channel::Phone,
            d("2026-11-21"),
            false,
            false,
            today()
        ),
        Err(Refusal::ReceivedInFuture)
    );
    let err = CaseState::log(
        reference,
        Channel::Phone,
        d("2025-12-31"),
        false,
        false,
        today(),
    )
    .unwrap_err();
    assert_eq!(err, Refusal::ReferenceYearMismatch(2025));
    assert_eq!(
        err.to_string(),
        "The case reference must be for the year the complaint was received (2025)"
    );
}

// --- triage ------------------------------------------------------------------------------

#[test]
fn triage_to_stage1_makes_the_officer_case_officer() {
    let (state, event) = logged()
        .triage(TriageDecision::Stage1, &hoc(), OFFICER, d("2026-11-03"))
        .unwrap();
    assert_eq!(state.status, Status::Stage1Open);
    assert_eq!(state.stage, Some(Stage::Stage1));
    assert_eq!(state.classification, Some(Classification::Stage1));
    assert_eq!(state.case_officer, Some(OFFICER));
    assert_eq!(state.stage_start(Stage::Stage1), Some(received()));
    assert_eq!(event.kind(), "triaged");
    assert_eq!(event.summary(), "Triaged to stage 1");
}

#[test]
fn triage_to_stage0_only_where_the_profile_has_one() {
    let state = stage0();
    assert_eq!(state.status, Status::Stage0Open);
    assert_eq!(state.stage, Some(Stage::Stage0));
    let err = logged()
        .triage(TriageDecision::Stage0, &hoc(), OFFICER, today())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "There is no stage 0 under Housing Ombudsman Complaint Handling Code (2024): triage the complaint to stage 1 instead"
    );
}

#[test]
fn triage_to_service_request_refers_it() {
    let state = service_request();
    assert_eq!(state.status, Status::ServiceRequestReferred);
    assert!(!state.status.is_open());
    assert_eq!(state.classification, Some(Classification::ServiceRequest));
    assert_eq!(state.referred_to.as_deref(), Some("Repairs"));
    assert_eq!(state.stage, None);
    assert_eq!(
        logged().triage(
            TriageDecision::ServiceRequest {
                referred_to: "  ".into()
            },
            &hoc(),
            OFFICER,
            today()
        ),
        Err(Refusal::ReferralTeamRequired)
    );
}

#[test]
fn triage_to_excluded_closes_with_reasons() {
    let (state, event) = logged()
        .triage(
            excluded(vec![
                ExclusionReason::LegalProceedings,
                ExclusionReason::OccurredTooLongAgo,
                ExclusionReason::LegalProceedings,
            ]),
            &hoc(),
            OFFICER,
            d("2026-11-04"),
        )
        .unwrap();
    assert_eq!(state.status, Status::Closed);
    assert_eq!(state.classification, Some(Classification::Excluded));
    assert_eq!(
        state.closure,
        Some(Closure {
            on: d("2026-11-04"),
            reason: ClosureReason::Excluded,
            outcome: None
        })
    );
    let CaseEvent::Triaged {
        decision: TriageDecision::Excluded { reasons, .. },
        ..
    } = event
    else {
        panic!("{event:?}")
    };
    assert_eq!(
        reasons,
        [
            ExclusionReason::LegalProceedings,
            ExclusionReason::OccurredTooLongAgo
        ]
    );
}

#[test]
fn triage_to_excluded_needs_reasons_and_an_explanation() {
    let err = logged()
        .triage(excluded(vec![]), &hoc(), OFFICER, today())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Select at least one reason for excluding the complaint"
    );
    let err = logged()
        .triage(
            TriageDecision::Excluded {
                reasons: vec![ExclusionReason::Vexatious],
                explanation: " ".into(),
            },
            &hoc(),
            OFFICER,
            today(),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Enter an explanation of why the complaint is excluded"
    );
}

#[test]
fn the_time_limit_cannot_exclude_urgent_cases() {
    for (hs, sg) in [(true, false), (false, true), (true, true)] {
        let err = logged_with(hs, sg)
            .triage(
                excluded(vec![ExclusionReason::OccurredTooLongAgo]),
                &hoc(),
                OFFICER,
                today(),
            )
            .unwrap_err();
        assert_eq!(err, Refusal::TimeLimitNotForUrgent);
        assert_eq!(
            err.to_string(),
            "A health and safety or safeguarding complaint cannot be excluded because the problem happened too long ago"
        );
        // Other reasons still apply.
        assert!(logged_with(hs, sg)
            .triage(
                excluded(vec![ExclusionReason::LegalProceedings]),
                &hoc(),
                OFFICER,
                today()
            )
            .is_ok());
    }
}

#[test]
fn triage_to_compliment_or_comment_closes() {
    for (decision, reason) in [
        (TriageDecision::Compliment, ClosureReason::Compliment),
        (TriageDecision::Comment, ClosureReason::Comment),
    ] {
        let state = triaged(decision);
        assert_eq!(state.status, Status::Closed);
        assert_eq!(state.closure.unwrap().reason, reason);
        assert_eq!(state.stage, None);
    }
}

#[test]
fn triage_happens_once() {
    for state in [stage1(), stage0(), service_request()] {
        let err = state
            .triage(TriageDecision::Stage1, &hoc(), OFFICER, today())
            .unwrap_err();
        assert_eq!(err.to_string(), "This case has already been triaged");
    }
    let closed = triaged(TriageDecision::Comment);
    assert_eq!(
        closed.triage(TriageDecision::Stage1, &hoc(), OFFICER, today()),
        Err(Refusal::CaseClosed)
    );
}

// --- service request conversion ----------------------------------------------------------

#[test]
fn a_service_request_converts_to_stage1_from_the_day_of_dissatisfaction() {
    let (state, event) = service_request()
        .convert_service_request(d("2026-11-12"), today())
        .unwrap();
    assert_eq!(state.status, Status::Stage1Open);
    assert_eq!(state.classification, Some(Classification::Stage1));
    assert_eq!(state.reference, CaseReference::new(2026, 1).unwrap());
    assert_eq!(state.stage_start(Stage::Stage1), Some(d("2026-11-12")));
    assert_eq!(
        state.clock().unwrap().stage_start(Stage::Stage1).unwrap(),
        d("2026-11-12")
    );
    assert_eq!(state.referred_to.as_deref(), Some("Repairs"));
    assert_eq!(event.kind(), "converted_to_complaint");
}

#[test]
fn conversion_is_refused_for_other_cases_and_bad_dates() {
    assert_eq!(
        stage1().convert_service_request(today(), today()),
        Err(Refusal::NotAServiceRequest)
    );
    assert_eq!(
        logged()
            .convert_service_request(today(), today())
            .unwrap_err()
            .to_string(),
        "Only a service request can be converted into a complaint"
    );
    assert_eq!(
        service_request()
            .convert_service_request(d("2026-11-01"), today())
            .unwrap_err()
            .to_string(),
        "The date the resident expressed dissatisfaction must be the same as or after 2 November 2026"
    );
    assert_eq!(
        service_request()
            .convert_service_request(d("2026-11-21"), today())
            .unwrap_err()
            .to_string(),
        "The date the resident expressed dissatisfaction must be today or in the past"
    );
}

// --- stage 0 to stage 1 ------------------------------------------------------------------

#[test]
fn stage0_moves_to_stage1_with_a_new_clock() {
    let (state, event) = stage0()
        .move_stage0_to_stage1(d("2026-11-09"), today())
        .unwrap();
    assert_eq!(state.status, Status::Stage1Open);
    assert_eq!(state.stage, Some(Stage::Stage1));
    assert_eq!(state.moved_to_stage1, Some(d("2026-11-09")));
    assert_eq!(state.stage_start(Stage::Stage1), Some(d("2026-11-09")));
    assert_eq!(
        event.summary(),
        "Moved from stage 0 to stage 1 on 9 November 2026"
    );
}

#[test]
fn only_stage0_moves_to_stage1() {
    assert_eq!(
        stage1().move_stage0_to_stage1(today(), today()),
        Err(Refusal::NotAtStage0)
    );
    assert_eq!(
        logged().move_stage0_to_stage1(today(), today()),
        Err(Refusal::NotAtStage0)
    );
    assert_eq!(
        closed_stage1().move_stage0_to_stage1(today(), today()),
        Err(Refusal::NotAtStage0)
    );
    assert_eq!(
        stage0()
            .move_stage0_to_stage1(d("2026-11-01"), today())
            .unwrap_err()
            .to_string(),
        "The date the complaint moved to stage 1 must be the same as or after 2 November 2026"
    );
    assert_eq!(
        stage0()
            .move_stage0_to_stage1(d("2026-11-21"), today())
            .unwrap_err()
            .to_string(),
        "The date the complaint moved to stage 1 must be today or in the past"
    );
}

// --- acknowledgement ---------------------------------------------------------------------

#[test]
fn acknowledgement_is_recorded_for_the_current_stage() {
    let (state, event) = stage1()
        .acknowledge(d("2026-11-04"), ContactMethod::Email, today())
        .unwrap();
    assert_eq!(
        state.current_acknowledgement(),
        Some(Acknowledgement {
            on: d("2026-11-04"),
            method: ContactMethod::Email
        })
    );
    assert_eq!(*state.acknowledged.get(Stage::Stage0), None);
    assert_eq!(event.kind(), "acknowledged");
    // On the day the stage started, and on today, are both fine.
    assert!(stage1()
        .acknowledge(received(), ContactMethod::Letter, today())
        .is_ok());
    assert!(stage1()
        .acknowledge(today(), ContactMethod::Phone, today())
        .is_ok());
}

#[test]
fn acknowledgement_happens_once_per_stage() {
    let acknowledged = stage0()
        .acknowledge(d("2026-11-03"), ContactMethod::Phone, today())
        .unwrap()
        .0;
    let err = acknowledged
        .acknowledge(d("2026-11-04"), ContactMethod::Phone, today())
        .unwrap_err();
    assert_eq!(err.to_string(), "Stage 0 has already been acknowledged");
    // A new stage is acknowledged afresh, not before it started.
    let moved = acknowledged
        .move_stage0_to_stage1(d("2026-11-09"), today())
        .unwrap()
        .0;
    assert_eq!(moved.current_acknowledgement(), None);
    assert_eq!(
        moved
            .acknowledge(d("2026-11-06"), ContactMethod::Email, today())
            .unwrap_err()
            .to_string(),
        "Date acknowledged must be the same as or after 9 November 2026"
    );
    assert!(moved
        .acknowledge(d("2026-11-09"), ContactMethod::Email, today())
        .is_ok());
}

#[test]
fn acknowledgement_is_refused_before_the_start_in_the_future_or_out_of_stage() {
    assert_eq!(
        stage1()
            .acknowledge(d("2026-11-01"), ContactMethod::Email, today())
            .unwrap_err()
            .to_string(),
        "Date acknowledged must be the same as or after 2 November 2026"
    );
    assert_eq!(
        stage1()
            .acknowledge(d("2026-11-21"), ContactMethod::Email, today())
            .unwrap_err()
            .to_string(),
        "Date acknowledged must be today or in the past"
    );
    assert_eq!(
        logged().acknowledge(today(), ContactMethod::Email, today()),
        Err(Refusal::NotTriaged)
    );
    assert_eq!(
        closed_stage1().acknowledge(today(), ContactMethod::Email, today()),
        Err(Refusal::CaseClosed)
    );
    assert_eq!(
        service_request()
            .acknowledge(today(), ContactMethod::Email, today())
            .unwrap_err()
            .to_string(),
        "This is a service request, not an open complaint"
    );
}

#[test]
fn acknowledgement_starts_the_response_clock_per_profile() {
    let calendar = Calendar::from_feed_json(FEED, Region::EnglandAndWales).unwrap();
    // hoc-2024: respond 10 wd from acknowledgement.
    let state = stage1();
    let provisional = plan(&hoc(), &calendar, &state.clock().unwrap()).unwrap();
    assert!(provisional[1].provisional);
    let state = state
        .acknowledge(d("2026-11-04"), ContactMethod::Email, today())
        .unwrap()
        .0;
    let planned = plan(&hoc(), &calendar, &state.clock().unwrap()).unwrap();
    assert_eq!(planned[1].name, "respond");
    assert!(!planned[1].provisional);
    assert_eq!(planned[1].due, d("2026-11-18"));
    // east-kent-housing: respond 10 wd from receipt, whatever the acknowledgement date.
    let planned = plan(&east_kent(), &calendar, &state.clock().unwrap()).unwrap();
    assert_eq!(planned[1].due, d("2026-11-16"));
}

// --- assignment and involvement ----------------------------------------------------------

#[test]
fn assign_and_reassign() {
    let (state, event) = stage1().assign(AREA, MANAGER, &[]).unwrap();
    assert_eq!(state.assigned_manager, Some(MANAGER));
    assert_eq!(state.service_area, Some(AREA));
    assert_eq!(event.summary(), "Assigned to a manager");
    let (state, event) = state.assign(AREA, OTHER_MANAGER, &[MANAGER]).unwrap();
    assert_eq!(state.assigned_manager, Some(OTHER_MANAGER));
    assert_eq!(
        event,
        CaseEvent::Assigned {
            service_area: AREA,
            manager: OTHER_MANAGER,
            previous: Some(MANAGER)
        }
    );
    assert_eq!(
        state.assign(AREA, OTHER_MANAGER, &[]),
        Err(Refusal::AlreadyAssigned)
    );
    // The same manager in another area is a change.
    assert!(state.assign(ServiceAreaId(10), OTHER_MANAGER, &[]).is_ok());
}

#[test]
fn acknowledge_and_assign_in_either_order() {
    let a = stage1()
        .acknowledge(d("2026-11-04"), ContactMethod::Email, today())
        .unwrap()
        .0
        .assign(AREA, MANAGER, &[])
        .unwrap()
        .0;
    let b = stage1()
        .assign(AREA, MANAGER, &[])
        .unwrap()
        .0
        .acknowledge(d("2026-11-04"), ContactMethod::Email, today())
        .unwrap()
        .0;
    assert_eq!(a, b);
}

#[test]
fn a_manager_who_declared_involvement_cannot_be_assigned() {
    let err = stage1().assign(AREA, MANAGER, &[MANAGER]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "This manager has declared involvement in the matter, so they cannot be assigned the case"
    );
}

#[test]
fn assignment_needs_an_open_triaged_complaint() {
    assert_eq!(
        logged().assign(AREA, MANAGER, &[]),
        Err(Refusal::NotTriaged)
    );
    assert_eq!(Refusal::NotTriaged.to_string(), "Triage the case first");
    assert_eq!(
        closed_stage1().assign(AREA, MANAGER, &[]),
        Err(Refusal::CaseClosed)
    );
    assert_eq!(
        service_request().assign(AREA, MANAGER, &[]),
        Err(Refusal::NotAComplaint)
    );
}

#[test]
fn declaring_involvement_unassigns_the_manager() {
    let assigned = stage1().assign(AREA, MANAGER, &[]).unwrap().0;
    let (state, event) = assigned.declare_involvement(MANAGER).unwrap();
    assert_eq!(state.assigned_manager, None);
    assert_eq!(state.status, Status::Stage1Open);
    assert_eq!(
        event,
        CaseEvent::InvolvementDeclared {
            manager: MANAGER,
            unassigned: true
        }
    );
    let (state, event) = assigned.declare_involvement(OTHER_MANAGER).unwrap();
    assert_eq!(state.assigned_manager, Some(MANAGER));
    assert_eq!(event.summary(), "Manager declared involvement");
    // Before triage too; not once closed.
    assert!(logged().declare_involvement(MANAGER).is_ok());
    assert_eq!(
        closed_stage1().declare_involvement(MANAGER),
        Err(Refusal::CaseClosed)
    );
}

// --- duplicates, withdrawal, closure -----------------------------------------------------

#[test]
fn marking_a_duplicate_closes_the_case() {
    let other = CaseReference::new(2026, 7).unwrap();
    let (state, event) = stage1().mark_duplicate(CaseId(7), other, today()).unwrap();
    assert_eq!(state.status, Status::Closed);
    assert_eq!(state.duplicate_of, Some(CaseId(7)));
    assert_eq!(state.closure.unwrap().reason, ClosureReason::Duplicate);
    assert_eq!(event.summary(), "Marked as a duplicate of CMP-2026-000007");
    assert!(logged().mark_duplicate(CaseId(7), other, today()).is_ok());
}

#[test]
fn marking_a_duplicate_is_refused_for_itself_or_a_closed_case() {
    let own = CaseReference::new(2026, 1).unwrap();
    assert_eq!(
        stage1()
            .mark_duplicate(CaseId(1), own, today())
            .unwrap_err()
            .to_string(),
        "A case cannot be a duplicate of itself"
    );
    let other = CaseReference::new(2026, 7).unwrap();
    assert_eq!(
        closed_stage1().mark_duplicate(CaseId(7), other, today()),
        Err(Refusal::CaseClosed)
    );
}

#[test]
fn withdrawal_closes_any_open_case() {
    let (state, event) = stage1()
        .withdraw(" Resident is happy now ", today())
        .unwrap();
    assert_eq!(state.status, Status::Closed);
    assert_eq!(
        state.closure,
        Some(Closure {
            on: today(),
            reason: ClosureReason::Withdrawn,
            outcome: Some(Outcome::Withdrawn)
        })
    );
    assert_eq!(
        event,
        CaseEvent::Withdrawal {
            on: today(),
            reason: "Resident is happy now".into()
        }
    );
    let before_triage = logged().withdraw("Changed their mind", today()).unwrap().0;
    assert_eq!(before_triage.closure.unwrap().outcome, None);
}

#[test]
fn withdrawal_is_refused_without_a_reason_or_when_closed() {
    assert_eq!(
        stage1().withdraw("  ", today()).unwrap_err().to_string(),
        "Enter why the complaint is being withdrawn"
    );
    assert_eq!(
        closed_stage1().withdraw("x", today()),
        Err(Refusal::CaseClosed)
    );
    assert_eq!(
        service_request().withdraw("x", today()),
        Err(Refusal::NotAComplaint)
    );
}

#[test]
fn close_records_the_outcome() {
    let state = closed_stage1();
    assert_eq!(state.status, Status::Closed);
    assert_eq!(state.stage, Some(Stage::Stage1));
    assert_eq!(
        state.closure,
        Some(Closure {
            on: d("2026-11-10"),
            reason: ClosureReason::Responded,
            outcome: Some(Outcome::Upheld)
        })
    );
    assert_eq!(
        *state.clock().unwrap().responded.get(Stage::Stage1),
        Some(d("2026-11-10"))
    );
    let resolved = stage0()
        .close(Outcome::ResolvedFirstPoint, today())
        .unwrap()
        .0;
    assert_eq!(resolved.status, Status::Closed);
}

#[test]
fn close_is_refused_when_it_does_not_fit() {
    assert_eq!(
        stage1()
            .close(Outcome::Withdrawn, today())
            .unwrap_err()
            .to_string(),
        "To close a withdrawn complaint, record the withdrawal"
    );
    assert_eq!(
        stage1()
            .close(Outcome::ResolvedFirstPoint, today())
            .unwrap_err()
            .to_string(),
        "Only a stage 0 complaint can be resolved at first point of contact"
    );
    assert_eq!(
        logged().close(Outcome::Upheld, today()),
        Err(Refusal::NotTriaged)
    );
    assert_eq!(
        closed_stage1().close(Outcome::Upheld, today()),
        Err(Refusal::CaseClosed)
    );
}

// --- escalation --------------------------------------------------------------------------

#[test]
fn escalation_opens_stage2_without_the_stage1_manager() {
    let state = stage1().assign(AREA, MANAGER, &[]).unwrap().0;
    let state = state.close(Outcome::NotUpheld, d("2026-11-10")).unwrap().0;
    let (state, event) = state.escalate(d("2026-11-12"), today()).unwrap();
    assert_eq!(state.status, Status::Stage2Open);
    assert_eq!(state.stage, Some(Stage::Stage2));
    assert_eq!(state.classification, Some(Classification::Stage2));
    assert_eq!(state.assigned_manager, None);
    assert_eq!(state.closure, None);
    assert_eq!(state.stage_start(Stage::Stage2), Some(d("2026-11-12")));
    assert_eq!(event.kind(), "escalation");
    assert_eq!(
        state
            .acknowledge(d("2026-11-11"), ContactMethod::Letter, today())
            .unwrap_err()
            .to_string(),
        "Date acknowledged must be the same as or after 12 November 2026"
    );
    assert!(state
        .acknowledge(d("2026-11-12"), ContactMethod::Letter, today())
        .is_ok());
}

#[test]
fn escalation_only_from_a_stage1_response() {
    for state in [
        stage1(),
        stage0().close(Outcome::Upheld, today()).unwrap().0,
        stage1().withdraw("Gone", today()).unwrap().0,
        logged(),
    ] {
        assert_eq!(
            state.escalate(today(), today()).unwrap_err().to_string(),
            "Only a complaint closed with a stage 1 response can be escalated to stage 2"
        );
    }
    assert_eq!(
        closed_stage1()
            .escalate(d("2026-11-09"), today())
            .unwrap_err()
            .to_string(),
        "The date the resident asked to escalate must be the same as or after 10 November 2026"
    );
    assert_eq!(
        closed_stage1().escalate(d("2026-11-21"), today()),
        Err(Refusal::DateInFuture {
            what: "The date the resident asked to escalate"
        })
    );
}

// --- reopening ---------------------------------------------------------------------------

#[test]
fn reopening_returns_a_case_to_its_stage() {
    let (state, event) = closed_stage1().reopen("Closed in error", today()).unwrap();
    assert_eq!(state.status, Status::Stage1Open);
    assert_eq!(state.closure, None);
    assert_eq!(
        event,
        CaseEvent::Reopened {
            on: today(),
            reason: "Closed in error".into(),
            status: Status::Stage1Open
        }
    );
    let duplicate = stage0()
        .mark_duplicate(CaseId(7), CaseReference::new(2026, 7).unwrap(), today())
        .unwrap()
        .0;
    let reopened = duplicate.reopen("Not a duplicate", today()).unwrap().0;
    assert_eq!(reopened.status, Status::Stage0Open);
    assert_eq!(reopened.duplicate_of, None);
}

#[test]
fn reopening_a_case_closed_at_triage_sends_it_back_to_triage() {
    let state = triaged(excluded(vec![ExclusionReason::AlreadyConsidered]));
    let reopened = state.reopen("New evidence", today()).unwrap().0;
    assert_eq!(reopened.status, Status::Received);
    assert_eq!(reopened.classification, None);
    assert!(reopened
        .triage(TriageDecision::Stage1, &hoc(), OFFICER, today())
        .is_ok());
}

#[test]
fn reopening_is_refused_for_open_cases_or_without_a_reason() {
    for state in [logged(), stage1(), service_request()] {
        assert_eq!(
            state.reopen("x", today()).unwrap_err().to_string(),
            "Only a closed case can be reopened"
        );
    }
    assert_eq!(
        closed_stage1()
            .reopen(" ", today())
            .unwrap_err()
            .to_string(),
        "Enter why the case is being reopened"
    );
}

// --- restore and replay ------------------------------------------------------------------

#[test]
fn restore_round_trips_the_facts() {
    let state = stage1().assign(AREA, MANAGER, &[]).unwrap().0;
    let facts = state.facts().clone();
    assert_eq!(CaseState::restore(facts.clone()), state);
    assert_eq!(state.into_facts(), facts);
}

#[test]
fn replay_needs_a_logged_event_first() {
    assert_eq!(CaseState::replay(&[]), None);
    assert_eq!(
        CaseState::replay(&[CaseEvent::Note {
            text: "x".into(),
            sensitive: false,
        }]),
        None
    );
}

/// One request a user might make, for the property test.
#[derive(Debug, Clone)]
enum Command {
    Triage(u8),
    Convert(u8),
    Move(u8),
    Acknowledge(u8),
    Assign(u8),
    Declare(u8),
    Duplicate,
    Withdraw,
    Close(u8),
    Escalate(u8),
    Reopen,
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        (0u8..7).prop_map(Command::Triage),
        (0u8..20).prop_map(Command::Convert),
        (0u8..20).prop_map(Command::Move),
        (0u8..20).prop_map(Command::Acknowledge),
        (0u8..3).prop_map(Command::Assign),
        (0u8..3).prop_map(Command::Declare),
        Just(Command::Duplicate),
        Just(Command::Withdraw),
        (0u8..4).prop_map(Command::Close),
        (0u8..20).prop_map(Command::Escalate),
        Just(Command::Reopen),
    ]
}

fn run(state: &CaseState, command: &Command, profile: &PolicyProfile) -> Transition {
    let day = |n: u8| received() + chrono::Days::new(u64::from(n));
    let today = d("2026-11-15");
    match command {
        Command::Triage(n) => {
            let decision = match n {
                0 => TriageDecision::ServiceRequest {
                    referred_to: "Estates".into(),
                },
                1 => TriageDecision::Stage0,
                2 => TriageDecision::Stage1,
                3 => excluded(vec![ExclusionReason::OccurredTooLongAgo]),
                4 => TriageDecision::Compliment,
                5 => TriageDecision::Comment,
                _ => excluded(vec![]),
            };
            state.triage(decision, profile, OFFICER, today)
        }
        Command::Convert(n) => state.convert_service_request(day(*n), today),
        Command::Move(n) => state.move_stage0_to_stage1(day(*n), today),
        Command::Acknowledge(n) => state.acknowledge(day(*n), ContactMethod::Letter, today),
        Command::Assign(n) => state.assign(AREA, UserId(i32::from(*n) + 2), &[UserId(4)]),
        Command::Declare(n) => state.declare_involvement(UserId(i32::from(*n) + 2)),
        Command::Duplicate => {
            state.mark_duplicate(CaseId(99), CaseReference::new(2026, 99).unwrap(), today)
        }
        Command::Withdraw => state.withdraw("Resident withdrew", today),
        Command::Close(n) => state.close(Outcome::ALL[usize::from(*n)], today),
        Command::Escalate(n) => state.escalate(day(*n), today),
        Command::Reopen => state.reopen("Reopened", today),
    }
}

proptest! {
    /// Whatever is asked in whatever order: the timeline replays to the same state, and the
    /// state stays coherent.
    #[test]
    fn timelines_replay_and_states_stay_coherent(
        commands in proptest::collection::vec(command(), 0..25),
        hs in any::<bool>(),
        stage0_profile in any::<bool>(),
    ) {
        let profile = if stage0_profile { east_kent() } else { hoc() };
        let (mut state, first) = CaseState::log(
            CaseReference::new(2026, 1).unwrap(),
            Channel::Letter,
            received(),
            hs,
            false,
            today(),
        )
        .unwrap();
        let mut events = vec![first];
        for command in &commands {
            if let Ok((next, event)) = run(&state, command, &profile) {
                // Every event survives storage as JSON.
                let json = serde_json::to_string(&event).unwrap();
                prop_assert_eq!(&serde_json::from_str::<CaseEvent>(&json).unwrap(), &event);
                events.push(event);
                state = next;
            }
            prop_assert_eq!(state.status == Status::Closed, state.closure.is_some());
            match state.status {
                Status::Stage0Open => prop_assert_eq!(state.stage, Some(Stage::Stage0)),
                Status::Stage1Open => prop_assert_eq!(state.stage, Some(Stage::Stage1)),
                Status::Stage2Open => prop_assert_eq!(state.stage, Some(Stage::Stage2)),
                Status::Received => prop_assert_eq!(state.classification, None),
                Status::ServiceRequestReferred => prop_assert_eq!(
                    state.classification,
                    Some(Classification::ServiceRequest)
                ),
                Status::Closed => {}
            }
            prop_assert!(state.assigned_manager != Some(UserId(4)));
            if state.status.is_open() && state.stage.is_some() {
                prop_assert!(state.clock().is_some());
            }
        }
        prop_assert_eq!(CaseState::replay(&events), Some(state));
    }
}

fn calendar() -> Calendar {
    Calendar::from_feed_json(FEED, Region::EnglandAndWales).unwrap()
}

fn hoc_stage1_acknowledged() -> CaseState {
    let triaged = logged()
        .triage(TriageDecision::Stage1, &hoc(), OFFICER, d("2026-11-03"))
        .unwrap()
        .0;
    triaged
        .acknowledge(d("2026-11-04"), ContactMethod::Email, today())
        .unwrap()
        .0
}

#[test]
fn an_extension_within_the_cap_moves_the_response_date_as_the_rules_say() {
    let case = hoc_stage1_acknowledged();
    // Respond due 10 working days after 4 Nov: 18 Nov. Extended by 5 working days: 25 Nov.
    let (extended, event) = case
        .extend(
            &hoc(),
            &calendar(),
            5,
            d("2026-11-10"),
            false,
            "Interviews needed",
            (d("2026-11-10"), ContactMethod::Letter),
            today(),
        )
        .unwrap();
    match event {
        CaseEvent::Extension { new_due, .. } => assert_eq!(new_due, d("2026-11-25")),
        other => panic!("{other:?}"),
    }
    assert_eq!(extended.extensions.len(), 1);
    let planned = plan(&hoc(), &calendar(), &extended.clock().unwrap()).unwrap();
    assert!(planned
        .iter()
        .any(|p| p.name == "respond_extended" && p.due == d("2026-11-25")));
}

#[test]
fn extensions_past_the_cap_need_approval_and_must_be_notified_in_time() {
    let case = hoc_stage1_acknowledged();
    let told = (d("2026-11-10"), ContactMethod::Letter);
    let past_cap = case.extend(
        &hoc(),
        &calendar(),
        11,
        d("2026-11-10"),
        false,
        "Complex",
        told,
        today(),
    );
    assert!(
        matches!(past_cap, Err(Refusal::Extension(ref m)) if m.contains("cap")),
        "{past_cap:?}"
    );
    assert!(case
        .extend(
            &hoc(),
            &calendar(),
            11,
            d("2026-11-10"),
            true,
            "Complex",
            told,
            today()
        )
        .is_ok());
    assert_eq!(
        case.extend(
            &hoc(),
            &calendar(),
            5,
            d("2026-11-10"),
            false,
            " ",
            told,
            today()
        ),
        Err(Refusal::ExtensionReasonRequired)
    );
    // Granted after the due date (18 Nov) is too late.
    let late = case.extend(
        &hoc(),
        &calendar(),
        5,
        d("2026-11-19"),
        false,
        "Late",
        (d("2026-11-19"), ContactMethod::Email),
        today(),
    );
    assert!(matches!(late, Err(Refusal::Extension(_))), "{late:?}");
    // Told after the date being extended.
    let told_late = case.extend(
        &hoc(),
        &calendar(),
        5,
        d("2026-11-17"),
        false,
        "X",
        (d("2026-11-19"), ContactMethod::Email),
        today(),
    );
    assert_eq!(told_late, Err(Refusal::NotifiedTooLate(d("2026-11-18"))));
}

#[test]
fn a_response_closes_the_stage_and_stage0_can_then_move_on() {
    let (closed, event) = hoc_stage1_acknowledged()
        .respond(Outcome::PartlyUpheld, d("2026-11-16"), today())
        .unwrap();
    assert_eq!(event.kind(), "response");
    assert_eq!(closed.status, Status::Closed);
    assert!(closed.escalate(d("2026-11-18"), today()).is_ok());
    assert_eq!(
        hoc_stage1_acknowledged().respond(Outcome::ResolvedFirstPoint, d("2026-11-16"), today()),
        Err(Refusal::FirstPointOnlyAtStage0)
    );
    let decided0 = stage0()
        .respond(Outcome::ResolvedFirstPoint, d("2026-11-05"), today())
        .unwrap()
        .0;
    assert_eq!(decided0.status, Status::Closed);
    let moved = decided0
        .move_stage0_to_stage1(d("2026-11-09"), today())
        .unwrap()
        .0;
    assert_eq!(moved.status, Status::Stage1Open);
    assert_eq!(moved.closure, None);
}

mod corrections {
    use super::*;
    use crate::domain::case::{Correction, Named};

    fn received_to(to: &str) -> Vec<Correction> {
        vec![Correction::Received {
            from: received(),
            to: d(to),
        }]
    }

    #[test]
    fn state_bearing_corrections_change_the_state_and_replay() {
        let before = stage1();
        let changes = vec![
            Correction::Channel {
                from: Channel::Phone,
                to: Channel::Email,
            },
            Correction::HealthAndSafety { to: true },
            Correction::Safeguarding { to: true },
            Correction::CaseOfficer {
                from: Some(Named {
                    id: OFFICER,
                    name: "A".into(),
                }),
                to: Named {
                    id: UserId(8),
                    name: "B".into(),
                },
            },
            Correction::ServiceArea {
                from: None,
                to: Named {
                    id: AREA,
                    name: "Repairs".into(),
                },
            },
            Correction::Received {
                from: received(),
                to: d("2026-10-30"),
            },
        ];
        let (after, event) = before.correct(changes, today()).unwrap();
        assert_eq!(after.channel, Channel::Email);
        assert!(after.health_and_safety && after.safeguarding);
        assert_eq!(after.case_officer, Some(UserId(8)));
        assert_eq!(after.service_area, Some(AREA));
        assert_eq!(after.received, d("2026-10-30"));
        assert_eq!(after.status, before.status);
        // The same state from the timeline.
        let logged_event = CaseEvent::Logged {
            reference: CaseReference::new(2026, 1).unwrap(),
            channel: Channel::Phone,
            received: received(),
            health_and_safety: false,
            safeguarding: false,
        };
        let triaged = logged()
            .triage(
                TriageDecision::Stage1,
                &east_kent(),
                OFFICER,
                d("2026-11-03"),
            )
            .unwrap()
            .1;
        assert_eq!(
            CaseState::replay([&logged_event, &triaged, &event]).unwrap(),
            after
        );
    }

    #[test]
    fn a_health_and_safety_flag_redates_the_deadlines_under_east_kent() {
        let calendar = Calendar::from_feed_json(FEED, Region::EnglandAndWales).unwrap();
        let respond_due = |state: &CaseState| {
            plan(&east_kent(), &calendar, &state.clock().unwrap())
                .unwrap()
                .into_iter()
                .find(|d| d.name == "respond")
                .unwrap()
                .due
        };
        let before = stage1();
        let (after, _) = before
            .correct(vec![Correction::HealthAndSafety { to: true }], today())
            .unwrap();
        assert!(respond_due(&after) < respond_due(&before));
    }

    #[test]
    fn the_received_date_is_refused_on_a_closed_case_after_a_response_or_in_the_future() {
        assert_eq!(
            closed_stage1()
                .correct(received_to("2026-11-01"), today())
                .unwrap_err(),
            Refusal::ReceivedOnClosedCase
        );
        let responded = stage1()
            .respond(Outcome::Upheld, d("2026-11-10"), today())
            .unwrap()
            .0
            .escalate(d("2026-11-12"), today())
            .unwrap()
            .0;
        assert_eq!(
            responded
                .correct(received_to("2026-11-01"), today())
                .unwrap_err(),
            Refusal::AfterFirstResponse(d("2026-11-10"))
        );
        let channel = vec![Correction::Channel {
            from: Channel::Phone,
            to: Channel::Letter,
        }];
        assert!(matches!(
            responded.correct(channel, today()),
            Err(Refusal::AfterFirstResponse(_))
        ));
        assert_eq!(
            stage1()
                .correct(received_to("2026-11-21"), today())
                .unwrap_err(),
            Refusal::ReceivedInFuture
        );
        assert_eq!(
            stage1()
                .correct(received_to("2025-12-31"), today())
                .unwrap_err(),
            Refusal::ReferenceYearMismatch(2026)
        );
        let acknowledged = stage1()
            .acknowledge(d("2026-11-04"), ContactMethod::Email, today())
            .unwrap()
            .0;
        assert_eq!(
            acknowledged
                .correct(received_to("2026-11-05"), today())
                .unwrap_err(),
            Refusal::ReceivedAfterLaterStep(d("2026-11-04"))
        );
        assert_eq!(
            stage1().correct(Vec::new(), today()).unwrap_err(),
            Refusal::NothingChanged
        );
    }

    #[test]
    fn the_time_limit_exclusion_is_refused_once_flagged() {
        let (flagged, _) = logged()
            .correct(vec![Correction::Safeguarding { to: true }], today())
            .unwrap();
        assert_eq!(
            flagged
                .triage(
                    excluded(vec![ExclusionReason::OccurredTooLongAgo]),
                    &east_kent(),
                    OFFICER,
                    today()
                )
                .unwrap_err(),
            Refusal::TimeLimitNotForUrgent
        );
    }
}
