//! What the audit log keeps of a case event (issue 29): ids, references, dates, the
//! vocabulary's codes, and the *names* of free-text fields, never their words. The
//! timeline keeps what was said; the log must stay when a case is anonymised.
//!
//! Every variant is taken apart field by field, without `..`, so a field added later
//! fails to compile here until someone decides whether the log may keep it.

use serde::Serialize;

use super::event::{CaseEvent, TriageDecision};

/// A vocabulary value as stored (`email`, `upheld`, `stage1`).
fn code<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

impl CaseEvent {
    pub fn audit_detail(&self) -> String {
        match self {
            CaseEvent::Logged {
                reference,
                channel,
                received,
                health_and_safety,
                safeguarding,
            } => format!(
                "reference={reference} channel={} received={received} health_and_safety={health_and_safety} safeguarding={safeguarding}",
                code(channel)
            ),
            CaseEvent::Triaged {
                officer,
                decision,
                on,
            } => {
                let decided = match decision {
                    TriageDecision::ServiceRequest { referred_to: _ } => {
                        "service_request (referred_to recorded)".to_string()
                    }
                    TriageDecision::Excluded {
                        reasons,
                        explanation: _,
                    } => format!(
                        "excluded reasons={} (explanation recorded)",
                        reasons.iter().map(code).collect::<Vec<_>>().join(",")
                    ),
                    other => code(&other.classification()),
                };
                format!("officer=user:{officer} on={on} decision={decided}")
            }
            CaseEvent::ConvertedToComplaint { dissatisfied_on } => {
                format!("dissatisfied_on={dissatisfied_on}")
            }
            CaseEvent::MovedToStage1 { on } => format!("on={on}"),
            CaseEvent::Acknowledged { stage, on, method } => {
                format!("stage={} on={on} method={}", code(stage), code(method))
            }
            CaseEvent::Assigned {
                service_area,
                manager,
                previous,
            } => format!(
                "service_area={service_area} manager=user:{manager}{}",
                previous
                    .map(|p| format!(" previous=user:{p}"))
                    .unwrap_or_default()
            ),
            CaseEvent::InvolvementDeclared {
                manager,
                unassigned,
            } => format!("manager=user:{manager} unassigned={unassigned}"),
            CaseEvent::Note { text: _, sensitive } => {
                format!("sensitive={sensitive} (text recorded)")
            }
            CaseEvent::Contact {
                on,
                with,
                summary: _,
            } => format!("on={on} with={} (summary recorded)", code(with)),
            CaseEvent::Extension {
                stage,
                granted_on,
                length,
                new_due,
                reason: _,
                approved_past_cap,
                notified,
            } => format!(
                "stage={} granted_on={granted_on} length={length} new_due={new_due} approved_past_cap={approved_past_cap} notified={} (reason recorded)",
                code(stage),
                notified
                    .map(|(on, method)| format!("{on} by {}", code(&method)))
                    .unwrap_or_else(|| "no".to_string())
            ),
            CaseEvent::LetterSent {
                letter,
                on,
                method,
                elsewhere,
            } => {
                let place = if *elsewhere { " elsewhere" } else { "" };
                format!("letter={letter} on={on} method={}{place}", code(method))
            }
            CaseEvent::Response { stage, on, outcome } => {
                format!("stage={} on={on} outcome={}", code(stage), code(outcome))
            }
            CaseEvent::Escalation {
                requested_on,
                reasons: _,
            } => format!("requested_on={requested_on} (reasons recorded)"),
            CaseEvent::EscalationRefused {
                requested_on,
                reason: _,
            } => format!("requested_on={requested_on} (reason recorded)"),
            CaseEvent::DecisionDrafted {
                stage,
                compensation_pence,
            } => format!(
                "stage={} compensation_pence={compensation_pence}",
                code(stage)
            ),
            CaseEvent::CompensationApproved { compensation_pence } => {
                format!("compensation_pence={compensation_pence}")
            }
            CaseEvent::CompensationPaid {
                amount_pence,
                paid_on,
            } => format!("amount_pence={amount_pence} paid_on={paid_on}"),
            CaseEvent::Linked { other } => format!("other=case:{other}"),
            CaseEvent::Withdrawal { on, reason: _ } => format!("on={on} (reason recorded)"),
            CaseEvent::Closure {
                on,
                reason,
                outcome,
            } => format!(
                "on={on} reason={}{}",
                code(reason),
                outcome
                    .map(|o| format!(" outcome={}", code(&o)))
                    .unwrap_or_default()
            ),
            CaseEvent::Reopened {
                on,
                reason: _,
                status,
            } => format!("on={on} status={} (reason recorded)", code(status)),
            CaseEvent::Restriction { summary: _, until } => format!(
                "until={} (summary recorded)",
                until.map(|d| d.to_string()).unwrap_or_else(|| "none".into())
            ),
            CaseEvent::DuplicateMarked {
                of: _,
                of_reference,
                on,
            } => format!("of=case:{of_reference} on={on}"),
            CaseEvent::EvidenceAdded {
                attachment,
                file_name: _,
            } => format!("attachment={attachment}"),
            CaseEvent::RepresentativeChanged {
                relationship,
                consent_received,
                added,
            } => format!(
                "relationship={} consent_received={} added={added}",
                code(relationship),
                consent_received
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "none".into())
            ),
            CaseEvent::RestrictionProposed {
                summary: _,
                review_on,
            } => format!("review_on={review_on} (summary recorded)"),
            CaseEvent::RestrictionDeclined {
                summary: _,
                reason: _,
            }
            | CaseEvent::RestrictionEnded {
                summary: _,
                reason: _,
            } => "summary and reason recorded".to_string(),
            CaseEvent::PropertyAddressShared { agreed_on } => format!("agreed_on={agreed_on}"),
            CaseEvent::ApprovalAnswered { returned, .. } => {
                format!("returned={returned} (subject and comment recorded)")
            }
            CaseEvent::ResponseChecked { stage, passed, .. } => {
                format!("stage={} passed={passed} (comment recorded)", code(stage))
            }
            CaseEvent::EmailReceived { email, .. } => {
                format!("email={email} (sender, subject and text recorded)")
            }
            CaseEvent::ReceiptQueued { .. } => "automatic receipt queued".to_string(),
            CaseEvent::UpdatesAgreed { every_working_days } => {
                format!("every_working_days={every_working_days}")
            }
            // What happened, never what was written.
            CaseEvent::Ombudsman { summary, .. } => format!("ombudsman: {summary}"),
            CaseEvent::Privacy { summary, reason: _ } => format!("privacy: {summary} (reason recorded)"),
            // Field names and the ids of staff and areas, never the old or new values.
            CaseEvent::Corrected { changes } => {
                let fields: Vec<&str> = changes.iter().map(|c| c.field()).collect();
                let ids: Vec<String> = changes.iter().flat_map(|c| c.ids()).collect();
                let mut detail = format!("fields={}", fields.join(", "));
                if !ids.is_empty() {
                    detail.push_str(&format!(" ids={}", ids.join(", ")));
                }
                detail
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::ids::AttachmentId;

    #[test]
    fn free_text_is_named_not_kept() {
        let on = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        let secret = "Mrs Jones at 4 Elm Road told us about her son";
        let events = [
            CaseEvent::Note {
                text: secret.into(),
                sensitive: true,
            },
            CaseEvent::Withdrawal {
                on,
                reason: secret.into(),
            },
            CaseEvent::EvidenceAdded {
                attachment: AttachmentId(7),
                file_name: secret.into(),
            },
            CaseEvent::RestrictionProposed {
                summary: secret.into(),
                review_on: on,
            },
            CaseEvent::Triaged {
                officer: crate::domain::UserId(2),
                decision: TriageDecision::ServiceRequest {
                    referred_to: secret.into(),
                },
                on,
            },
        ];
        for event in events {
            let detail = event.audit_detail();
            assert!(!detail.contains("Jones"), "{detail}");
            assert!(!detail.is_empty());
        }
        assert_eq!(
            CaseEvent::EvidenceAdded {
                attachment: AttachmentId(7),
                file_name: secret.into()
            }
            .audit_detail(),
            "attachment=7"
        );
    }
}
