use super::*;
use crate::rules::test_support::{d, policies, profile, PROFILES};
use ClockStart::{Acknowledgement as Ack, EscalationRequest as Esc, Receipt};
use DeadlineKind::{Acknowledge, Respond};
use Stage::{Stage0, Stage1, Stage2};
use Unit::{CalendarDays as CD, WorkingDays as WD};

fn rule(length: u32, unit: Unit, clock_start: ClockStart) -> Option<DeadlineRule> {
    Some(DeadlineRule {
        length,
        unit,
        clock_start,
    })
}

#[test]
fn every_shipped_profile_loads() {
    let set = policies();
    assert_eq!(
        set.names(),
        [
            "charitable-association",
            "east-kent-housing",
            "hoc-2024",
            "housing-customer-feedback",
            "south-essex-homes",
            "south-essex-homes-stages",
        ]
    );
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/config/policies");
    let from_disk = PolicySet::load_dir(Path::new(dir)).unwrap();
    assert_eq!(from_disk.names(), set.names());
    assert_eq!(from_disk.get("hoc-2024"), set.get("hoc-2024"));
    assert!(set.get("nope").is_none());
}

/// (profile, stage, deadline, expected rule) -- each row cites its source.
#[test]
fn timescales_match_their_sources() {
    let table = [
        // hoc-2024, SPEC section 4: "acknowledge 5 wd from receipt; stage 1 response 10 wd
        // from acknowledgement ... stage 2 acknowledge 5 wd from escalation request, response
        // 20 wd from acknowledgement"
        ("hoc-2024", Stage1, Acknowledge, rule(5, WD, Receipt)),
        ("hoc-2024", Stage1, Respond, rule(10, WD, Ack)),
        ("hoc-2024", Stage2, Acknowledge, rule(5, WD, Esc)),
        ("hoc-2024", Stage2, Respond, rule(20, WD, Ack)),
        // south-essex-homes: "Logging and acknowledgement of complaint (Informal/Formal) – 5
        // working days." "Stage Zero Informal complaint decision – 10 working days from
        // receipt" "Stage One Formal Complaint decision – 10 working days from receipt of
        // complaint" "Stage Two Formal Complaint response – 20 working days from request to
        // escalate"
        (
            "south-essex-homes",
            Stage0,
            Acknowledge,
            rule(5, WD, Receipt),
        ),
        ("south-essex-homes", Stage0, Respond, rule(10, WD, Receipt)),
        (
            "south-essex-homes",
            Stage1,
            Acknowledge,
            rule(5, WD, Receipt),
        ),
        ("south-essex-homes", Stage1, Respond, rule(10, WD, Receipt)),
        ("south-essex-homes", Stage2, Acknowledge, rule(5, WD, Esc)),
        ("south-essex-homes", Stage2, Respond, rule(20, WD, Esc)),
        // south-essex-homes-stages: "send you an acknowledgement letter within 2 working days"
        // "a full response within 10 working days" "The Director or Group Manager will respond
        // to you within 10 working days." (no stage 2 acknowledgement timescale)
        (
            "south-essex-homes-stages",
            Stage1,
            Acknowledge,
            rule(2, WD, Receipt),
        ),
        (
            "south-essex-homes-stages",
            Stage1,
            Respond,
            rule(10, WD, Receipt),
        ),
        ("south-essex-homes-stages", Stage2, Acknowledge, None),
        (
            "south-essex-homes-stages",
            Stage2,
            Respond,
            rule(10, WD, Esc),
        ),
        // east-kent-housing 4.1.1 (no first-point timescale), 4.2.1 "acknowledged within two
        // working days from the date of receipt", 4.2.2 "within ten working days from the date
        // of receipt", 4.3.2 "within ten working days from the date of receipt of your stage
        // two request"
        ("east-kent-housing", Stage0, Acknowledge, None),
        ("east-kent-housing", Stage0, Respond, None),
        (
            "east-kent-housing",
            Stage1,
            Acknowledge,
            rule(2, WD, Receipt),
        ),
        ("east-kent-housing", Stage1, Respond, rule(10, WD, Receipt)),
        ("east-kent-housing", Stage2, Acknowledge, rule(2, WD, Esc)),
        ("east-kent-housing", Stage2, Respond, rule(10, WD, Esc)),
        // housing-customer-feedback: "we will acknowledge this within 5 working days ... at
        // both stages" "a response to your complaint within 10 working days" "A stage 2
        // complaint will be responded to within 20 working days."
        (
            "housing-customer-feedback",
            Stage1,
            Acknowledge,
            rule(5, WD, Receipt),
        ),
        (
            "housing-customer-feedback",
            Stage1,
            Respond,
            rule(10, WD, Receipt),
        ),
        (
            "housing-customer-feedback",
            Stage2,
            Acknowledge,
            rule(5, WD, Esc),
        ),
        (
            "housing-customer-feedback",
            Stage2,
            Respond,
            rule(20, WD, Esc),
        ),
        // charitable-association: no acknowledgement timescale; "within ten working days";
        // "within 20 working days"
        ("charitable-association", Stage1, Acknowledge, None),
        (
            "charitable-association",
            Stage1,
            Respond,
            rule(10, WD, Receipt),
        ),
        ("charitable-association", Stage2, Acknowledge, None),
        ("charitable-association", Stage2, Respond, rule(20, WD, Esc)),
    ];
    for (name, stage, kind, expected) in table {
        let actual = profile(name).deadline_rule(stage, kind, false);
        assert_eq!(actual, expected, "{name} {stage} {kind:?}");
    }
}

/// (profile, stage0, solicitors, exclusion months, caps at stages 1 and 2)
#[test]
fn profile_level_rules_match_their_sources() {
    type Cap = Option<(u32, Unit)>;
    type Row = (&'static str, bool, bool, Option<u32>, Cap, Cap);
    let table: [Row; 6] = [
        // SPEC: "extension cap 10 wd ... cap 20 wd; exclusion limit 12 months; no stage 0"
        (
            "hoc-2024",
            false,
            true,
            Some(12),
            Some((10, WD)),
            Some((20, WD)),
        ),
        // "extend response times by ten days at stages 1 and 2"; "occurred over six months ago"
        (
            "south-essex-homes",
            true,
            true,
            Some(6),
            Some((10, CD)),
            Some((10, CD)),
        ),
        // No cap and no exclusion limit stated.
        ("south-essex-homes-stages", false, true, None, None, None),
        // "we do not accept the use of lawyers"; new date, no cap; no time limit.
        ("east-kent-housing", true, false, None, None, None),
        // "your complaint exceeds the time limit" (the Code's 12 months); new date, no cap.
        (
            "housing-customer-feedback",
            false,
            true,
            Some(12),
            None,
            None,
        ),
        // "a further ten days" / "a further 30 days"; no time limit.
        (
            "charitable-association",
            false,
            true,
            None,
            Some((10, CD)),
            Some((30, CD)),
        ),
    ];
    for (name, stage0, solicitors, months, cap1, cap2) in table {
        let p = profile(name);
        assert_eq!(p.has_stage0(), stage0, "{name} has_stage0");
        assert_eq!(p.stage(Stage0).is_some(), stage0, "{name} stage0 rules");
        assert_eq!(p.accepts_solicitors(), solicitors, "{name} solicitors");
        assert_eq!(p.exclusion_limit_months(), months, "{name} exclusion");
        assert_eq!(p.extension_cap(Stage1), cap1, "{name} stage1 cap");
        assert_eq!(p.extension_cap(Stage2), cap2, "{name} stage2 cap");
        assert!(!p.display_name().is_empty() && !p.source().is_empty());
    }
    // south-essex-homes stage 0: "an explanation and a date" -- no cap, working days.
    let seh = profile("south-essex-homes");
    assert_eq!(seh.extension_cap(Stage0), None);
    assert_eq!(seh.extension_unit(Stage0), WD);
    assert_eq!(profile("charitable-association").extension_unit(Stage2), CD);
    assert_eq!(profile("east-kent-housing").extension_unit(Stage1), WD);
    let reason = profile("east-kent-housing")
        .solicitor_refusal_reason()
        .unwrap()
        .to_string();
    assert!(reason.contains("litigation"), "{reason}");
    assert_eq!(profile("hoc-2024").solicitor_refusal_reason(), None);
}

#[test]
fn east_kent_health_and_safety_rule_replaces_stage_0_and_1_deadlines() {
    // "Any complaints relating to Health and Safety concerns will be acknowledged immediately
    // and an appropriate response made within three working days."
    let ekh = profile("east-kent-housing");
    for stage in [Stage0, Stage1] {
        assert_eq!(
            ekh.deadline_rule(stage, Acknowledge, true),
            rule(0, WD, Receipt)
        );
        assert_eq!(
            ekh.deadline_rule(stage, Respond, true),
            rule(3, WD, Receipt)
        );
    }
    assert_eq!(ekh.deadline_rule(Stage2, Respond, true), rule(10, WD, Esc));
    // Elsewhere the flag is only a priority marker.
    let hoc = profile("hoc-2024");
    assert!(hoc.health_and_safety().is_none());
    assert_eq!(hoc.deadline_rule(Stage1, Respond, true), rule(10, WD, Ack));
}

fn load_error(text: &str) -> String {
    PolicyProfile::from_toml("broken", text)
        .unwrap_err()
        .to_string()
}

const MINIMAL: &str = r#"
display_name = "x"
source = "y"
has_stage0 = false
accepts_solicitors = true
[stage1.respond]
length = 10
unit = "working_days"
clock_start = "receipt"
[stage2]
"#;

#[test]
fn invalid_profiles_fail_naming_file_and_key() {
    assert!(PolicyProfile::from_toml("ok", MINIMAL).is_ok());

    let typo = load_error(&MINIMAL.replace("length = 10", "lenght = 10"));
    assert!(
        typo.contains("broken.toml") && typo.contains("lenght"),
        "{typo}"
    );

    let unknown_top = load_error(&format!("exclusion_months = 6\n{MINIMAL}"));
    assert!(unknown_top.contains("exclusion_months"), "{unknown_top}");

    let bad_unit = load_error(&MINIMAL.replace("\"working_days\"", "\"weekdays\""));
    assert!(bad_unit.contains("weekdays"), "{bad_unit}");

    let missing = load_error(&MINIMAL.replace("source = \"y\"\n", ""));
    assert!(missing.contains("source"), "{missing}");

    let stage0 = load_error(&format!("{MINIMAL}[stage0]\n"));
    assert!(stage0.contains("has_stage0"), "{stage0}");

    let no_ack = load_error(&MINIMAL.replace("\"receipt\"", "\"acknowledgement\""));
    assert!(no_ack.contains("stage1.respond.clock_start"), "{no_ack}");

    let receipt_at_stage2 = load_error(&format!(
        "{MINIMAL}[stage2.respond]\nlength = 1\nunit = \"working_days\"\nclock_start = \"receipt\"\n"
    ));
    assert!(
        receipt_at_stage2.contains("stage2.respond"),
        "{receipt_at_stage2}"
    );

    let no_reason =
        load_error(&MINIMAL.replace("accepts_solicitors = true", "accepts_solicitors = false"));
    assert!(
        no_reason.contains("solicitor_refusal_reason"),
        "{no_reason}"
    );

    let duplicate = PolicySet::from_named_strs(&[("a", MINIMAL), ("a", MINIMAL)]);
    assert!(matches!(duplicate, Err(PolicyError::Duplicate(_))));
}

#[test]
fn load_dir_names_the_failing_file() {
    let dir = std::env::temp_dir().join(format!("redress-policy-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("good.toml"), MINIMAL).unwrap();
    std::fs::write(dir.join("notes.txt"), "ignored").unwrap();
    assert_eq!(PolicySet::load_dir(&dir).unwrap().names(), ["good"]);
    std::fs::write(dir.join("bad.toml"), MINIMAL.replace("length", "len")).unwrap();
    let message = PolicySet::load_dir(&dir).unwrap_err().to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        message.contains("bad.toml") && message.contains("len"),
        "{message}"
    );
    assert!(PolicySet::load_dir(Path::new("/nonexistent-policies")).is_err());
}

#[test]
fn every_number_in_the_shipped_files_carries_a_comment() {
    for (name, text) in PROFILES {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let key = line.split('=').next().unwrap_or("").trim();
            if ["length", "cap", "exclusion_limit_months"].contains(&key) {
                let commented = lines[..i]
                    .iter()
                    .rev()
                    .take_while(|l| !l.trim().is_empty() && !l.starts_with('['))
                    .any(|l| l.trim_start().starts_with('#'));
                assert!(commented, "{name}.toml line {}: {line}", i + 1);
            }
        }
    }
}

#[test]
fn exclusion_limit_counts_calendar_months_from_the_later_date() {
    let seh = profile("south-essex-homes"); // six months
    let hoc = profile("hoc-2024"); // twelve months
    let cases = [
        // (profile, occurred, aware, received, outside)
        (&seh, "2025-08-31", None, "2026-02-28", false), // end of February is the limit
        (&seh, "2025-08-31", None, "2026-03-01", true),
        (&seh, "2023-08-31", None, "2024-02-29", false), // leap year
        (&seh, "2025-03-15", None, "2025-09-15", false), // exactly at the limit
        (&seh, "2025-03-15", None, "2025-09-16", true),
        (&seh, "2025-01-10", Some("2025-06-01"), "2025-11-30", false), // awareness later
        (&seh, "2025-06-01", Some("2025-01-10"), "2025-12-02", true),  // earlier awareness ignored
        (&hoc, "2025-03-15", None, "2026-03-15", false),
        (&hoc, "2025-03-15", None, "2026-03-16", true),
    ];
    for (p, occurred, aware, received, outside) in cases {
        assert_eq!(
            outside_exclusion_limit(p, d(occurred), aware.map(d), d(received)),
            outside,
            "{} {occurred} {aware:?} {received}",
            p.name
        );
    }
    assert_eq!(
        exclusion_limit_date(&seh, d("2025-08-31"), None),
        Some(d("2026-02-28"))
    );
    let ekh = profile("east-kent-housing");
    assert_eq!(exclusion_limit_date(&ekh, d("2025-08-31"), None), None);
    assert!(!outside_exclusion_limit(
        &ekh,
        d("2015-01-01"),
        None,
        d("2026-01-01")
    ));
}

#[test]
fn an_escalation_window_is_optional_and_none_is_shipped() {
    let with = MINIMAL.replace(
        "[stage1.respond]",
        "[escalate_within]\nlength = 15\n[stage1.respond]",
    );
    let windowed = PolicyProfile::from_toml("with", &with).unwrap();
    assert_eq!(
        windowed.escalate_within(),
        Some(EscalationWindow {
            length: 15,
            unit: Unit::WorkingDays
        })
    );
    let unknown = with.replace("length = 15", "length = 15\ndays = 3");
    assert!(PolicyProfile::from_toml("unknown", &unknown).is_err());
    for (name, _) in PROFILES {
        assert_eq!(profile(name).escalate_within(), None, "{name}");
    }
}
