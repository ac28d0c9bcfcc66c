//! `redress deadlines` run as a real process (SPEC section 8): JSON on stdout, or a refusal
//! on stderr with nothing on stdout and exit code 2.

use std::process::{Command, Output};

fn redress_deadlines(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_redress"))
        .arg("deadlines")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run redress")
}

/// Runs the command expecting success and returns stdout, trimmed.
fn schedule_json(args: &[&str]) -> String {
    let out = redress_deadlines(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8 stdout")
        .trim()
        .to_string()
}

/// Runs the command expecting a refusal and returns stderr.
fn refusal(args: &[&str]) -> String {
    let out = redress_deadlines(args);
    assert_eq!(out.status.code(), Some(2), "{args:?} should be refused");
    assert!(
        out.stdout.is_empty(),
        "{args:?} printed on stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!stderr.trim().is_empty(), "{args:?} gave no message");
    stderr
}

#[test]
fn spec_example_shape_for_the_code_at_stage_1() {
    assert_eq!(
        schedule_json(&[
            "--policy",
            "hoc-2024",
            "--stage",
            "stage1",
            "--received",
            "2026-11-20"
        ]),
        r#"{"policy":"hoc-2024","stage":"stage1","deadlines":[{"name":"acknowledge","due":"2026-11-27","provisional":false},{"name":"respond","due":"2026-12-11","provisional":true}]}"#
    );
}

#[test]
fn spec_worked_examples_weekend_and_christmas() {
    for (received, ack_due) in [("2026-11-21", "2026-11-30"), ("2026-12-23", "2027-01-04")] {
        let json = schedule_json(&[
            "--policy",
            "hoc-2024",
            "--stage",
            "stage1",
            "--received",
            received,
        ]);
        let expected = format!(r#"{{"name":"acknowledge","due":"{ack_due}","provisional":false}}"#);
        assert!(json.contains(&expected), "{received}: {json}");
    }
}

#[test]
fn acknowledgement_given_makes_the_response_firm() {
    assert_eq!(
        schedule_json(&[
            "--policy",
            "hoc-2024",
            "--stage",
            "stage1",
            "--received",
            "2026-11-20",
            "--acknowledged",
            "2026-11-23"
        ]),
        r#"{"policy":"hoc-2024","stage":"stage1","deadlines":[{"name":"acknowledge","due":"2026-11-27","provisional":false},{"name":"respond","due":"2026-12-07","provisional":false}]}"#
    );
}

#[test]
fn stage_2_counts_from_the_escalation_request() {
    assert_eq!(
        schedule_json(&[
            "--policy",
            "hoc-2024",
            "--stage",
            "stage2",
            "--received",
            "2026-10-01",
            "--escalated",
            "2026-11-20"
        ]),
        r#"{"policy":"hoc-2024","stage":"stage2","deadlines":[{"name":"acknowledge","due":"2026-11-27","provisional":false},{"name":"respond","due":"2026-12-29","provisional":true}]}"#
    );
}

#[test]
fn profile_without_acknowledgement_timescale_prints_no_acknowledge_entry() {
    assert_eq!(
        schedule_json(&[
            "--policy",
            "charitable-association",
            "--stage",
            "stage1",
            "--received",
            "2026-11-20"
        ]),
        r#"{"policy":"charitable-association","stage":"stage1","deadlines":[{"name":"respond","due":"2026-12-04","provisional":false}]}"#
    );
}

#[test]
fn extension_within_and_past_the_cap() {
    let base = [
        "--policy",
        "hoc-2024",
        "--stage",
        "stage1",
        "--received",
        "2026-11-20",
        "--acknowledged",
        "2026-11-23",
        "--extend",
    ];
    let at_cap = schedule_json(&[&base[..], &["10"]].concat());
    assert!(
        at_cap.ends_with(r#"{"name":"respond_extended","due":"2026-12-21","provisional":false}]}"#),
        "{at_cap}"
    );
    let message = refusal(&[&base[..], &["11"]].concat());
    assert!(message.contains("cap"), "{message}");
    let approved = schedule_json(&[&base[..], &["11", "--approved"]].concat());
    assert!(approved.contains(r#""due":"2026-12-22""#), "{approved}");
}

#[test]
fn charitable_association_extends_in_calendar_days() {
    let json = schedule_json(&[
        "--policy",
        "charitable-association",
        "--stage",
        "stage2",
        "--escalated",
        "2026-11-20",
        "--extend",
        "30",
    ]);
    assert_eq!(
        json,
        r#"{"policy":"charitable-association","stage":"stage2","deadlines":[{"name":"respond","due":"2026-12-18","provisional":false},{"name":"respond_extended","due":"2027-01-18","provisional":false}]}"#
    );
}

#[test]
fn uncapped_profile_accepts_any_extension() {
    let json = schedule_json(&[
        "--policy",
        "east-kent-housing",
        "--stage",
        "stage1",
        "--received",
        "2026-11-20",
        "--extend",
        "40",
    ]);
    assert!(
        json.contains(r#""respond_extended","due":"2027-02-03""#),
        "{json}"
    );
}

#[test]
fn health_and_safety_and_region() {
    let json = schedule_json(&[
        "--policy",
        "east-kent-housing",
        "--stage",
        "stage0",
        "--received",
        "2026-11-20",
        "--health-safety",
    ]);
    assert_eq!(
        json,
        r#"{"policy":"east-kent-housing","stage":"stage0","deadlines":[{"name":"acknowledge","due":"2026-11-20","provisional":false},{"name":"respond","due":"2026-11-25","provisional":false}]}"#
    );
    let scotland = schedule_json(&[
        "--policy",
        "hoc-2024",
        "--stage",
        "stage1",
        "--received",
        "2026-12-23",
        "--region",
        "scotland",
    ]);
    assert!(scotland.contains(r#""due":"2027-01-05""#), "{scotland}");
}

#[test]
fn refusals_exit_2_with_nothing_on_stdout() {
    let cases: [(&[&str], &str); 9] = [
        (
            &[
                "--policy",
                "nope",
                "--stage",
                "stage1",
                "--received",
                "2026-11-20",
            ],
            "nope",
        ),
        (
            &[
                "--policy",
                "hoc-2024",
                "--stage",
                "stage0",
                "--received",
                "2026-11-20",
            ],
            "stage 0",
        ),
        (
            &[
                "--policy",
                "hoc-2024",
                "--stage",
                "stage2",
                "--received",
                "2026-11-20",
            ],
            "--escalated",
        ),
        (
            &[
                "--policy",
                "hoc-2024",
                "--stage",
                "stage1",
                "--received",
                "2026-02-30",
            ],
            "2026-02-30",
        ),
        (
            &[
                "--policy",
                "hoc-2024",
                "--stage",
                "stage1",
                "--received",
                "2030-01-01",
            ],
            "2030-01-01",
        ),
        (
            &[
                "--policy",
                "hoc-2024",
                "--stage",
                "stage1",
                "--received",
                "2026-11-20",
                "--acknowledged",
                "2026-11-19",
            ],
            "acknowledged",
        ),
        (
            &[
                "--policy",
                "hoc-2024",
                "--stage",
                "stage2",
                "--received",
                "2026-11-20",
                "--escalated",
                "2026-11-19",
            ],
            "escalation",
        ),
        (
            &[
                "--policy",
                "hoc-2024",
                "--stage",
                "stage1",
                "--received",
                "2026-11-20",
                "--region",
                "wales",
            ],
            "wales",
        ),
        (&["--policy", "hoc-2024", "--stage", "stage1"], "--received"),
    ];
    for (args, mentions) in cases {
        let message = refusal(args);
        assert!(message.contains(mentions), "{args:?}: {message}");
    }
}
