//! The case page: summary, complainant (or "Confidential complainant"), deadlines with RAG,
//! timeline, and the actions the viewer's role allows. Every view of a restricted identity
//! or of vulnerability notes is audited.

use actix_session::Session;
use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;
use chrono::NaiveDate;

use crate::attachments::{human_size, kind};
use crate::auth::Permission;
use crate::cases::access::{self, Viewer};
use crate::cases::identity;
use crate::cases::load;
use crate::db::audit::{self, AuditEntry};
use crate::db::case_events::CaseEventRow;
use crate::db::{
    attachments, categories, complainants, complaint_points, contractors, decisions, service_areas,
    users, DbConnection,
};
use crate::domain::case::{
    Adjustment, CompensationStatus, ContactMethod, RepresentativeRelationship, TenancyRelationship,
};
use crate::domain::{CaseReference, Money, UserId};
use crate::rules::{DeadlineState, Rag, RagThresholds};
use crate::web::cases::actions::Who;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::FormErrors;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

/// The Property line for someone who may not know a confidential complainant's address.
const PROPERTY_WITHHELD: &str =
    "Withheld: the complainant is confidential and has not agreed to share it";

pub struct Row {
    pub key: String,
    pub value: String,
}

fn row(key: &str, value: impl Into<String>) -> Row {
    Row {
        key: key.to_string(),
        value: value.into(),
    }
}

pub struct DeadlineView {
    pub label: String,
    pub due: String,
    pub provisional: bool,
    pub state: String,
}

pub struct TimelineItem {
    pub summary: String,
    pub on: String,
    pub by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/show.html")]
pub struct CasePage {
    pub ctx: PageCtx,
    pub reference: String,
    pub status_label: String,
    pub summary: Vec<Row>,
    pub flags: Vec<&'static str>,
    /// `None` when the viewer may not see who complained.
    pub complainant: Option<Vec<Row>>,
    pub vulnerability_notes: Option<String>,
    pub representative: Option<Vec<Row>>,
    pub description: String,
    pub outcome_sought: String,
    pub deadlines: Vec<DeadlineView>,
    pub next_label: String,
    pub days_left: String,
    pub rag: Option<(&'static str, &'static str)>,
    pub deadline_problem: Option<String>,
    pub timeline: Vec<TimelineItem>,
    /// `(href, label)` of what the viewer may do now.
    pub actions: Vec<(String, &'static str)>,
    /// `(stage label, number, text)` of the agreed complaint definition.
    pub points: Vec<(String, i32, String)>,
    pub related: Vec<String>,
    pub decision: Option<DecisionView>,
    /// Frozen response outcomes, one line per stage.
    pub outcomes: Vec<String>,
    pub paid: Option<String>,
    /// The version and newest event the page showed, for forms posted from it.
    pub version: i32,
    pub last_event: i32,
    pub evidence: Vec<EvidenceItem>,
    pub may_add_evidence: bool,
    /// Why the last upload was refused (shown in the error summary and at the field).
    pub evidence_errors: FormErrors,
    /// The upload limit as people read it (`20MB`).
    pub max_upload: String,
    pub restriction: crate::web::cases::actions::restrictions::RestrictionPanel,
}

pub struct DecisionView {
    pub stage: String,
    pub outcome: String,
    pub summary: String,
    pub findings: Vec<(i32, String, String)>,
    pub remedies: Vec<String>,
    pub compensation: String,
    pub awaiting_approval: bool,
    pub can_approve: bool,
    pub sent: Option<String>,
}

/// One evidence file in the case page's list.
pub struct EvidenceItem {
    pub href: String,
    pub file_name: String,
    pub kind: String,
    pub size: String,
    pub on: String,
    pub by: String,
}

pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

fn deadline_label(name: &str) -> &'static str {
    match name {
        "acknowledge" => "Acknowledge",
        "respond" => "Respond",
        "respond_extended" => "Respond (extended)",
        _ => "Deadline",
    }
}

fn state_label(state: DeadlineState) -> String {
    match state {
        DeadlineState::Met => "Met".into(),
        DeadlineState::MetLate { days_late } => format!("Met late ({days_late} working days)"),
        DeadlineState::Pending => "Pending".into(),
        DeadlineState::Overdue { days_late } => format!("Overdue by {days_late} working days"),
        DeadlineState::Superseded => "Extended".into(),
    }
}

pub(crate) fn rag_tag(rag: Rag) -> (&'static str, &'static str) {
    match rag {
        Rag::Red => ("govuk-tag--red", "Overdue"),
        Rag::Amber => ("govuk-tag--orange", "Due soon"),
        Rag::Green => ("govuk-tag--green", "On track"),
    }
}

pub(crate) fn label_of<T: std::str::FromStr>(value: &str, label: fn(T) -> &'static str) -> String {
    value.parse::<T>().map(label).unwrap_or(value).to_string()
}

fn user_name(conn: &mut DbConnection, id: Option<UserId>) -> diesel::QueryResult<String> {
    Ok(match id {
        Some(id) => users::find(conn, id)?
            .map(|u| u.display_name)
            .unwrap_or_default(),
        None => "Not yet".into(),
    })
}

pub async fn page(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
) -> AppResult<CasePage> {
    render(&state, &user, &session, &client, &path, FormErrors::new()).await
}

/// The case page, with `evidence_errors` beside the upload field when an upload was refused.
pub async fn render(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    session: &Session,
    client: &ClientAddr,
    raw_reference: &str,
    evidence_errors: FormErrors,
) -> AppResult<CasePage> {
    let clock = state.clock;
    user.require(Permission::ViewCases)?;
    let reference = CaseReference::parse(raw_reference)
        .map_err(|_| AppError::NotFound)?
        .to_string();
    let today = clock.today();
    let app = state.clone();
    let viewer_user = user.clone();
    let reader = user.reader(client);
    let ip = client.0.clone();
    let page = state
        .db(move |conn| {
            let user = viewer_user;
            let loaded = load::by_reference(conn, &reference)?.ok_or(AppError::NotFound)?;
            let viewer = Viewer {
                id: user.id,
                role: user.role,
                service_areas: &user.service_areas,
            };
            if !access::can_view(&viewer, &loaded.row) {
                return Err(AppError::Forbidden);
            }
            let case = &loaded.row;
            let complainant = complainants::find(conn, case.complainant_id)?
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("case without complainant")))?;

            let mut summary = vec![
                row("Received", long_date(case.received_on)),
                row("How received", case.channel.label().to_string()),
            ];
            if let Some(on) = case.occurred_on {
                summary.push(row("Date the problem happened", long_date(on)));
            }
            if let Some(on) = case.aware_on {
                summary.push(row("Date the resident became aware", long_date(on)));
            }
            let area = match case.service_area_id {
                Some(id) => service_areas::find(conn, id)?
                    .map(|a| a.name)
                    .unwrap_or_default(),
                None => "Not yet assigned".into(),
            };
            summary.push(row("Service area", area));
            summary.push(row("Case officer", user_name(conn, case.case_officer_id)?));
            summary.push(row(
                "Investigating manager",
                user_name(conn, case.assignee_id)?,
            ));
            if let Some(id) = case.category_id {
                summary.push(row(
                    "Category",
                    categories::find(conn, id)?
                        .map(|c| c.name)
                        .unwrap_or_default(),
                ));
            }
            if let Some(id) = case.contractor_id {
                summary.push(row(
                    "Contractor",
                    contractors::find(conn, id)?
                        .map(|c| c.name)
                        .unwrap_or_default(),
                ));
            }
            if let Some(id) = case.property_id {
                let value = if identity::property_shown(conn, &reader, &loaded, "case page")? {
                    complainants::find_property(conn, id)?
                        .map(|p| format!("{}, {}", p.address.replace('\n', ", "), p.postcode))
                } else {
                    Some(PROPERTY_WITHHELD.to_string())
                };
                if let Some(value) = value {
                    summary.push(row("Property", value));
                }
            }
            let profile = app.policies.get(&case.policy);
            summary.push(row(
                "Policy",
                profile
                    .map(|p| p.display_name().to_string())
                    .unwrap_or_else(|| case.policy.clone()),
            ));
            let mut flags = Vec::new();
            if case.health_and_safety {
                flags.push("Health and safety");
            }
            if case.safeguarding {
                flags.push("Safeguarding");
            }
            if case.confidential {
                flags.push("Confidential");
            }

            // Who complained, for those who may know (the gate audits a confidential view).
            let target = format!("case:{}", case.reference);
            let sight = identity::sight(conn, &reader, case, "case page")?;
            let identity = if sight.shown() {
                let mut rows = vec![row("Name", complainant.name.clone())];
                if let Some(email) = &complainant.email {
                    rows.push(row("Email", email.clone()));
                }
                if let Some(phone) = &complainant.phone {
                    rows.push(row("Telephone", phone.clone()));
                }
                if let Some(address) = &complainant.address {
                    rows.push(row(
                        "Address",
                        format!(
                            "{}, {}",
                            address.replace('\n', ", "),
                            complainant.postcode.clone().unwrap_or_default()
                        ),
                    ));
                }
                rows.push(row(
                    "Preferred contact",
                    label_of::<ContactMethod>(&complainant.preferred_channel, ContactMethod::label),
                ));
                rows.push(row(
                    "Relationship to the home",
                    label_of::<TenancyRelationship>(
                        &complainant.tenancy_relationship,
                        TenancyRelationship::label,
                    ),
                ));
                Some(rows)
            } else {
                None
            };
            let adjustments: Vec<String> = complainant
                .adjustments
                .split(',')
                .filter(|a| !a.is_empty())
                .map(|a| {
                    let label = label_of::<Adjustment>(a, Adjustment::label);
                    match (a, &complainant.interpreter_language) {
                        ("interpreter", Some(language)) => format!("{label} ({language})"),
                        _ => label,
                    }
                })
                .collect();
            let identity = identity.map(|mut rows| {
                rows.push(row(
                    "Reasonable adjustments",
                    if adjustments.is_empty() {
                        "None".to_string()
                    } else {
                        adjustments.join(", ")
                    },
                ));
                rows
            });
            let vulnerability_notes = match &complainant.vulnerability_notes {
                Some(notes) if access::can_see_vulnerability(&viewer, case) => {
                    audit::record(
                        conn,
                        &AuditEntry::new(
                            Some(user.id),
                            user.audit_label(),
                            audit::VULNERABILITY_NOTES_VIEWED,
                            &target,
                            "",
                            Some(&ip),
                        ),
                    )?;
                    Some(notes.clone())
                }
                _ => None,
            };
            let representative = if identity.is_some() {
                complainants::representative_of(conn, case.id)?.map(|r| {
                    let mut rows = vec![
                        row("Name", r.name),
                        row(
                            "Relationship",
                            label_of::<RepresentativeRelationship>(
                                &r.relationship,
                                RepresentativeRelationship::label,
                            ),
                        ),
                    ];
                    // Contact details, shown under the same identity rule as the complainant's.
                    let contact = [
                        ("Email", r.email),
                        ("Telephone", r.phone),
                        ("Address", r.address.map(|a| a.replace('\n', ", "))),
                    ];
                    rows.extend(contact.into_iter().filter_map(|(key, value)| {
                        value.filter(|v| !v.trim().is_empty()).map(|v| row(key, v))
                    }));
                    rows.push(row(
                        "Consent received",
                        r.consent_received_on
                            .map(long_date)
                            .unwrap_or_else(|| "Not yet: letters go to the complainant".into()),
                    ));
                    rows
                })
            } else {
                None
            };

            // Deadlines from the rules engine.
            let thresholds = RagThresholds {
                amber_within: app.settings.rules.amber_within,
            };
            let mut deadlines = Vec::new();
            let (mut next_label, mut days_left, mut rag, mut deadline_problem) =
                (String::new(), String::new(), None, None);
            match profile.map(|p| {
                crate::cases::schedule::for_case(
                    &loaded.state,
                    p,
                    &app.calendar,
                    today,
                    &thresholds,
                )
            }) {
                Some(Ok(Some(schedule))) => {
                    for d in &schedule.deadlines {
                        deadlines.push(DeadlineView {
                            label: format!("{}: {}", d.stage.label(), deadline_label(d.name)),
                            due: long_date(d.due),
                            provisional: d.provisional,
                            state: state_label(d.state),
                        });
                    }
                    if let Some(next) = schedule.next() {
                        next_label =
                            format!("{} by {}", deadline_label(next.name), long_date(next.due));
                    }
                    if let Some(days) = schedule.days_left {
                        days_left = if days >= 0 {
                            format!("{days} working days left")
                        } else {
                            format!("{} working days overdue", -days)
                        };
                    }
                    rag = schedule.rag.map(rag_tag);
                }
                Some(Ok(None)) => {}
                Some(Err(e)) => deadline_problem = Some(e.to_string()),
                None => {
                    deadline_problem = Some(format!(
                        "The policy profile `{}` is not loaded",
                        case.policy
                    ))
                }
            }

            let actions = crate::cases::available::available(&viewer, &loaded)
                .into_iter()
                .map(|a| (format!("/cases/{}/{}", case.reference, a.path()), a.label()))
                .collect();
            let points = complaint_points::for_case(conn, case.id)?
                .into_iter()
                .map(|(stage, number, text)| {
                    let label = stage
                        .parse::<crate::rules::Stage>()
                        .map(|s| s.label().to_string())
                        .unwrap_or(stage);
                    (label, number, sight.text(&text))
                })
                .collect();
            let related = complaint_points::related_references(conn, case.id)?;
            let decision = match loaded.state.stage {
                Some(stage) => decisions::find(conn, case.id, stage)?,
                None => None,
            };
            let decision = match decision {
                Some(d) => {
                    let remedies = decisions::remedies_of(conn, d.id)?
                        .into_iter()
                        .map(|r| {
                            let mut text = format!("{}: {}", r.kind.label(), r.description);
                            if let Some(p) = r.amount_pence {
                                text.push_str(&format!(" ({})", Money::from_pence(p.into())));
                            }
                            if let Some(due) = r.due_on {
                                text.push_str(&format!(", due {}", long_date(due)));
                            }
                            text
                        })
                        .collect();
                    Some(DecisionView {
                        stage: d.stage.label().to_string(),
                        outcome: d
                            .outcome
                            .as_deref()
                            .map(|o| {
                                label_of::<crate::domain::case::Outcome>(
                                    o,
                                    crate::domain::case::Outcome::label,
                                )
                            })
                            .unwrap_or_else(|| "Not yet decided".into()),
                        summary: d.summary.clone(),
                        findings: decisions::findings_of(conn, d.id)?
                            .into_iter()
                            .map(|(n, f, r)| {
                                (
                                    n,
                                    label_of::<crate::domain::case::Outcome>(
                                        &f,
                                        crate::domain::case::Outcome::label,
                                    ),
                                    r,
                                )
                            })
                            .collect(),
                        remedies,
                        compensation: match d.compensation_status {
                            CompensationStatus::AwaitingApproval => format!(
                                "{} offered, awaiting a director's approval",
                                Money::from_pence(d.compensation_pence.into())
                            ),
                            CompensationStatus::Approved => format!(
                                "{} offered, approved",
                                Money::from_pence(d.compensation_pence.into())
                            ),
                            CompensationStatus::None => "None offered".into(),
                        },
                        awaiting_approval: d.compensation_status
                            == CompensationStatus::AwaitingApproval,
                        can_approve: d.compensation_status == CompensationStatus::AwaitingApproval
                            && user.role == crate::domain::Role::Director,
                        sent: d.sent_on.map(|on| {
                            format!(
                                "Sent on {} by {}",
                                long_date(on),
                                d.sent_method.clone().unwrap_or_default()
                            )
                        }),
                    })
                }
                None => None,
            };
            let outcomes = decisions::outcomes_of(conn, case.id)?
                .into_iter()
                .map(|o| {
                    let stage = o.stage.label();
                    let timing = if o.met {
                        "within timescale".to_string()
                    } else {
                        format!("{} working days late", o.days_late)
                    };
                    format!(
                        "{stage} response sent {}: {timing}{}",
                        long_date(o.sent_on),
                        if o.extended { " (extended)" } else { "" }
                    )
                })
                .collect();
            let paid_total = decisions::paid_total(conn, case.id)?;
            let paid = (paid_total > 0).then(|| format!("{} paid", Money::from_pence(paid_total)));
            let may_add_evidence =
                crate::web::cases::actions::allowed(&user, &loaded, Who::CaseTeam).is_ok();
            let evidence = attachments::for_case_with_uploader(conn, case.id)?
                .into_iter()
                .map(|(a, by)| EvidenceItem {
                    href: format!("/cases/{}/attachments/{}", case.reference, a.id),
                    kind: kind::by_mime(&a.content_type)
                        .map(|k| k.label)
                        .unwrap_or("File")
                        .to_string(),
                    size: human_size(u64::try_from(a.size_bytes).unwrap_or(0)),
                    on: long_date(
                        a.uploaded_at
                            .and_utc()
                            .with_timezone(&chrono_tz::Europe::London)
                            .date_naive(),
                    ),
                    file_name: a.file_name,
                    by,
                })
                .collect();
            let restriction =
                crate::web::cases::actions::restrictions::panel(conn, &user, &loaded, today)?;
            let mut timeline = Vec::new();
            for event in loaded.events.iter().rev() {
                let mut item = timeline_item(event);
                item.summary = sight.text(&item.summary);
                timeline.push(item);
            }
            Ok(CasePage {
                ctx: PageCtx::default(),
                reference: case.reference.clone(),
                status_label: case.status.label().to_string(),
                summary,
                flags,
                complainant: identity,
                vulnerability_notes,
                representative,
                // Staff write these: a name typed into them is withheld like the rest.
                description: sight.text(&case.description),
                outcome_sought: sight.text(&case.outcome_sought),
                deadlines,
                next_label,
                days_left,
                rag,
                deadline_problem,
                timeline,
                actions,
                points,
                related,
                decision,
                outcomes,
                paid,
                version: case.version,
                last_event: loaded.events.last().map(|e| e.id.0).unwrap_or(0),
                evidence,
                may_add_evidence,
                evidence_errors,
                max_upload: human_size(app.settings.storage.max_upload_bytes),
                restriction,
            })
        })
        .await?;
    Ok(CasePage {
        ctx: user.page().with_flash(session),
        ..page
    })
}

fn timeline_item(event: &CaseEventRow) -> TimelineItem {
    TimelineItem {
        summary: event.summary.clone(),
        on: long_date(event.occurred_on),
        by: event.actor_label.clone(),
    }
}
