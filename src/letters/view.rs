//! What a letter is filled from: the case, its complaint points, the stage's decision with
//! its findings and remedies, deadlines from the rules, and the landlord's configuration.
//! Built once per render; the templates only lay it out.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::kind::LetterKind;
use super::recipient::{self, Recipient};
use crate::cases::load::LoadedCase;
use crate::config::LandlordSettings;
use crate::db::decisions;
use crate::db::{complainants, complaint_points, DbConnection};
use crate::domain::case::{CompensationStatus, ExclusionReason, Outcome, RemedyKind};
use crate::domain::Money;
use crate::rules::{plan, Calendar, PolicySet, Stage, Unit};

/// The kind's own choices, stored with the draft as JSON text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Details {
    /// Acknowledgement: the complaint points as agreed, one per line.
    pub points: String,
    /// Acknowledgement: the outcome the resident is seeking.
    pub outcome_sought: String,
    /// Extension: its length in the profile's unit.
    pub extension_length: Option<u32>,
    /// Extension: the reason, as the resident will read it.
    pub extension_reason: String,
    /// Decline: the exclusion reasons' stored values.
    pub exclusion_reasons: Vec<String>,
    /// Decline: why, in the officer's words. Escalation refusal: the reasons for refusing.
    pub exclusion_explanation: String,
    /// Progress update: what has happened since the last update, in the officer's words.
    pub progress_news: String,
    /// Action completed: the remedies the letter reported, set when it is sent (not typed).
    pub completed_actions: Vec<i32>,
}

impl Details {
    /// Unreadable details (never written by this code) read as empty, to be filled again.
    pub fn parse(text: &str) -> Details {
        serde_json::from_str(text).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// The complaint points typed, one per line, without any "1." typed before them.
    pub fn point_lines(&self) -> Vec<String> {
        crate::cases::acknowledge::point_lines(&self.points)
    }

    pub fn exclusion_reasons(&self) -> Vec<ExclusionReason> {
        self.exclusion_reasons
            .iter()
            .filter_map(|r| r.parse().ok())
            .collect()
    }
}

/// One complaint point and what was found.
#[derive(Debug, Clone)]
pub struct FindingView {
    pub number: i32,
    pub point: String,
    /// The finding's label ("Upheld"), empty when none is recorded.
    pub finding: String,
    pub reasons: String,
}

#[derive(Debug, Clone)]
pub struct RemedyView {
    pub kind: String,
    pub description: String,
    /// "by 4 December 2026" for actions still to do.
    pub due: Option<String>,
    /// "£150.00" for money.
    pub amount: Option<String>,
    /// Something to be done (an action to put right) that has no date yet.
    pub needs_date: bool,
}

#[derive(Debug, Clone)]
pub struct ExclusionView {
    pub label: String,
    pub explanation: String,
}

/// Everything a letter shows. Dates are already written out ("3 November 2026").
#[derive(Debug, Clone)]
pub struct LetterView {
    pub kind: LetterKind,
    pub kind_key: &'static str,
    pub stage: Option<Stage>,
    pub stage_label: String,
    pub title: String,
    pub reference: String,
    pub date: String,
    pub landlord: LandlordSettings,
    /// Who signs, by name and job title (see [`super::signatory`]).
    pub signatory: super::signatory::Signatory,
    pub recipient: Recipient,
    pub complainant_name: String,
    /// The editable part: paragraphs, each a list of lines.
    pub body: Vec<Vec<String>>,
    /// "Our understanding of your complaint".
    pub description: String,
    pub points: Vec<String>,
    pub outcome_sought: String,
    /// Acknowledgement: the date we will respond by.
    pub respond_by: Option<String>,
    /// How extensions work at this stage.
    pub extensions_text: String,
    /// The complainant's reasonable adjustments (labels).
    pub adjustments: Vec<String>,
    pub outcome: Option<String>,
    pub summary: String,
    pub findings: Vec<FindingView>,
    pub remedies: Vec<RemedyView>,
    pub compensation_awaiting_approval: bool,
    /// Response: the date by which to ask for escalation.
    /// The date to ask for escalation by, when the policy names a window.
    pub escalate_by: Option<String>,
    /// The policy names a window but the date could not be worked out (beyond the calendar).
    pub escalation_date_missing: bool,
    pub extension_reason: String,
    pub extension_length: Option<u32>,
    pub previous_due: Option<String>,
    pub new_due: Option<String>,
    pub exclusions: Vec<ExclusionView>,
    pub exclusion_explanation: String,
    /// Restriction notice: what contact is restricted (empty when no restriction is in
    /// force), why, and when it will be reviewed.
    pub restriction_what: String,
    pub restriction_reason: String,
    pub restriction_review: String,
    /// Escalation refusal: the day the resident asked to escalate.
    pub refusal_requested_on: String,
    /// Progress update: what has happened since the last update.
    pub progress_news: String,
    /// Progress update: the day the next update is due once this one is sent.
    pub next_update: Option<String>,
    /// Progress update and action completed: the actions promised still to do, each with
    /// its date ("Repair the gutter, by 4 December 2026").
    pub outstanding: Vec<String>,
    /// Action completed: the actions completed since the last report, each with its date.
    pub completed: Vec<String>,
}

pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

fn title_of(kind: LetterKind) -> &'static str {
    match kind {
        LetterKind::Stage1Acknowledgement => "Your complaint: stage 1 acknowledgement",
        LetterKind::Stage2Acknowledgement => "Your complaint: stage 2 acknowledgement",
        LetterKind::Extension => "Your complaint: we need more time",
        LetterKind::Stage0Decision => "Your concern: our response",
        LetterKind::Stage1Response => "Your complaint: our stage 1 response",
        LetterKind::Stage2Response => "Your complaint: our final response",
        LetterKind::Decline => "Your complaint: why we cannot take it forward",
        LetterKind::RestrictionNotice => "How you can contact us: a restriction on contact",
        LetterKind::EscalationRefusal => "Your complaint: why we cannot escalate it to stage 2",
        LetterKind::ProgressUpdate => "Your complaint: an update on our progress",
        LetterKind::ActionCompleted => "Your complaint: an action we promised is complete",
    }
}

/// The default editable paragraphs for a new draft.
pub fn default_body(kind: LetterKind, complainant: &str) -> String {
    let _ = complainant;
    match kind {
        LetterKind::Stage1Acknowledgement => "Thank you for contacting us. We are sorry that you have had reason to complain, and we have registered your complaint at stage 1 of our complaints procedure.",
        LetterKind::Stage2Acknowledgement => "Thank you for letting us know that you are not satisfied with our stage 1 response. We have escalated your complaint to stage 2 of our complaints procedure, where it will be reviewed by a senior manager who was not involved at stage 1.",
        LetterKind::Extension => "We are writing about your complaint. We are sorry, but we need more time to give you a full response.",
        LetterKind::Stage0Decision => "Thank you for raising your concern with us. We have looked into it and this letter sets out what we found.",
        LetterKind::Stage1Response => "Thank you for your patience while we investigated your complaint. This letter is our stage 1 response.",
        LetterKind::Stage2Response => "Thank you for your patience while we reviewed your complaint at stage 2. This letter is our final response.",
        LetterKind::Decline => "Thank you for contacting us. We have carefully considered what you told us.",
        LetterKind::RestrictionNotice => "We are writing to tell you about a decision we have made about how you contact us while we deal with your complaint.",
        LetterKind::EscalationRefusal => "Thank you for asking us to look at your complaint again. We have carefully considered your request.",
        LetterKind::ProgressUpdate => "We are writing, as agreed with you, to update you on your complaint.",
        LetterKind::ActionCompleted => "We are writing to let you know about an action we promised in our response to your complaint.",
    }
    .to_string()
}

/// The details a new draft starts from: for an acknowledgement, the complaint definition so
/// far (at stage 2, the points agreed at stage 1; otherwise the description as logged).
pub fn default_details(
    conn: &mut DbConnection,
    case: &LoadedCase,
    kind: LetterKind,
) -> diesel::QueryResult<Details> {
    let mut details = Details::default();
    if kind.records() == super::kind::Records::Acknowledgement {
        let carried: Vec<String> = complaint_points::for_case(conn, case.row.id)?
            .into_iter()
            .filter(|(stage, _, _)| stage == "stage1")
            .map(|(_, number, text)| format!("{number}. {text}"))
            .collect();
        details.points = if kind == LetterKind::Stage2Acknowledgement && !carried.is_empty() {
            carried.join("\n")
        } else {
            case.row.description.clone()
        };
        details.outcome_sought = case.row.outcome_sought.clone();
    }
    // The refusal's reasons as recorded when it was decided, to put in the resident's words.
    if kind == LetterKind::EscalationRefusal {
        if let Some(refused) = super::refusal::refusals(case).pop() {
            details.exclusion_explanation = refused.reason;
        }
    }
    Ok(details)
}

/// Paragraphs separated by blank lines; the lines within a paragraph kept.
pub fn paragraphs(body: &str) -> Vec<Vec<String>> {
    body.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| {
            p.lines()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// What the view builder needs besides the case.
pub struct Context<'a> {
    pub landlord: &'a LandlordSettings,
    pub policies: &'a PolicySet,
    pub calendar: &'a Calendar,
    /// The letter's date (today when drafting and sending).
    pub date: NaiveDate,
}

/// Builds the view of a letter of `kind` on `case` with the editable `body` and `details`.
pub fn build(
    conn: &mut DbConnection,
    case: &LoadedCase,
    kind: LetterKind,
    body: &str,
    details: &Details,
    cx: &Context<'_>,
) -> diesel::QueryResult<LetterView> {
    let complainant = complainants::find(conn, case.row.complainant_id)?
        .ok_or(diesel::result::Error::NotFound)?;
    let recipient = recipient::for_complainant(conn, case, &complainant)?;
    let stage = kind.fixed_stage().or(case.state.stage);
    let all_points = complaint_points::for_case(conn, case.row.id)?;
    let points_of = |s: Stage| -> Vec<(i32, String)> {
        all_points
            .iter()
            .filter(|(ps, _, _)| *ps == s.to_string())
            .map(|(_, n, t)| (*n, t.clone()))
            .collect()
    };
    let mut points = stage.map(points_of).unwrap_or_default();
    if points.is_empty() && stage == Some(Stage::Stage2) {
        points = points_of(Stage::Stage1);
    }
    let profile = cx.policies.get(&case.row.policy);
    let acknowledging = kind.records() == super::kind::Records::Acknowledgement;

    let mut view = LetterView {
        kind,
        kind_key: kind.as_str(),
        stage,
        stage_label: stage.map(|s| s.label().to_string()).unwrap_or_default(),
        title: title_of(kind).to_string(),
        reference: case.row.reference.clone(),
        date: long_date(cx.date),
        landlord: cx.landlord.clone(),
        signatory: super::signatory::for_letter(conn, case, kind, cx.landlord)?,
        complainant_name: complainant.name.clone(),
        recipient,
        body: paragraphs(body),
        description: case.row.description.trim().to_string(),
        // An acknowledgement states the complaint definition being agreed in it.
        points: if acknowledging {
            details.point_lines()
        } else {
            points.iter().map(|(_, t)| t.clone()).collect()
        },
        outcome_sought: if acknowledging {
            details.outcome_sought.trim().to_string()
        } else {
            case.row.outcome_sought.trim().to_string()
        },
        respond_by: None,
        extensions_text: String::new(),
        adjustments: recipient::adjustments_of(&complainant)
            .into_iter()
            .map(|a| a.label().to_string())
            .collect(),
        outcome: None,
        summary: String::new(),
        findings: Vec::new(),
        remedies: Vec::new(),
        compensation_awaiting_approval: false,
        escalate_by: None,
        escalation_date_missing: false,
        extension_reason: details.extension_reason.trim().to_string(),
        extension_length: details.extension_length,
        previous_due: None,
        new_due: None,
        exclusions: details
            .exclusion_reasons()
            .into_iter()
            .map(|r| ExclusionView {
                label: r.label().to_string(),
                explanation: r.explanation().to_string(),
            })
            .collect(),
        exclusion_explanation: details.exclusion_explanation.trim().to_string(),
        restriction_what: String::new(),
        restriction_reason: String::new(),
        restriction_review: String::new(),
        refusal_requested_on: String::new(),
        progress_news: details.progress_news.trim().to_string(),
        next_update: None,
        outstanding: Vec::new(),
        completed: Vec::new(),
    };

    fill_notice(conn, case, kind, &mut view, cx)?;

    if kind == LetterKind::RestrictionNotice {
        if let Some(r) = crate::db::restrictions::approved_for(conn, case.row.id)? {
            view.restriction_what = r.what.trim().to_string();
            view.restriction_reason = r.reason.trim().to_string();
            view.restriction_review = long_date(r.review_on);
        }
    }

    if let (Some(profile), Some(stage)) = (profile, stage) {
        let unit = match profile.extension_unit(stage) {
            Unit::CalendarDays => "calendar days",
            Unit::WorkingDays => "working days",
        };
        view.extensions_text = match profile.extension_cap(stage) {
            Some((cap, _)) => format!(
                "If we need more time, we will write to you before the response date to explain why and give you a new date, no more than {cap} {unit} later, with the Housing Ombudsman's contact details."
            ),
            None => "If we need more time, we will write to you before the response date to explain why and give you a new date, with the Housing Ombudsman's contact details.".to_string(),
        };
        // The clock as it will be once this letter is sent.
        if let Some(mut clock) = case.state.clock().filter(|c| c.stage == stage) {
            match kind {
                LetterKind::Stage1Acknowledgement | LetterKind::Stage2Acknowledgement => {
                    *clock.acknowledged.get_mut(stage) = Some(cx.date);
                    view.respond_by = plan(profile, cx.calendar, &clock)
                        .ok()
                        .and_then(|p| {
                            p.into_iter()
                                .filter(|d| d.name == "respond" || d.name == "respond_extended")
                                .map(|d| d.due)
                                .max()
                        })
                        .map(long_date);
                }
                LetterKind::Extension => {
                    // The extension was decided before its letter: the letter gives the date
                    // it set, and the date it replaced.
                    let due = |clock: &crate::rules::CaseClock| {
                        plan(profile, cx.calendar, clock).ok().and_then(|p| {
                            p.into_iter()
                                .filter(|d| d.name == "respond" || d.name == "respond_extended")
                                .map(|d| d.due)
                                .max()
                        })
                    };
                    match clock.extensions.iter().rposition(|e| e.stage == stage) {
                        Some(latest) => {
                            view.new_due = due(&clock).map(long_date);
                            let mut before = clock.clone();
                            before.extensions.remove(latest);
                            view.previous_due = due(&before).map(long_date);
                        }
                        None => view.previous_due = due(&clock).map(long_date),
                    }
                }
                _ => {}
            }
        }
    }

    if matches!(
        kind,
        LetterKind::Stage0Decision | LetterKind::Stage1Response | LetterKind::Stage2Response
    ) {
        if let Some(stage) = stage {
            let decision = decisions::find(conn, case.row.id, stage)?;
            let (findings, remedies) = match &decision {
                Some(d) => (
                    decisions::findings_of(conn, d.id)?,
                    decisions::remedies_of(conn, d.id)?,
                ),
                None => (Vec::new(), Vec::new()),
            };
            if let Some(decision) = &decision {
                view.outcome = decision
                    .outcome
                    .as_deref()
                    .and_then(|o| o.parse::<Outcome>().ok())
                    .map(|o| o.label().to_string());
                view.summary = decision.summary.trim().to_string();
                view.compensation_awaiting_approval =
                    decision.compensation_status == CompensationStatus::AwaitingApproval;
            }
            // Every point, answered or not, so the check can name each one unanswered.
            view.findings = points
                .iter()
                .map(|(n, point)| {
                    let found = findings.iter().find(|(fnum, _, _)| fnum == n);
                    FindingView {
                        number: *n,
                        point: point.clone(),
                        finding: found
                            .and_then(|(_, f, _)| f.parse::<Outcome>().ok())
                            .map(|o| o.label().to_string())
                            .unwrap_or_default(),
                        reasons: found
                            .map(|(_, _, r)| r.trim().to_string())
                            .unwrap_or_default(),
                    }
                })
                .collect();
            view.remedies = remedies
                .into_iter()
                .map(|r| RemedyView {
                    kind: r.kind.label().to_string(),
                    description: r.description.trim().to_string(),
                    due: r
                        .due_on
                        .filter(|_| r.done_on.is_none())
                        .map(|d| format!("by {}", long_date(d))),
                    // The total and what it is for, when the heads add up to it.
                    amount: r.amount_pence.filter(|p| *p > 0).map(|p| {
                        crate::domain::compensation::describe_amount(
                            Money::from_pence(p.into()),
                            &r.heads(),
                        )
                    }),
                    needs_date: r.kind == RemedyKind::PutRight
                        && r.due_on.is_none()
                        && r.done_on.is_none(),
                })
                .collect();
            // The date to escalate by, only when the policy names a window.
            let window = profile.and_then(|p| p.escalate_within());
            if let (true, Some(window)) = (stage != Stage::Stage2, window) {
                view.escalate_by = cx
                    .calendar
                    .add(cx.date, window.length, window.unit)
                    .ok()
                    .map(long_date);
                view.escalation_date_missing = view.escalate_by.is_none();
            }
        }
    }
    Ok(view)
}

/// The parts of the refusal, progress update and action completed letters read from the
/// case: the refusal's date, the response date and outstanding actions, the next update,
/// the actions completed since the last report.
fn fill_notice(
    conn: &mut DbConnection,
    case: &LoadedCase,
    kind: LetterKind,
    view: &mut LetterView,
    cx: &Context<'_>,
) -> diesel::QueryResult<()> {
    let outstanding_lines = |conn: &mut DbConnection| -> diesel::QueryResult<Vec<String>> {
        Ok(super::completed::outstanding(conn, case.row.id)?
            .into_iter()
            .map(|o| match o.due_on {
                Some(d) => format!("{}, by {}", o.description, long_date(d)),
                None => o.description,
            })
            .collect())
    };
    match kind {
        LetterKind::EscalationRefusal => {
            if let Some(refused) = super::refusal::refusals(case).pop() {
                view.refusal_requested_on = long_date(refused.requested_on);
            }
        }
        LetterKind::ProgressUpdate => {
            let open = matches!(
                case.state.status,
                crate::domain::Status::Stage1Open | crate::domain::Status::Stage2Open
            );
            if open
                && case
                    .state
                    .acknowledged
                    .get(case.state.stage.unwrap_or(Stage::Stage1))
                    .is_some()
            {
                view.respond_by = case.row.next_due_on.map(long_date);
            }
            view.outstanding = outstanding_lines(conn)?;
            // Sending this update starts the next interval today.
            if let Some(interval) = super::progress::interval(case, cx.policies) {
                view.next_update = cx
                    .calendar
                    .add(cx.date, interval.every_working_days, Unit::WorkingDays)
                    .ok()
                    .map(long_date);
            }
        }
        LetterKind::ActionCompleted => {
            view.completed = super::completed::unreported(conn, case.row.id)?
                .into_iter()
                .map(|c| format!("{} (completed {})", c.description, long_date(c.done_on)))
                .collect();
            view.outstanding = outstanding_lines(conn)?;
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_on_blank_lines_and_keep_lines() {
        assert_eq!(
            paragraphs("One\r\ntwo\r\n\r\n\r\n  Three  \n\n"),
            vec![
                vec!["One".to_string(), "two".to_string()],
                vec!["Three".to_string()]
            ]
        );
    }

    #[test]
    fn details_round_trip_and_tolerate_junk() {
        let d = Details {
            points: "1. Leak".into(),
            outcome_sought: "Fix it".into(),
            extension_length: Some(10),
            extension_reason: "Waiting".into(),
            exclusion_reasons: vec!["vexatious".into()],
            exclusion_explanation: "Because".into(),
            progress_news: "Surveyor booked".into(),
            completed_actions: vec![3, 4],
        };
        assert_eq!(Details::parse(&d.to_json()), d);
        assert_eq!(Details::parse("not json"), Details::default());
    }
}
