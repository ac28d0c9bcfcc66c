//! The audit log in words: what each action means, and which record a target names, so
//! the viewer and its CSV show people words, not the codes stored.

use std::collections::HashMap;

use crate::domain::UserId;

/// What an action means, said as "what they did".
pub fn action_label(action: &str) -> String {
    let fixed = match action {
        "sign_in" => "Signed in",
        "sign_in_awaiting_code" => "Password accepted, waiting for the two-factor code",
        "sign_in_failed" => "Sign-in refused: wrong email address or password",
        "sign_in_locked" => "Sign-in refused: too many failed attempts",
        "sign_out" => "Signed out",
        "password_changed" => "Changed their password",
        "notifications_changed" => "Changed their notification emails",
        "second_factor_enrolled" => "Set up two-factor sign-in",
        "second_factor_failed" => "Two-factor code refused",
        "second_factor_locked" => "Two-factor code refused: too many failed attempts",
        "user_created" => "Added a staff account",
        "user_deactivated" => "Deactivated a staff account",
        "user_reactivated" => "Reactivated a staff account",
        "user_password_reset" => "Reset a password",
        "user_service_areas_set" => "Changed a staff member's service areas",
        "user_signed_out_everywhere" => "Signed a staff member out everywhere",
        "user_second_factor_reset" => "Reset a staff member's two-factor sign-in",
        "service_area_created" => "Added a service area",
        "service_area_updated" => "Changed a service area",
        "category_created" => "Added a category",
        "category_updated" => "Changed a category",
        "contractor_created" => "Added a contractor",
        "contractor_updated" => "Changed a contractor",
        "confidential_identity_viewed" => "Viewed a confidential complainant's identity",
        "confidential_property_viewed" => "Viewed a confidential complainant's property address",
        "vulnerability_notes_viewed" => "Viewed vulnerability notes",
        "attachment_uploaded" => "Added an evidence file",
        "attachment_downloaded" => "Downloaded an evidence file",
        "letter_draft_saved" => "Saved a letter draft",
        "letter_sent" => "Sent a letter",
        "letter_posted" => "Marked a letter as posted",
        "remedy_done" => "Marked a remedy as done",
        "improvement_action_updated" => "Updated an improvement action",
        "outbox_retry" => "Queued a failed email to send again",
        "demo_data_seeded" => "Loaded the demo data",
        "audit_exported" => "Exported the audit log",
        "case_logged" => "Logged a complaint",
        "email_stored" => "Stored an email from the complaints mailbox",
        "email_attached" => "Added an email to a case",
        "email_case_created" => "Logged a complaint from an email",
        "email_discarded" => "Discarded an email",
        "receipt_wording_saved" => "Changed the wording of the automatic receipt",
        "email_file_downloaded" => "Downloaded an email or a file sent with it",
        "receipt_template_saved" => "Changed the automatic receipt",
        // Issue 24: work lists you can act on.
        "case_list_exported" => "Downloaded a list of cases",
        "saved_view_created" => "Saved a work-list view",
        "saved_view_renamed" => "Renamed a saved work-list view",
        "saved_view_deleted" => "Deleted a saved work-list view",
        "member_page_viewed" => "Opened a page (governing body member)",
        "self_assessment_saved" => "Saved the Code self-assessment",
        "annual_report_saved" => "Saved the annual complaints report",
        "annual_report_published" => "Published the annual complaints report",
        "governance_document_uploaded" => {
            "Added an evidence file to the self-assessment or annual report"
        }
        "governance_document_removed" => {
            "Removed an evidence file from the self-assessment or annual report"
        }
        "governance_document_downloaded" => {
            "Downloaded an evidence file of the self-assessment or annual report"
        }
        "ombudsman_contact_recorded" => "Recorded a Housing Ombudsman contact",
        "ombudsman_evidence_requested" => "Recorded an Ombudsman evidence request",
        "ombudsman_evidence_sent" => "Recorded evidence sent to the Ombudsman",
        "ombudsman_bundle_exported" => "Exported an evidence bundle for the Ombudsman",
        "ombudsman_determination_recorded" => "Recorded an Ombudsman determination",
        "ombudsman_chfo_recorded" => "Recorded a complaint handling failure order",
        "ombudsman_order_complied" => "Recorded compliance with an Ombudsman order",
        "ombudsman_review_recorded" => "Recorded a review request to the Ombudsman",
        "ombudsman_contact_closed" => "Closed a Housing Ombudsman contact",
        "ombudsman_lesson_raised" => "Raised a lesson from an Ombudsman determination",
        "ombudsman_register_exported" => "Downloaded the Ombudsman register",
        // Issue 30: personal data by design.
        "legal_hold_placed" => "Placed a legal hold on a case",
        "legal_hold_lifted" => "Lifted a legal hold on a case",
        "case_anonymised" => "Removed a case's personal data",
        "subject_access_recorded" => "Recorded a subject access request",
        "subject_access_extended" => "Extended a subject access request's deadline",
        "subject_access_answered" => "Recorded a subject access request as answered",
        "subject_access_exported" => "Exported a person's data for a subject access request",
        "item_marked" => "Marked a note or file to withhold from subject access",
        "item_marking_cleared" => "Cleared a subject access marking",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.to_string();
    }
    if let Some(kind) = action.strip_prefix("case_") {
        if let Some(label) = case_event_label(kind) {
            return label.to_string();
        }
    }
    // An action written by newer code: its words, not its code.
    sentence_case(&action.replace('_', " "))
}

/// Case actions are `case_` and the timeline event's kind.
fn case_event_label(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "triaged" => "Triaged a case",
        "converted_to_complaint" => "Turned a service request into a complaint",
        "moved_to_stage1" => "Moved a case to stage 1",
        "acknowledged" => "Acknowledged a complaint",
        "assigned" => "Assigned a case to a manager",
        "involvement_declared" => "Declared involvement in a case",
        "note" => "Added a note to a case",
        "contact" => "Recorded contact with a resident",
        "extension" => "Extended a response date",
        "letter_sent" => "Sent a letter",
        "response" => "Recorded a response",
        "escalation" => "Escalated a complaint to stage 2",
        "withdrawal" => "Recorded a withdrawal",
        "closure" => "Closed a case",
        "reopened" => "Reopened a case",
        "restriction" => "Approved a contact restriction",
        "duplicate_marked" => "Marked a case as a duplicate",
        "evidence_added" => "Added evidence to a case",
        "representative_changed" => "Changed a representative",
        "restriction_proposed" => "Proposed a contact restriction",
        "restriction_declined" => "Declined a contact restriction",
        "restriction_ended" => "Ended a contact restriction",
        "approval_answered" => "Declined or returned a request for approval",
        "response_checked" => "Checked a response before it was sent",
        "property_address_shared" => "Recorded consent to share the property address",
        "escalation_refused" => "Refused an escalation",
        "decision_drafted" => "Drafted a decision",
        "compensation_approved" => "Approved compensation",
        "compensation_paid" => "Recorded a compensation payment",
        "linked" => "Linked related cases",
        "updates_agreed" => "Agreed how often to update the resident",
        "corrected" => "Corrected a case's details",
        "email_received" => "Added an email to a case",
        "receipt_queued" => "Sent an automatic receipt",
        "ombudsman" => "Recorded a Housing Ombudsman step",
        "privacy" => "Placed or lifted a legal hold, or removed personal data",
        _ => return None,
    })
}

fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Staff names by id, for "who" and for targets that are staff accounts.
pub type Names = HashMap<UserId, String>;

/// Who did it: the staff member's name, or what the entry says when nobody was signed in.
pub fn actor(actor_id: Option<UserId>, label: &str, names: &Names) -> String {
    if let Some(name) = actor_id.and_then(|id| names.get(&id)) {
        return name.clone();
    }
    match label {
        "system" => "Redress (automatic)".to_string(),
        "cli" => "Redress command line".to_string(),
        _ if actor_id.is_none() => "Nobody signed in".to_string(),
        other => other.to_string(),
    }
}

/// The record an entry is about, in words.
pub fn target(target: &str, names: &Names) -> String {
    let Some((noun, id)) = target.split_once(':') else {
        return sentence_case(&target.replace('_', " "));
    };
    match noun {
        "case" => format!("Case {id}"),
        "user" => match id.parse().ok().and_then(|n: i32| names.get(&UserId(n))) {
            Some(name) => format!("Staff account: {name}"),
            None => format!("Staff account {id}"),
        },
        "email" => format!("Sign-in as {id}"),
        "service_area" => format!("Service area {id}"),
        "category" => format!("Category {id}"),
        "contractor" => format!("Contractor {id}"),
        "remedy" => format!("Remedy {id}"),
        "improvement_action" => format!("Improvement action {id}"),
        "outbox" => format!("Email {id} in the outbox"),
        "incoming_email" => format!("Email {id} from the complaints mailbox"),
        "ombudsman_contact" => format!("Housing Ombudsman contact {id}"),
        "subject_access" => format!("Subject access request {id}"),
        other => format!("{} {id}", sentence_case(&other.replace('_', " "))),
    }
}

/// An entry's detail for people: `field=value` becomes "field: value", underscores become
/// spaces, and `user:N` becomes the staff member's name.
pub fn detail(detail: &str, names: &Names) -> String {
    let word = |token: &str| -> String {
        if let Some(name) = token
            .strip_prefix("user:")
            .and_then(|id| id.parse().ok())
            .and_then(|n: i32| names.get(&UserId(n)))
        {
            return name.clone();
        }
        token.replace('_', " ")
    };
    detail
        .split(' ')
        .map(|token| match token.split_once('=') {
            Some((field, value)) if !field.is_empty() => {
                format!("{}: {}", field.replace('_', " "), word(value))
            }
            _ => word(token),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_and_target_reads_as_words() {
        assert_eq!(
            action_label("vulnerability_notes_viewed"),
            "Viewed vulnerability notes"
        );
        assert_eq!(action_label("case_note"), "Added a note to a case");
        assert_eq!(action_label("something_new"), "Something new");
        let names: Names = [(UserId(3), "Jo Bloggs".to_string())].into();
        assert_eq!(target("user:3", &names), "Staff account: Jo Bloggs");
        assert_eq!(
            target("case:CMP-2026-000001", &names),
            "Case CMP-2026-000001"
        );
        assert_eq!(
            target("improvement_action:4", &names),
            "Improvement action 4"
        );
        assert_eq!(
            actor(Some(UserId(3)), "jo@x (officer)", &names),
            "Jo Bloggs"
        );
        assert_eq!(actor(None, "system", &names), "Redress (automatic)");
        assert_eq!(actor(None, "who@x", &names), "Nobody signed in");
        assert_eq!(
            detail(
                "officer=user:3 on=2026-12-03 decision=stage1 health_and_safety=false",
                &names
            ),
            "officer: Jo Bloggs on: 2026-12-03 decision: stage1 health and safety: false"
        );
        assert_eq!(
            detail("password and authenticator code", &names),
            "password and authenticator code"
        );
    }

    #[test]
    fn every_case_event_kind_has_a_label() {
        for kind in [
            "logged",
            "triaged",
            "converted_to_complaint",
            "moved_to_stage1",
            "acknowledged",
            "assigned",
            "involvement_declared",
            "note",
            "contact",
            "extension",
            "letter_sent",
            "response",
            "escalation",
            "withdrawal",
            "closure",
            "reopened",
            "restriction",
            "duplicate_marked",
            "evidence_added",
            "representative_changed",
            "restriction_proposed",
            "restriction_declined",
            "restriction_ended",
            "approval_answered",
            "response_checked",
            "property_address_shared",
            "escalation_refused",
            "decision_drafted",
            "compensation_approved",
            "compensation_paid",
            "linked",
            "corrected",
            "email_received",
            "receipt_queued",
            "updates_agreed",
            "ombudsman",
        ] {
            let label = action_label(&format!("case_{kind}"));
            assert!(!label.contains('_'), "{kind}: {label}");
            assert!(
                !label.starts_with("Case "),
                "{kind} needs its own label: {label}"
            );
        }
    }
}
