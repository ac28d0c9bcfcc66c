//! Independence at stage 2 (Housing Ombudsman Complaint Handling Code 2024, 6.13: the person
//! who reviews a complaint at stage 2 is not the person who handled it at stage 1). An access
//! rule beside `cases::access`: who may be assigned a stage 2 review. Anyone who drafted,
//! approved or handled anything on the case before it was escalated — assigned it, drafted
//! or sent its decision, approved or answered its compensation or a contact restriction,
//! or recorded anything else on its timeline — is not independent of it. The assign form
//! leaves them out and the assignment refuses them, naming why.

use chrono::NaiveDate;

use crate::cases::load::LoadedCase;
use crate::domain::{CaseEvent, UserId};
use crate::rules::Stage;

/// What someone did on the case before stage 2, most telling first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    ApprovedCompensation,
    AnsweredApproval,
    ApprovedRestriction,
    Drafted,
    Responded,
    Assigned,
    Worked,
}

impl Part {
    fn words(self) -> &'static str {
        match self {
            Part::ApprovedCompensation => "approved the stage 1 compensation",
            Part::AnsweredApproval => "decided on a stage 1 request for approval",
            Part::ApprovedRestriction => "approved a contact restriction at stage 1",
            Part::Drafted => "drafted the stage 1 decision",
            Part::Responded => "sent the stage 1 response",
            Part::Assigned => "was assigned the complaint at stage 1",
            Part::Worked => "worked on the complaint at stage 1",
        }
    }
}

/// One thing someone did before stage 2, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EarlierPart {
    pub who: UserId,
    pub part: Part,
    pub on: NaiveDate,
}

/// Everything each person did on `case` before it was first escalated to stage 2, from its
/// timeline.
pub fn before_stage2(case: &LoadedCase) -> Vec<EarlierPart> {
    let mut parts = Vec::new();
    for row in &case.events {
        let Some(event) = row.event() else { continue };
        if matches!(event, CaseEvent::Escalation { .. }) {
            break;
        }
        let on = row.occurred_on;
        if let CaseEvent::Assigned { manager, .. } = event {
            parts.push(EarlierPart {
                who: manager,
                part: Part::Assigned,
                on,
            });
        }
        let Some(actor) = row.actor_id else { continue };
        let part = match event {
            CaseEvent::CompensationApproved { .. } => Part::ApprovedCompensation,
            CaseEvent::ApprovalAnswered { .. } | CaseEvent::RestrictionDeclined { .. } => {
                Part::AnsweredApproval
            }
            CaseEvent::Restriction { .. } => Part::ApprovedRestriction,
            CaseEvent::DecisionDrafted { .. } => Part::Drafted,
            CaseEvent::Response {
                stage: Stage::Stage1,
                ..
            } => Part::Responded,
            _ => Part::Worked,
        };
        parts.push(EarlierPart {
            who: actor,
            part,
            on,
        });
    }
    parts
}

/// Why `who` (called `name`) may not review the case at stage 2, given what was done on it
/// before; `None` when they are independent of it. Names the most telling thing they did,
/// the first time they did it.
pub fn stage2_problem(who: UserId, name: &str, earlier: &[EarlierPart]) -> Option<String> {
    let theirs = earlier
        .iter()
        .filter(|p| p.who == who)
        .min_by_key(|p| (p.part, p.on))?;
    Some(format!(
        "{name} {} on {}, so cannot review the complaint at stage 2: the Complaint Handling Code (6.13) asks for someone who did not handle stage 1. Choose another director",
        theirs.part.words(),
        theirs.on.format("%-d %B %Y")
    ))
}

/// In a few words, the most telling thing `who` did on the case before stage 2; `None` when
/// they are independent of it. For lists that say why someone is not offered.
pub fn stage2_part(who: UserId, earlier: &[EarlierPart]) -> Option<&'static str> {
    earlier
        .iter()
        .filter(|p| p.who == who)
        .min_by_key(|p| (p.part, p.on))
        .map(|p| p.part.words())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn part(who: i32, part: Part, on: NaiveDate) -> EarlierPart {
        EarlierPart {
            who: UserId(who),
            part,
            on,
        }
    }

    #[test]
    fn a_director_who_approved_stage_1_compensation_is_named_with_the_date() {
        let earlier = [
            part(4, Part::Worked, d(2026, 2, 20)),
            part(4, Part::ApprovedCompensation, d(2026, 3, 3)),
            part(5, Part::Assigned, d(2026, 2, 1)),
        ];
        let why = stage2_problem(UserId(4), "Martin Hale", &earlier).unwrap();
        assert!(
            why.starts_with("Martin Hale approved the stage 1 compensation on 3 March 2026"),
            "{why}"
        );
        assert!(stage2_part(UserId(4), &earlier).is_some());
    }

    #[test]
    fn anyone_who_handled_stage_1_is_refused_and_others_are_not() {
        let earlier = [
            part(5, Part::Assigned, d(2026, 2, 1)),
            part(6, Part::Drafted, d(2026, 2, 9)),
            part(7, Part::Worked, d(2026, 2, 10)),
        ];
        assert!(stage2_problem(UserId(5), "Sophie", &earlier)
            .unwrap()
            .contains("was assigned the complaint at stage 1 on 1 February 2026"));
        assert!(stage2_problem(UserId(6), "Dana", &earlier)
            .unwrap()
            .contains("drafted the stage 1 decision"));
        assert!(stage2_problem(UserId(7), "Eve", &earlier).is_some());
        assert_eq!(stage2_problem(UserId(8), "Fay", &earlier), None);
        assert!(stage2_part(UserId(8), &earlier).is_none());
    }
}
