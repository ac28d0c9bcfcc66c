//! Where each step of a stage is done: one route per job, so the case page's task list, its
//! next-step button and any other link agree. The clock-stopping steps (acknowledgement,
//! response) are done in their letter: sent from Redress in the letter editor, or, from the
//! same page, "Record a letter sent elsewhere" (`…/sent-elsewhere`).

use crate::domain::case::Step;
use crate::domain::letter_kind::LetterKind;
use crate::rules::Stage;

/// The step's path under `/cases/{reference}/`; `None` when it has no page of its own (a
/// director approves compensation from the case page; a closed or referred case has no
/// next step), or, for the letters, when the stage has no such letter.
pub fn path(step: Step, stage: Option<Stage>) -> Option<String> {
    match step {
        Step::Triage => Some("triage".into()),
        Step::Acknowledge => stage
            .and_then(LetterKind::acknowledgement)
            .map(|kind| format!("letters/{kind}")),
        Step::Assign => Some("assign".into()),
        Step::Investigate => Some("notes".into()),
        Step::DraftResponse => Some("decision".into()),
        Step::Approval | Step::Referred | Step::Closed => None,
        Step::SendResponse => stage.map(|s| format!("letters/{}", LetterKind::response(s))),
    }
}

/// "Record a letter sent elsewhere" for a clock-stopping step, under `/cases/{reference}/`.
pub fn sent_elsewhere_path(step: Step, stage: Option<Stage>) -> Option<String> {
    match step {
        Step::Acknowledge | Step::SendResponse => {
            path(step, stage).map(|p| format!("{p}/sent-elsewhere"))
        }
        _ => None,
    }
}

/// The full address of the step on the case `reference`.
pub fn url(reference: &str, step: Step, stage: Option<Stage>) -> Option<String> {
    path(step, stage).map(|p| format!("/cases/{reference}/{p}"))
}

/// The extension letter, where the case team lands after extending the response date.
pub fn extension_letter(reference: &str) -> String {
    format!("/cases/{reference}/letters/{}", LetterKind::Extension)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_stopping_steps_are_done_in_their_letters() {
        assert_eq!(
            url("CMP-2026-000001", Step::Acknowledge, Some(Stage::Stage1)).as_deref(),
            Some("/cases/CMP-2026-000001/letters/stage1_acknowledgement")
        );
        assert_eq!(
            path(Step::Acknowledge, Some(Stage::Stage2)).as_deref(),
            Some("letters/stage2_acknowledgement")
        );
        assert_eq!(path(Step::Acknowledge, Some(Stage::Stage0)), None);
        assert_eq!(
            path(Step::SendResponse, Some(Stage::Stage0)).as_deref(),
            Some("letters/stage0_decision")
        );
        assert_eq!(
            sent_elsewhere_path(Step::SendResponse, Some(Stage::Stage1)).as_deref(),
            Some("letters/stage1_response/sent-elsewhere")
        );
        assert_eq!(sent_elsewhere_path(Step::Assign, Some(Stage::Stage1)), None);
    }
}
