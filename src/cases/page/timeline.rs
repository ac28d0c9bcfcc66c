//! The case page's timeline: every event read back with its own label and what it says —
//! note and contact text, reasons, who was assigned — the people named by name and role,
//! sensitive notes kept to those who may read them, and a confidential complainant's
//! identity taken out for those who may not see it.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::cases::identity::Sight;
use crate::db::case_events::CaseEventRow;
use crate::db::staff::StaffMember;
use crate::domain::case::{Correction, TriageDecision};
use crate::domain::letter_kind::LetterKind;
use crate::domain::{CaseEvent, CaseEventId, Money, ServiceAreaId, UserId};

/// The timeline filter's choices (a query parameter, so it works without JavaScript).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimelineFilter {
    #[default]
    All,
    NotesAndContacts,
    Letters,
    Changes,
}

impl TimelineFilter {
    pub const ALL: [TimelineFilter; 4] = [
        TimelineFilter::All,
        TimelineFilter::NotesAndContacts,
        TimelineFilter::Letters,
        TimelineFilter::Changes,
    ];

    /// The `timeline` query value; anything else shows everything.
    pub fn parse(raw: &str) -> TimelineFilter {
        TimelineFilter::ALL
            .into_iter()
            .find(|f| f.as_str() == raw)
            .unwrap_or_default()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TimelineFilter::All => "all",
            TimelineFilter::NotesAndContacts => "notes",
            TimelineFilter::Letters => "letters",
            TimelineFilter::Changes => "changes",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TimelineFilter::All => "All",
            TimelineFilter::NotesAndContacts => "Notes and contacts",
            TimelineFilter::Letters => "Letters",
            TimelineFilter::Changes => "Changes",
        }
    }

    fn shows(self, group: Group) -> bool {
        match self {
            TimelineFilter::All => true,
            TimelineFilter::NotesAndContacts => group == Group::NotesAndContacts,
            TimelineFilter::Letters => group == Group::Letters,
            TimelineFilter::Changes => group == Group::Changes,
        }
    }
}

/// Which filter an event belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    NotesAndContacts,
    Letters,
    Changes,
}

/// Who did it, as the timeline names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Staff(StaffMember),
    /// The public form, the command line or an import: no member of staff.
    Redress,
}

/// One entry, newest first on the page.
#[derive(Debug, Clone)]
pub struct TimelineEntry {
    pub id: CaseEventId,
    /// What happened, in words ("Phone call with the resident", "Assigned to …").
    pub title: String,
    /// What was written: note or contact text, reasons (identity withheld where it must be).
    pub text: Option<String>,
    /// Further facts, one line each ("Resident told on 3 November 2026 by letter").
    pub details: Vec<String>,
    pub on: NaiveDate,
    pub by: Actor,
    /// A sensitive note; `text` is `None` when this viewer may not read it.
    pub sensitive: bool,
}

/// What the timeline needs besides the events.
pub struct TimelineContext<'a> {
    pub staff: &'a HashMap<UserId, StaffMember>,
    pub areas: &'a HashMap<ServiceAreaId, String>,
    pub sight: &'a Sight,
    /// May this viewer read sensitive notes (officers and the case's assignee)?
    pub sees_sensitive: bool,
}

/// Everyone a timeline names: the actors and the people events are about.
pub fn people_in(events: &[CaseEventRow]) -> (Vec<UserId>, Vec<ServiceAreaId>) {
    let mut people: Vec<UserId> = events.iter().filter_map(|e| e.actor_id).collect();
    let mut areas = Vec::new();
    for event in events.iter().filter_map(CaseEventRow::event) {
        match event {
            CaseEvent::Triaged { officer, .. } => people.push(officer),
            CaseEvent::Assigned {
                service_area,
                manager,
                previous,
            } => {
                people.push(manager);
                people.extend(previous);
                areas.push(service_area);
            }
            CaseEvent::InvolvementDeclared { manager, .. } => people.push(manager),
            _ => {}
        }
    }
    people.sort();
    people.dedup();
    areas.sort();
    areas.dedup();
    (people, areas)
}

/// The entries `filter` shows, newest first.
pub fn entries(
    events: &[CaseEventRow],
    filter: TimelineFilter,
    context: &TimelineContext<'_>,
) -> Vec<TimelineEntry> {
    events
        .iter()
        .rev()
        .filter_map(|row| {
            let (group, entry) = entry(row, context);
            filter.shows(group).then_some(entry)
        })
        .collect()
}

fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

fn name(context: &TimelineContext<'_>, id: UserId) -> String {
    context
        .staff
        .get(&id)
        .map(|s| s.name.clone())
        .unwrap_or_else(|| "a former member of staff".to_string())
}

fn entry(row: &CaseEventRow, context: &TimelineContext<'_>) -> (Group, TimelineEntry) {
    let by = match row.actor_id.and_then(|id| context.staff.get(&id)) {
        Some(member) => Actor::Staff(member.clone()),
        None => Actor::Redress,
    };
    let mut entry = TimelineEntry {
        id: row.id,
        title: row.summary.clone(),
        text: None,
        details: Vec::new(),
        on: row.occurred_on,
        by,
        sensitive: false,
    };
    // An event stored by an older version that no longer parses keeps its stored summary.
    let Some(event) = row.event() else {
        entry.title = context.sight.text(&entry.title);
        return (Group::Changes, entry);
    };
    let said = |text: &str| Some(context.sight.text(text)).filter(|t| !t.trim().is_empty());
    let group = match &event {
        CaseEvent::Note { text, sensitive } => {
            entry.sensitive = *sensitive;
            if *sensitive {
                entry.title = "Sensitive note".to_string();
                if context.sees_sensitive {
                    entry.text = said(text);
                }
                entry.details.push(
                    "Only the complaints team and the manager or director assigned to the case can read it"
                        .to_string(),
                );
            } else {
                entry.title = "Note".to_string();
                entry.text = said(text);
            }
            Group::NotesAndContacts
        }
        CaseEvent::Contact { on, with, summary } => {
            // The entry's date is the contact's own date (`on`), so it is not repeated.
            let _ = on;
            entry.title = format!("{with} with the resident");
            entry.text = said(summary);
            Group::NotesAndContacts
        }
        CaseEvent::LetterSent {
            letter,
            on,
            method,
            elsewhere,
        } => {
            let kind = letter
                .parse::<LetterKind>()
                .map(LetterKind::label)
                .unwrap_or("Letter");
            entry.title = format!("Letter sent: {kind}");
            let how = method.label().to_lowercase();
            entry.details.push(if *elsewhere {
                format!(
                    "Sent outside Redress by {how} on {}; the copy kept is with the case's letters",
                    long_date(*on)
                )
            } else {
                format!("Sent by {how} on {}", long_date(*on))
            });
            Group::Letters
        }
        CaseEvent::Response { stage, on, outcome } => {
            entry.title = format!("{} response sent", stage.label());
            entry
                .details
                .push(format!("Sent on {}: {}", long_date(*on), outcome));
            Group::Letters
        }
        CaseEvent::Assigned {
            service_area,
            manager,
            previous,
        } => {
            let area = context
                .areas
                .get(service_area)
                .cloned()
                .unwrap_or_else(|| "a service area".to_string());
            entry.title = format!("Assigned to {}, {area}", name(context, *manager));
            if let Some(previous) = previous {
                entry
                    .details
                    .push(format!("Previously {}", name(context, *previous)));
            }
            Group::Changes
        }
        CaseEvent::InvolvementDeclared {
            manager,
            unassigned,
        } => {
            entry.title = format!("{} declared an involvement", name(context, *manager));
            if *unassigned {
                entry
                    .details
                    .push("No longer assigned to the case".to_string());
            }
            Group::Changes
        }
        CaseEvent::Triaged {
            officer, decision, ..
        } => {
            entry.title = event.summary();
            entry
                .details
                .push(format!("Case officer: {}", name(context, *officer)));
            if let TriageDecision::Excluded { explanation, .. } = decision {
                entry.text = said(explanation);
            }
            Group::Changes
        }
        CaseEvent::Extension {
            stage,
            granted_on,
            length,
            new_due,
            reason,
            approved_past_cap,
            notified,
        } => {
            entry.title = format!(
                "{} response date extended to {}",
                stage.label(),
                long_date(*new_due)
            );
            // The reason's words when it is one of the listed reasons (stored as its key).
            let reason_words = crate::cases::investigate::EXTENSION_REASONS
                .iter()
                .find(|(key, _)| key == reason)
                .map_or(reason.as_str(), |(_, words)| words);
            entry.text = said(reason_words);
            entry.details.push(format!(
                "Extended by {} on {}",
                plural(*length as i64, "working day"),
                long_date(*granted_on)
            ));
            if *approved_past_cap {
                entry.details.push(
                    "Past the policy's limit: approved by a director and agreed by the resident"
                        .to_string(),
                );
            }
            if let Some((on, how)) = notified {
                entry.details.push(format!(
                    "Resident told on {} by {}",
                    long_date(*on),
                    how.label().to_lowercase()
                ));
            }
            Group::Changes
        }
        CaseEvent::Escalation {
            requested_on,
            reasons,
        } => {
            entry.title = "The resident asked to escalate to stage 2".to_string();
            entry.text = said(reasons);
            entry
                .details
                .push(format!("Asked on {}", long_date(*requested_on)));
            Group::Changes
        }
        CaseEvent::EscalationRefused {
            requested_on,
            reason,
        } => {
            entry.title = "Escalation refused".to_string();
            entry.text = said(reason);
            entry.details.push(format!(
                "The resident asked on {}",
                long_date(*requested_on)
            ));
            Group::Changes
        }
        CaseEvent::Withdrawal { on, reason } => {
            entry.title = format!("Complaint withdrawn on {}", long_date(*on));
            entry.text = said(reason);
            Group::Changes
        }
        CaseEvent::Reopened { on, reason, status } => {
            entry.title = format!("Case reopened on {}", long_date(*on));
            entry.text = said(reason);
            entry.details.push(format!("Back to: {status}"));
            Group::Changes
        }
        CaseEvent::Restriction { summary, until } => {
            entry.title = match until {
                Some(until) => format!("Contact restricted until {}", long_date(*until)),
                None => "Contact restricted".to_string(),
            };
            entry.text = said(summary);
            Group::Changes
        }
        CaseEvent::RestrictionProposed { summary, .. } => {
            entry.title = event.summary();
            entry.text = said(summary);
            Group::Changes
        }
        CaseEvent::ApprovalAnswered { comment, .. }
        | CaseEvent::ResponseChecked { comment, .. } => {
            entry.title = event.summary();
            entry.text = said(comment);
            Group::Changes
        }
        CaseEvent::RestrictionDeclined { summary, reason }
        | CaseEvent::RestrictionEnded { summary, reason } => {
            entry.title = event.summary();
            entry.text = said(reason);
            entry.details.push(format!("The restriction: {summary}"));
            Group::Changes
        }
        CaseEvent::DecisionDrafted {
            stage,
            compensation_pence,
        } => {
            entry.title = format!("{} decision drafted", stage.label());
            if *compensation_pence > 0 {
                entry.details.push(format!(
                    "Offers compensation of {}: awaiting a director's approval",
                    Money::from_pence(*compensation_pence)
                ));
            }
            Group::Changes
        }
        CaseEvent::Corrected { changes } => {
            // Each change as the domain words it: old → new for the case's own fields, the
            // field's name only for identity, contact and vulnerability details (a manager
            // reads the timeline; the values stay on the details page).
            match changes.as_slice() {
                [Correction::ComplaintPoints { stage, reason }] => {
                    entry.title = format!("{} complaint points amended", stage.label());
                    entry.text = said(reason);
                }
                _ => {
                    entry.title = "Details corrected".to_string();
                    entry.details = changes.iter().map(ToString::to_string).collect();
                }
            }
            Group::Changes
        }
        CaseEvent::EmailReceived { subject, text, .. } => {
            // Issue 28: what the resident wrote, like a contact; the original and its files
            // are on the email's own page (officers).
            entry.title = event.summary();
            entry.text = said(text);
            if !subject.trim().is_empty() {
                entry.details.push(format!("Subject: {subject}"));
            }
            Group::NotesAndContacts
        }
        CaseEvent::ReceiptQueued { .. } => {
            entry.title = event.summary();
            Group::Letters
        }
        CaseEvent::Ombudsman { text, .. } => {
            // Issue 27: the Ombudsman's contact with us, and ours with them.
            entry.title = event.summary();
            entry.text = said(text);
            Group::NotesAndContacts
        }
        CaseEvent::Privacy { reason, .. } => {
            // Issue 30: a legal hold placed or lifted, or the personal data removed.
            entry.title = event.summary();
            entry.text = said(reason);
            Group::Changes
        }
        CaseEvent::Logged { .. }
        | CaseEvent::ConvertedToComplaint { .. }
        | CaseEvent::MovedToStage1 { .. }
        | CaseEvent::Acknowledged { .. }
        | CaseEvent::Closure { .. }
        | CaseEvent::DuplicateMarked { .. }
        | CaseEvent::EvidenceAdded { .. }
        | CaseEvent::RepresentativeChanged { .. }
        | CaseEvent::PropertyAddressShared { .. }
        | CaseEvent::CompensationApproved { .. }
        | CaseEvent::CompensationPaid { .. }
        | CaseEvent::Linked { .. }
        | CaseEvent::UpdatesAgreed { .. } => {
            entry.title = event.summary();
            Group::Changes
        }
    };
    entry.title = context.sight.text(&entry.title);
    entry.details = entry
        .details
        .iter()
        .map(|d| context.sight.text(d))
        .collect();
    (group, entry)
}

/// "1 working day", "3 working days".
pub fn plural(count: i64, unit: &str) -> String {
    if count == 1 || count == -1 {
        format!("{count} {unit}")
    } else {
        format!("{count} {unit}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::identity::Redaction;
    use crate::domain::case::{Channel, PrivateField};
    use crate::domain::CaseId;
    use crate::rules::Stage;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn row(event: &CaseEvent) -> CaseEventRow {
        CaseEventRow {
            id: CaseEventId(1),
            case_id: CaseId(1),
            kind: event.kind().to_string(),
            occurred_on: d(2026, 11, 6),
            actor_id: None,
            actor_label: String::new(),
            summary: event.summary(),
            detail: serde_json::to_string(event).unwrap(),
            recorded_at: d(2026, 11, 6).and_hms_opt(9, 0, 0).unwrap(),
        }
    }

    fn read(event: CaseEvent, sight: &Sight) -> (Group, TimelineEntry) {
        let (staff, areas) = (HashMap::new(), HashMap::new());
        let context = TimelineContext {
            staff: &staff,
            areas: &areas,
            sight,
            sees_sensitive: false,
        };
        entry(&row(&event), &context)
    }

    #[test]
    fn a_correction_reads_old_and_new_for_case_fields_and_names_private_ones() {
        let (group, entry) = read(
            CaseEvent::Corrected {
                changes: vec![
                    Correction::Channel {
                        from: Channel::Phone,
                        to: Channel::Letter,
                    },
                    Correction::Category {
                        from: None,
                        to: Some("Damp and mould".into()),
                    },
                    Correction::Private {
                        which: PrivateField::Telephone,
                    },
                    Correction::Private {
                        which: PrivateField::VulnerabilityNotes,
                    },
                ],
            },
            &Sight::Shown,
        );
        assert_eq!(group, Group::Changes);
        assert_eq!(entry.title, "Details corrected");
        assert_eq!(
            entry.details,
            [
                "How received changed from phone to letter",
                "Category changed from none to Damp and mould",
                "Telephone number changed",
                "Vulnerability notes changed",
            ]
        );
        assert_eq!(entry.text, None);
    }

    #[test]
    fn amended_points_give_the_stage_and_the_reason_with_the_identity_withheld() {
        // A confidential complainant's property address is part of their identity.
        let sight = Sight::Withheld(Redaction::of(None, None, Some(("4 Elm Row", "LS2 7EE"))));
        let (group, entry) = read(
            CaseEvent::Corrected {
                changes: vec![Correction::ComplaintPoints {
                    stage: Stage::Stage1,
                    reason: "Added the damp at 4 Elm Row on the phone".into(),
                }],
            },
            &sight,
        );
        assert_eq!(group, Group::Changes);
        assert_eq!(entry.title, "Stage 1 complaint points amended");
        let text = entry.text.unwrap();
        assert!(!text.contains("Elm Row"), "{text}");
        assert!(text.starts_with("Added the damp at"), "{text}");
        assert!(text.ends_with("on the phone"), "{text}");
    }
}
