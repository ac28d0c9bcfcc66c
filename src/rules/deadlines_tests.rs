use super::*;
use crate::rules::calendar::Unit;
use crate::rules::test_support::{d, england, policies, profile, PROFILES};
use proptest::prelude::*;
use Stage::{Stage0, Stage1, Stage2};

/// A clock for the current stage: stage 0/1 received on `start`, stage 2 escalated on `start`.
fn clock(stage: Stage, start: &str) -> CaseClock {
    let mut c = CaseClock::new(stage, d(start));
    if stage == Stage2 {
        c.escalation_requested = Some(d(start));
    }
    c
}

/// (name, due, provisional) of the planned deadlines.
fn planned(name: &str, c: &CaseClock) -> Vec<(&'static str, NaiveDate, bool)> {
    plan(&profile(name), &england(), c)
        .unwrap()
        .into_iter()
        .map(|p| (p.name, p.due, p.provisional))
        .collect()
}

fn today_schedule(name: &str, c: &CaseClock, today: &str) -> Schedule {
    schedule(
        &profile(name),
        &england(),
        c,
        d(today),
        &RagThresholds::default(),
    )
    .unwrap()
}

#[test]
fn spec_worked_examples_for_the_code() {
    // SPEC section 4: 5 working days from receipt under hoc-2024's acknowledgement.
    for (received, ack_due, respond_due) in [
        ("2026-11-20", "2026-11-27", "2026-12-11"),
        ("2026-11-21", "2026-11-30", "2026-12-14"),
        ("2026-12-23", "2027-01-04", "2027-01-18"),
    ] {
        assert_eq!(
            planned("hoc-2024", &clock(Stage1, received)),
            [
                (ACKNOWLEDGE, d(ack_due), false),
                // Provisional: counted from the acknowledgement's own due date.
                (RESPOND, d(respond_due), true),
            ],
            "received {received}"
        );
    }
}

/// One row per profile and stage: the stage started on Friday 20 Nov 2026 (receipt, or the
/// escalation request at stage 2) with nothing else recorded.
/// (name, due, provisional) expected for one profile and stage.
type Expected = &'static [(&'static str, &'static str, bool)];

#[test]
fn every_profile_schedules_from_its_policy() {
    let table: [(&str, Stage, Expected); 14] = [
        // SPEC hoc-2024: ack 5 wd from receipt, response 10 wd from acknowledgement.
        (
            "hoc-2024",
            Stage1,
            &[
                ("acknowledge", "2026-11-27", false),
                ("respond", "2026-12-11", true),
            ],
        ),
        // SPEC hoc-2024: ack 5 wd from escalation request, response 20 wd from acknowledgement.
        (
            "hoc-2024",
            Stage2,
            &[
                ("acknowledge", "2026-11-27", false),
                ("respond", "2026-12-29", true),
            ],
        ),
        // "Logging and acknowledgement ... 5 working days"; "Stage Zero ... 10 working days
        // from receipt of informal complaint"
        (
            "south-essex-homes",
            Stage0,
            &[
                ("acknowledge", "2026-11-27", false),
                ("respond", "2026-12-04", false),
            ],
        ),
        // "Stage One Formal Complaint decision – 10 working days from receipt of complaint"
        (
            "south-essex-homes",
            Stage1,
            &[
                ("acknowledge", "2026-11-27", false),
                ("respond", "2026-12-04", false),
            ],
        ),
        // "Stage Two Formal Complaint response – 20 working days from request to escalate"
        (
            "south-essex-homes",
            Stage2,
            &[
                ("acknowledge", "2026-11-27", false),
                ("respond", "2026-12-18", false),
            ],
        ),
        // "acknowledgement letter within 2 working days"; "full response within 10 working days"
        (
            "south-essex-homes-stages",
            Stage1,
            &[
                ("acknowledge", "2026-11-24", false),
                ("respond", "2026-12-04", false),
            ],
        ),
        // "The Director or Group Manager will respond to you within 10 working days."
        (
            "south-essex-homes-stages",
            Stage2,
            &[("respond", "2026-12-04", false)],
        ),
        // First point resolution: "inform you of any associated timescale" -- none.
        ("east-kent-housing", Stage0, &[]),
        // 4.2.1 two working days; 4.2.2 ten working days from the date of receipt.
        (
            "east-kent-housing",
            Stage1,
            &[
                ("acknowledge", "2026-11-24", false),
                ("respond", "2026-12-04", false),
            ],
        ),
        // 4.3.2 "ten working days from the date of receipt of your stage two request"
        (
            "east-kent-housing",
            Stage2,
            &[
                ("acknowledge", "2026-11-24", false),
                ("respond", "2026-12-04", false),
            ],
        ),
        // "acknowledge this within 5 working days"; "within 10 working days"
        (
            "housing-customer-feedback",
            Stage1,
            &[
                ("acknowledge", "2026-11-27", false),
                ("respond", "2026-12-04", false),
            ],
        ),
        // "A stage 2 complaint will be responded to within 20 working days."
        (
            "housing-customer-feedback",
            Stage2,
            &[
                ("acknowledge", "2026-11-27", false),
                ("respond", "2026-12-18", false),
            ],
        ),
        // "within ten working days" -- and no acknowledge entry at all.
        (
            "charitable-association",
            Stage1,
            &[("respond", "2026-12-04", false)],
        ),
        // "within 20 working days"
        (
            "charitable-association",
            Stage2,
            &[("respond", "2026-12-18", false)],
        ),
    ];
    for (name, stage, expected) in table {
        let expected: Vec<_> = expected
            .iter()
            .map(|(n, due, p)| (*n, d(due), *p))
            .collect();
        assert_eq!(
            planned(name, &clock(stage, "2026-11-20")),
            expected,
            "{name} {stage}"
        );
    }
}

#[test]
fn each_clock_start_is_honoured() {
    // Acknowledgement: hoc stage 1 response counts from the actual acknowledgement.
    let mut c = clock(Stage1, "2026-11-20");
    c.acknowledged.stage1 = Some(d("2026-11-23"));
    assert_eq!(
        planned("hoc-2024", &c)[1],
        (RESPOND, d("2026-12-07"), false)
    );
    // A late acknowledgement still starts the clock.
    c.acknowledged.stage1 = Some(d("2026-12-01"));
    assert_eq!(planned("hoc-2024", &c)[1].1, d("2026-12-15"));
    // Escalation request: stage 2 ignores the stage 1 receipt.
    let mut c = CaseClock::new(Stage2, d("2026-10-01"));
    c.escalation_requested = Some(d("2026-11-21")); // Saturday -> counted from Monday
    assert_eq!(
        planned("south-essex-homes", &c),
        [
            (ACKNOWLEDGE, d("2026-11-30"), false),
            (RESPOND, d("2026-12-21"), false)
        ]
    );
    // hoc stage 2 with the acknowledgement given: 20 wd from it, not provisional.
    c.acknowledged.stage2 = Some(d("2026-11-24"));
    assert_eq!(
        planned("hoc-2024", &c)[1],
        (RESPOND, d("2026-12-22"), false)
    );
}

#[test]
fn moving_from_stage_0_restarts_the_clock_at_stage_1() {
    // South Essex Homes: informal complaint received 2 Nov, moved to stage 1 on Fri 20 Nov.
    let mut c = CaseClock::new(Stage0, d("2026-11-02"));
    assert_eq!(
        planned("south-essex-homes", &c),
        [
            (ACKNOWLEDGE, d("2026-11-09"), false),
            (RESPOND, d("2026-11-16"), false)
        ]
    );
    c.stage = Stage1;
    c.moved_to_stage1 = Some(d("2026-11-20"));
    assert_eq!(
        planned("south-essex-homes", &c),
        [
            (ACKNOWLEDGE, d("2026-11-27"), false),
            (RESPOND, d("2026-12-04"), false)
        ]
    );
    c.moved_to_stage1 = Some(d("2026-11-01"));
    assert!(matches!(
        plan(&profile("south-essex-homes"), &england(), &c),
        Err(DeadlineError::MovedBeforeReceipt { .. })
    ));
}

#[test]
fn east_kent_health_and_safety_applies_at_receipt() {
    // "acknowledged immediately and an appropriate response made within three working days"
    for stage in [Stage0, Stage1] {
        let mut c = clock(stage, "2026-11-20");
        c.health_and_safety = true;
        assert_eq!(
            planned("east-kent-housing", &c),
            [
                (ACKNOWLEDGE, d("2026-11-20"), false),
                (RESPOND, d("2026-11-25"), false)
            ],
            "{stage}"
        );
    }
    // Received on Christmas Eve: same day, then three working days over Christmas.
    let mut c = clock(Stage1, "2026-12-24");
    c.health_and_safety = true;
    assert_eq!(
        planned("east-kent-housing", &c),
        [
            (ACKNOWLEDGE, d("2026-12-24"), false),
            (RESPOND, d("2026-12-31"), false)
        ]
    );
    // Stage 2 and other profiles: the flag is only a priority marker.
    let mut c = clock(Stage2, "2026-11-20");
    c.health_and_safety = true;
    assert_eq!(planned("east-kent-housing", &c)[1].1, d("2026-12-04"));
    let mut c = clock(Stage1, "2026-11-20");
    c.health_and_safety = true;
    assert_eq!(
        planned("hoc-2024", &c),
        planned("hoc-2024", &clock(Stage1, "2026-11-20"))
    );
}

#[test]
fn states_met_late_pending_and_overdue() {
    let name = "south-essex-homes-stages"; // ack due Tue 24 Nov, respond due Fri 4 Dec
    let mut c = clock(Stage1, "2026-11-20");
    let s = today_schedule(name, &c, "2026-11-23");
    assert_eq!(s.deadlines[0].state, DeadlineState::Pending);
    assert_eq!(s.next().unwrap().name, ACKNOWLEDGE);
    assert_eq!(s.days_left, Some(1));
    assert_eq!(s.rag, Some(Rag::Amber));

    let s = today_schedule(name, &c, "2026-11-26");
    assert_eq!(
        s.deadlines[0].state,
        DeadlineState::Overdue { days_late: 2 }
    );
    assert_eq!(s.rag, Some(Rag::Red));

    c.acknowledged.stage1 = Some(d("2026-11-24"));
    let s = today_schedule(name, &c, "2026-11-26");
    assert_eq!(s.deadlines[0].state, DeadlineState::Met);
    assert_eq!(s.next().unwrap().name, RESPOND);
    assert_eq!(s.days_left, Some(6));
    assert_eq!(s.rag, Some(Rag::Green));

    // Acknowledged Wednesday 25th, the day after it was due: one working day late.
    c.acknowledged.stage1 = Some(d("2026-11-25"));
    let s = today_schedule(name, &c, "2026-11-26");
    assert_eq!(
        s.deadlines[0].state,
        DeadlineState::MetLate { days_late: 1 }
    );

    // Response sent a week late, over a weekend: 5 working days late.
    c.responded.stage1 = Some(d("2026-12-11"));
    let s = today_schedule(name, &c, "2026-12-20");
    assert_eq!(
        s.deadlines[1].state,
        DeadlineState::MetLate { days_late: 5 }
    );
    assert!(s.next().is_none());
    assert_eq!((s.days_left, s.rag), (None, None));
}

#[test]
fn late_on_a_non_working_day_is_at_least_one_day_late() {
    // hoc ack due Fri 27 Nov; acknowledged Saturday 28th.
    let mut c = clock(Stage1, "2026-11-20");
    c.acknowledged.stage1 = Some(d("2026-11-28"));
    let s = today_schedule("hoc-2024", &c, "2026-11-28");
    assert_eq!(
        s.deadlines[0].state,
        DeadlineState::MetLate { days_late: 1 }
    );
    let c = clock(Stage1, "2026-11-20");
    let s = today_schedule("hoc-2024", &c, "2026-11-29");
    assert_eq!(
        s.deadlines[0].state,
        DeadlineState::Overdue { days_late: 1 }
    );
    assert_eq!(s.rag, Some(Rag::Red));
}

#[test]
fn rag_thresholds() {
    // hoc ack due Fri 27 Nov 2026.
    let c = clock(Stage1, "2026-11-20");
    for (today, left, rag) in [
        ("2026-11-20", 5, Rag::Green),
        ("2026-11-23", 4, Rag::Green),
        ("2026-11-24", 3, Rag::Green),
        ("2026-11-25", 2, Rag::Amber),
        ("2026-11-26", 1, Rag::Amber),
        ("2026-11-27", 0, Rag::Amber), // due today
        ("2026-11-30", -1, Rag::Red),
    ] {
        let s = today_schedule("hoc-2024", &c, today);
        assert_eq!((s.days_left, s.rag), (Some(left), Some(rag)), "{today}");
    }
    let strict = RagThresholds { amber_within: 4 };
    let s = schedule(
        &profile("hoc-2024"),
        &england(),
        &c,
        d("2026-11-23"),
        &strict,
    )
    .unwrap();
    assert_eq!(s.rag, Some(Rag::Amber));
}

#[test]
fn refusals_for_impossible_clocks() {
    let cal = england();
    let hoc = profile("hoc-2024");
    let stage0 = clock(Stage0, "2026-11-20");
    assert!(matches!(
        plan(&hoc, &cal, &stage0),
        Err(DeadlineError::NoStage0 { .. })
    ));
    let no_escalation = CaseClock::new(Stage2, d("2026-11-20"));
    assert!(matches!(
        plan(&hoc, &cal, &no_escalation),
        Err(DeadlineError::MissingEscalation)
    ));
    let mut early = clock(Stage1, "2026-11-20");
    early.acknowledged.stage1 = Some(d("2026-11-19"));
    assert!(matches!(
        plan(&hoc, &cal, &early),
        Err(DeadlineError::AcknowledgedBeforeStart { .. })
    ));
    let mut early = clock(Stage1, "2026-11-20");
    early.responded.stage1 = Some(d("2026-11-19"));
    assert!(matches!(
        plan(&hoc, &cal, &early),
        Err(DeadlineError::RespondedBeforeStart { .. })
    ));
    let mut backwards = CaseClock::new(Stage2, d("2026-11-20"));
    backwards.escalation_requested = Some(d("2026-11-19"));
    assert!(matches!(
        plan(&hoc, &cal, &backwards),
        Err(DeadlineError::EscalationBeforeReceipt { .. })
    ));
    let outside = clock(Stage1, "2029-03-01");
    assert!(matches!(
        plan(&hoc, &cal, &outside),
        Err(DeadlineError::Calendar(_))
    ));
    let near_end = clock(Stage1, "2028-12-20");
    assert!(plan(&hoc, &cal, &near_end).is_err());
    let ok = clock(Stage1, "2026-11-20");
    assert!(schedule(&hoc, &cal, &ok, d("2030-01-01"), &RagThresholds::default()).is_err());
}

fn grant(stage: Stage, on: &str, length: u32, approved: bool) -> ExtensionGrant {
    ExtensionGrant {
        stage,
        granted_on: d(on),
        length,
        approved_past_cap: approved,
    }
}

fn try_extend(
    name: &str,
    c: &CaseClock,
    length: u32,
    on: &str,
    approved: bool,
) -> Result<NaiveDate, ExtensionRefusal> {
    extend(
        &profile(name),
        &england(),
        c,
        c.stage,
        length,
        d(on),
        approved,
    )
}

#[test]
fn extensions_at_beyond_and_approved_beyond_the_cap() {
    // hoc stage 1: acknowledged Mon 23 Nov, respond due Mon 7 Dec, cap 10 working days.
    let mut c = clock(Stage1, "2026-11-20");
    c.acknowledged.stage1 = Some(d("2026-11-23"));
    assert_eq!(
        try_extend("hoc-2024", &c, 10, "2026-12-07", false).unwrap(),
        d("2026-12-21")
    );
    let refused = try_extend("hoc-2024", &c, 11, "2026-12-01", false).unwrap_err();
    assert!(matches!(
        refused,
        ExtensionRefusal::PastCap {
            total: 11,
            cap: 10,
            ..
        }
    ));
    assert!(refused.to_string().contains("director"), "{refused}");
    assert_eq!(
        try_extend("hoc-2024", &c, 11, "2026-12-01", true).unwrap(),
        d("2026-12-22")
    );
}

#[test]
fn extension_caps_are_cumulative_from_the_original_due_date() {
    let mut c = clock(Stage1, "2026-11-20");
    c.acknowledged.stage1 = Some(d("2026-11-23")); // respond due Mon 7 Dec
    c.extensions.push(grant(Stage1, "2026-12-01", 4, false));
    assert_eq!(
        try_extend("hoc-2024", &c, 6, "2026-12-11", false).unwrap(),
        d("2026-12-21")
    );
    let refused = try_extend("hoc-2024", &c, 7, "2026-12-11", false).unwrap_err();
    assert!(matches!(
        refused,
        ExtensionRefusal::PastCap { total: 11, .. }
    ));
    // The recorded extension moved the due date to Fri 11 Dec: granting after it is too late.
    let late = try_extend("hoc-2024", &c, 1, "2026-12-14", false).unwrap_err();
    assert!(matches!(late, ExtensionRefusal::GrantedAfterDue { .. }));
    let s = today_schedule("hoc-2024", &c, "2026-12-08");
    assert_eq!(s.get(RESPOND).unwrap().state, DeadlineState::Superseded);
    let extended = s.get(RESPOND_EXTENDED).unwrap();
    assert_eq!(
        (extended.due, extended.state),
        (d("2026-12-11"), DeadlineState::Pending)
    );
    assert_eq!(s.next().unwrap().name, RESPOND_EXTENDED);
}

#[test]
fn an_extension_must_be_granted_by_the_due_date_it_extends() {
    let mut c = clock(Stage1, "2026-11-20");
    c.acknowledged.stage1 = Some(d("2026-11-23")); // respond due Mon 7 Dec
    assert!(try_extend("hoc-2024", &c, 5, "2026-12-07", false).is_ok());
    let late = try_extend("hoc-2024", &c, 5, "2026-12-08", false).unwrap_err();
    assert!(matches!(late, ExtensionRefusal::GrantedAfterDue { .. }));
    assert!(late.to_string().contains("2026-12-07"), "{late}");

    // Recorded anyway: ignored, so the response stays late.
    c.extensions.push(grant(Stage1, "2026-12-08", 5, false));
    c.responded.stage1 = Some(d("2026-12-10"));
    let s = today_schedule("hoc-2024", &c, "2026-12-10");
    assert!(s.get(RESPOND_EXTENDED).is_none());
    assert_eq!(
        s.get(RESPOND).unwrap().state,
        DeadlineState::MetLate { days_late: 3 }
    );
    // A response already sent cannot be extended.
    assert!(matches!(
        try_extend("hoc-2024", &c, 1, "2026-12-01", false),
        Err(ExtensionRefusal::AlreadyResponded { .. })
    ));
}

#[test]
fn uncapped_profiles_accept_any_length() {
    // East Kent: "advise you how long the investigation will take" -- no cap. Due Fri 4 Dec.
    let c = clock(Stage1, "2026-11-20");
    assert_eq!(
        try_extend("east-kent-housing", &c, 40, "2026-12-04", false).unwrap(),
        d("2027-02-03")
    );
    // Stage 0 without a timescale has nothing to extend.
    let c0 = clock(Stage0, "2026-11-20");
    assert!(matches!(
        try_extend("east-kent-housing", &c0, 1, "2026-11-20", false),
        Err(ExtensionRefusal::NoRespondDeadline { .. })
    ));
}

#[test]
fn charitable_association_extends_in_calendar_days() {
    // "we may need a further ten days" (stage 1) / "a further 30 days" (stage 2).
    let c1 = clock(Stage1, "2026-11-20"); // respond due Fri 4 Dec
    assert_eq!(
        try_extend("charitable-association", &c1, 10, "2026-12-04", false).unwrap(),
        d("2026-12-14")
    );
    assert!(try_extend("charitable-association", &c1, 11, "2026-12-04", false).is_err());
    let c2 = clock(Stage2, "2026-11-20"); // respond due Fri 18 Dec
                                          // 18 Dec + 30 days = Sun 17 Jan 2027 -> Monday 18 Jan.
    assert_eq!(
        try_extend("charitable-association", &c2, 30, "2026-12-18", false).unwrap(),
        d("2027-01-18")
    );
    // South Essex Homes: "extend response times by ten days" -- calendar days too.
    let seh = clock(Stage1, "2026-11-20"); // due Fri 4 Dec
    assert_eq!(
        try_extend("south-essex-homes", &seh, 10, "2026-12-01", false).unwrap(),
        d("2026-12-14")
    );
}

#[test]
fn other_extension_refusals() {
    let c = clock(Stage1, "2026-11-20");
    assert!(matches!(
        try_extend("hoc-2024", &c, 0, "2026-11-25", false),
        Err(ExtensionRefusal::ZeroLength)
    ));
    assert!(matches!(
        extend(
            &profile("hoc-2024"),
            &england(),
            &c,
            Stage2,
            1,
            d("2026-11-25"),
            false
        ),
        Err(ExtensionRefusal::NotCurrentStage { .. })
    ));
    assert!(matches!(
        try_extend("hoc-2024", &c, 1, "2026-11-19", false),
        Err(ExtensionRefusal::GrantedBeforeStart { .. })
    ));
    assert!(try_extend("hoc-2024", &c, 1, "2031-01-01", false).is_err());
}

#[test]
fn approved_past_cap_extensions_recorded_on_the_case_apply() {
    let mut c = clock(Stage2, "2026-11-20");
    c.acknowledged.stage2 = Some(d("2026-11-23")); // hoc stage 2 respond due Mon 21 Dec
    c.extensions.push(grant(Stage2, "2026-12-21", 25, true));
    c.extensions.push(grant(Stage2, "2026-12-01", 2, false)); // applied first: granted earlier
    let s = today_schedule("hoc-2024", &c, "2026-12-01");
    // 27 working days after 21 Dec 2026.
    let expected = england()
        .add(d("2026-12-21"), 27, Unit::WorkingDays)
        .unwrap();
    assert_eq!(s.get(RESPOND_EXTENDED).unwrap().due, expected);
}

fn any_clock() -> impl Strategy<Value = (usize, Stage, NaiveDate, u32, Option<u32>, bool)> {
    (
        0..PROFILES.len(),
        prop_oneof![Just(Stage0), Just(Stage1), Just(Stage2)],
        (0u64..5700).prop_map(|o| d("2012-01-01") + chrono::Days::new(o)),
        0u32..30,
        proptest::option::of(0u32..15),
        any::<bool>(),
    )
}

proptest! {
    #[test]
    fn every_due_date_is_a_working_day_not_before_its_start(
        (index, stage, start, escalate_after, ack_after, hs) in any_clock(),
    ) {
        let set = policies();
        let p = set.get(PROFILES[index].0).unwrap();
        let cal = england();
        let mut c = CaseClock::new(stage, start);
        c.health_and_safety = hs;
        let stage_start = if stage == Stage2 {
            let escalated = start + chrono::Days::new(u64::from(escalate_after));
            c.escalation_requested = Some(escalated);
            escalated
        } else {
            start
        };
        *c.acknowledged.get_mut(stage) =
            ack_after.map(|n| stage_start + chrono::Days::new(u64::from(n)));
        match plan(p, &cal, &c) {
            Ok(deadlines) => {
                for deadline in deadlines {
                    prop_assert!(cal.is_working_day(deadline.due).unwrap());
                    prop_assert!(deadline.due >= deadline.start);
                    prop_assert!(deadline.due >= stage_start);
                }
            }
            Err(DeadlineError::NoStage0 { .. }) => prop_assert!(!p.has_stage0()),
            Err(other) => prop_assert!(false, "unexpected error {other}"),
        }
    }
}
