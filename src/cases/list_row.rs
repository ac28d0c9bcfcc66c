//! What a work-list row says about where its case stands: the stage and step (the same
//! [`StageAndStep`] the case page shows, from the row's own facts) and the name of the
//! deadline its next due date belongs to.

use crate::db::work_lists::WorkListRow;
use crate::domain::case::{DecisionProgress, StageAndStep, Status, Step, StepFacts};
use crate::rules::policy::DeadlineKind;
use crate::rules::{PolicySet, Stage};

/// The row's facts for [`StageAndStep`]. A stage whose policy asks for no acknowledgement
/// counts as acknowledged; an unknown policy is taken to ask for one (the safer reading).
pub fn step_facts(row: &WorkListRow, policies: &PolicySet) -> StepFacts {
    let acknowledgement_needed = row.stage.is_none_or(|stage| {
        policies.get(&row.policy).is_none_or(|profile| {
            profile
                .deadline_rule(stage, DeadlineKind::Acknowledge, row.health_and_safety)
                .is_some()
        })
    });
    StepFacts {
        status: row.status,
        stage: row.stage,
        acknowledged: row.acknowledged_on.is_some() || !acknowledgement_needed,
        assigned: row.assignee.is_some(),
        decision: match row.decision {
            None => DecisionProgress::NotStarted,
            Some(d) => DecisionProgress::of(Some(d.decided), d.compensation),
        },
    }
}

pub fn stage_and_step(row: &WorkListRow, policies: &PolicySet) -> StageAndStep {
    StageAndStep::of(&step_facts(row, policies))
}

/// The next deadline's name, as the case page names it ("Acknowledge", "Respond"): the
/// acknowledgement while it is owed (a case awaiting triage is on its provisional stage 1
/// clock), the response after. `None` without a next deadline.
pub fn next_deadline_name(row: &WorkListRow, policies: &PolicySet) -> Option<&'static str> {
    row.next_due_on?;
    let facts = step_facts(row, policies);
    let acknowledging = match facts.status {
        Status::Received => {
            row.acknowledged_on.is_none()
                && policies.get(&row.policy).is_none_or(|p| {
                    p.deadline_rule(
                        Stage::Stage1,
                        DeadlineKind::Acknowledge,
                        row.health_and_safety,
                    )
                    .is_some()
                })
        }
        _ => Step::of(&facts) == Step::Acknowledge,
    };
    Some(if acknowledging {
        "Acknowledge"
    } else {
        "Respond"
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use chrono::NaiveDate;

    use super::*;
    use crate::db::work_lists::CurrentDecision;
    use crate::domain::case::CompensationStatus;

    fn policies() -> PolicySet {
        PolicySet::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config/policies"))
            .expect("the shipped policies load")
    }

    fn row(policy: &str, status: Status, stage: Option<Stage>) -> WorkListRow {
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        WorkListRow {
            reference: "CMP-2026-000001".into(),
            version: 1,
            complainant: "Ella Patel".into(),
            status,
            stage,
            service_area: None,
            assignee: None,
            case_officer: None,
            received_on: day,
            next_due_on: Some(day),
            health_and_safety: false,
            safeguarding: false,
            confidential: false,
            adjustments: false,
            interpreter: false,
            policy: policy.into(),
            acknowledged_on: None,
            decision: None,
        }
    }

    fn said(row: &WorkListRow) -> (String, Option<&'static str>) {
        let policies = policies();
        (
            stage_and_step(row, &policies).to_string(),
            next_deadline_name(row, &policies),
        )
    }

    #[test]
    fn a_row_reads_as_its_stage_step_and_next_deadline() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
        let open = row("hoc-2024", Status::Stage1Open, Some(Stage::Stage1));
        assert_eq!(
            said(&open),
            ("Stage 1: to acknowledge".into(), Some("Acknowledge"))
        );
        let acknowledged = WorkListRow {
            acknowledged_on: Some(day),
            ..open.clone()
        };
        assert_eq!(
            said(&acknowledged),
            ("Stage 1: to assign".into(), Some("Respond"))
        );
        let drafting = WorkListRow {
            assignee: Some("Tom Fielding".into()),
            decision: Some(CurrentDecision {
                decided: false,
                compensation: CompensationStatus::None,
            }),
            ..acknowledged.clone()
        };
        assert_eq!(said(&drafting).0, "Stage 1: drafting the response");
        let approval = WorkListRow {
            decision: Some(CurrentDecision {
                decided: true,
                compensation: CompensationStatus::AwaitingApproval,
            }),
            ..drafting.clone()
        };
        assert_eq!(said(&approval).0, "Stage 1: awaiting approval");
        let triage = row("hoc-2024", Status::Received, None);
        assert_eq!(
            said(&triage),
            ("Awaiting triage".into(), Some("Acknowledge"))
        );
        let closed = WorkListRow {
            next_due_on: None,
            ..row("hoc-2024", Status::Closed, Some(Stage::Stage2))
        };
        assert_eq!(said(&closed), ("Closed at stage 2".into(), None));
    }

    #[test]
    fn a_stage_its_policy_does_not_acknowledge_goes_straight_to_assigning() {
        let policies = policies();
        let profile = policies.get("charitable-association").expect("profile");
        assert!(profile
            .deadline_rule(Stage::Stage1, DeadlineKind::Acknowledge, false)
            .is_none());
        let open = row(
            "charitable-association",
            Status::Stage1Open,
            Some(Stage::Stage1),
        );
        assert_eq!(said(&open), ("Stage 1: to assign".into(), Some("Respond")));
    }
}
