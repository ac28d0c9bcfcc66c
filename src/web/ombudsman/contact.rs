//! One Ombudsman contact's page (its evidence requests, determination, orders and what to
//! do next), the form that records a contact on a case, and the case page's Ombudsman
//! section.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use chrono::NaiveDate;

use super::form::{Field, FormPage, Typed};
use crate::db::cases::{self as case_rows, CaseRow};
use crate::db::ombudsman::{self as table, ContactRow, EvidenceRequestRow, FindingRow, OrderRow};
use crate::db::DbConnection;
use crate::domain::date_input::DateField;
use crate::domain::{CaseReference, Money, Viewer};
use crate::ombudsman::access::{self, RegisterAction};
use crate::ombudsman::record::{self, ContactInput};
use crate::ombudsman::state::{self, ContactState, Facts};
use crate::ombudsman::{ContactKind, Finding, OrderKind};
use crate::rules::{rag_for, Calendar, RagThresholds};
use crate::web::cases::show::rag_tag;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{render_invalid, FieldErrors, Form, Opt};
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

pub(crate) fn long(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// A due date as people read it, with its RAG tag.
pub struct Due {
    pub date: String,
    pub tag: Option<(&'static str, &'static str)>,
}

pub(crate) fn due(
    calendar: &Calendar,
    today: NaiveDate,
    date: NaiveDate,
    thresholds: &RagThresholds,
    done: bool,
) -> Due {
    Due {
        date: long(date),
        tag: (!done)
            .then(|| rag_for(calendar, today, date, thresholds).ok())
            .flatten()
            .map(|(_, rag)| rag_tag(rag)),
    }
}

pub struct RequestView {
    pub id: i32,
    pub received: String,
    pub due: Due,
    pub basis: String,
    pub asked: String,
    /// "Sent 3 December 2026: …", or empty.
    pub sent: String,
    pub files: usize,
    pub bundle: String,
    pub open: bool,
}

pub struct FindingView {
    pub element: String,
    pub finding: String,
    pub reasons: String,
}

pub struct OrderView {
    pub id: i32,
    pub kind: String,
    pub details: String,
    pub amount: String,
    pub due: Option<Due>,
    /// "Complied with on …", "Overdue", "Accepted: …".
    pub status: String,
    pub status_class: &'static str,
    pub may_comply: bool,
}

/// The next thing to do, as the page's main button.
pub struct NextStep {
    pub label: String,
    pub href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "ombudsman/contact.html")]
pub struct ContactPage {
    pub ctx: PageCtx,
    pub id: i32,
    pub version: i32,
    pub reference: String,
    pub kind: &'static str,
    pub state: ContactState,
    pub contacted_on: String,
    pub ombudsman_reference: String,
    pub contact_name: String,
    pub notes: String,
    pub determined: Option<(String, String)>,
    pub review: Option<(String, String)>,
    pub closed: Option<String>,
    pub requests: Vec<RequestView>,
    pub findings: Vec<FindingView>,
    pub orders: Vec<OrderView>,
    pub recommendations: Vec<OrderView>,
    pub chfos: Vec<OrderView>,
    pub may_write: bool,
    pub next: Option<NextStep>,
}

fn order_view(
    o: &OrderRow,
    calendar: &Calendar,
    today: NaiveDate,
    thresholds: &RagThresholds,
) -> OrderView {
    let kind = OrderKind::parse(&o.kind);
    let (status, status_class) = match (kind, o.completed_on, o.accepted) {
        (Some(OrderKind::Recommendation), _, Some(true)) => {
            ("Accepted".to_string(), "govuk-tag--green")
        }
        (Some(OrderKind::Recommendation), _, _) => ("Not accepted".to_string(), "govuk-tag--grey"),
        (_, Some(done), _) => {
            let late = o.due_on.is_some_and(|d| done > d);
            (
                format!(
                    "Complied with {}{}",
                    long(done),
                    if late { " (late)" } else { "" }
                ),
                if late {
                    "govuk-tag--orange"
                } else {
                    "govuk-tag--green"
                },
            )
        }
        (_, None, _) if o.due_on.is_some_and(|d| d < today) => {
            ("Overdue".to_string(), "govuk-tag--red")
        }
        _ => ("Outstanding".to_string(), "govuk-tag--yellow"),
    };
    let mut details = o.details.clone();
    if let Some(paragraph) = &o.code_paragraph {
        details = format!("Code paragraph {paragraph}: {details}");
    }
    if let Some(reason) = o.response_reason.as_deref().filter(|r| !r.is_empty()) {
        details = format!("{details}\nOur answer: {reason}");
    }
    if let Some(evidence) = &o.completion_evidence {
        details = format!("{details}\nEvidence: {evidence}");
    }
    if let Some(sent) = o.evidence_sent_on {
        details = format!(
            "{details}\nCompliance evidence sent to the Ombudsman {}",
            long(sent)
        );
    }
    OrderView {
        id: o.id,
        kind: kind.map(|k| k.label()).unwrap_or("Order").to_string(),
        details,
        amount: o
            .amount_pence
            .map(|p| Money::from_pence(p).to_string())
            .unwrap_or_default(),
        due: o
            .due_on
            .map(|d| due(calendar, today, d, thresholds, o.completed_on.is_some())),
        status,
        status_class,
        may_comply: state::outstanding(o),
    }
}

pub async fn page(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    path: web::Path<i32>,
) -> AppResult<ContactPage> {
    let id = path.into_inner();
    let (contact, case) = super::load(&state, &user, id, RegisterAction::Read).await?;
    let may_write = access::may(
        &user.viewer(),
        case.assignee_id,
        case.service_area_id,
        RegisterAction::Write,
    );
    let (requests, findings, orders) = state
        .db(move |conn| {
            Ok((
                table::requests_of(conn, &[id])?,
                table::findings_of(conn, &[id])?,
                table::orders_of(conn, &[id])?,
            ))
        })
        .await?;
    let today = state.clock.today();
    let thresholds = RagThresholds {
        amber_within: state.settings.rules.amber_within,
    };
    let calendar = &state.calendar;
    let facts = Facts {
        contact: &contact,
        requests: requests.iter().collect(),
        orders: orders.iter().collect(),
    };
    let current = facts.state();
    let request_views: Vec<RequestView> = requests
        .iter()
        .map(|r| request_view(r, calendar, today, &thresholds))
        .collect();
    let views = |wanted: &dyn Fn(OrderKind) -> bool| -> Vec<OrderView> {
        orders
            .iter()
            .filter(|o| OrderKind::parse(&o.kind).is_some_and(wanted))
            .map(|o| order_view(o, calendar, today, &thresholds))
            .collect()
    };
    let order_views = views(&|k| OrderKind::ORDERS.contains(&k));
    let next = may_write
        .then(|| next_step(id, current, &requests, &orders))
        .flatten();
    Ok(ContactPage {
        ctx: user.page().current("/ombudsman").with_flash(&session),
        id,
        version: contact.version,
        reference: case.reference.clone(),
        kind: ContactKind::parse(&contact.kind)
            .map(|k| k.label())
            .unwrap_or("Contact"),
        state: current,
        contacted_on: long(contact.contacted_on),
        ombudsman_reference: contact.ombudsman_reference.clone(),
        contact_name: contact.contact_name.clone(),
        notes: contact.notes.clone(),
        determined: contact.determined_on.map(|d| {
            (
                long(d),
                contact.determination_summary.clone().unwrap_or_default(),
            )
        }),
        review: contact
            .review_requested_on
            .map(|d| (long(d), contact.review_outcome.clone().unwrap_or_default())),
        closed: contact.closed_on.map(long),
        requests: request_views,
        findings: findings.iter().map(finding_view).collect(),
        orders: order_views,
        recommendations: views(&|k| k == OrderKind::Recommendation),
        chfos: views(&|k| k == OrderKind::Chfo),
        may_write,
        next,
    })
}

fn request_view(
    r: &EvidenceRequestRow,
    calendar: &Calendar,
    today: NaiveDate,
    thresholds: &RagThresholds,
) -> RequestView {
    RequestView {
        id: r.id,
        received: long(r.received_on),
        due: due(calendar, today, r.due_on, thresholds, r.sent_on.is_some()),
        basis: r.due_basis.clone(),
        asked: r.asked.clone(),
        sent: r
            .sent_on
            .map(|d| {
                let summary = r.sent_summary.clone().unwrap_or_default();
                let late = if d > r.due_on { " (late)" } else { "" };
                format!("Sent {}{late}: {summary}", long(d))
            })
            .unwrap_or_default(),
        files: r.attachment_ids().len(),
        bundle: r
            .bundle_at
            .map(|at| format!("Bundle exported {}", long(crate::clock::london_date_of(at))))
            .unwrap_or_default(),
        open: r.sent_on.is_none(),
    }
}

fn finding_view(f: &FindingRow) -> FindingView {
    FindingView {
        element: f.element.clone(),
        finding: Finding::parse(&f.finding)
            .map(|f| f.label())
            .unwrap_or("Finding")
            .to_string(),
        reasons: f.reasons.clone(),
    }
}

/// The one next thing an officer does on a contact in `state`.
fn next_step(
    id: i32,
    state: ContactState,
    requests: &[EvidenceRequestRow],
    orders: &[OrderRow],
) -> Option<NextStep> {
    let step = |label: &str, href: String| {
        Some(NextStep {
            label: label.to_string(),
            href,
        })
    };
    match state {
        ContactState::AwaitingEvidence => {
            let r = requests.iter().find(|r| r.sent_on.is_none())?;
            step(
                "Record what was sent",
                format!("/ombudsman/{id}/evidence/{}/sent", r.id),
            )
        }
        ContactState::EvidenceSent | ContactState::AwaitingDetermination => step(
            "Record the determination",
            format!("/ombudsman/{id}/determination"),
        ),
        ContactState::OrdersOutstanding => {
            let o = orders.iter().find(|o| state::outstanding(o))?;
            step(
                "Record compliance",
                format!("/ombudsman/{id}/orders/{}/complied", o.id),
            )
        }
        ContactState::Complied | ContactState::DeterminedNoOrders | ContactState::Closed => None,
    }
}

// ---- Recording a contact on a case ----

const CONTACTED: DateField = DateField {
    id: "contacted",
    label: "Date of the contact",
    missing: "Enter the date the Ombudsman contacted us",
};

fn kind_options() -> Vec<Opt> {
    ContactKind::ALL
        .into_iter()
        .map(|k| Opt::new(k.as_str(), k.label()))
        .collect()
}

fn contact_form(ctx: PageCtx, reference: &str, typed: &Typed, errors: FieldErrors) -> FormPage {
    FormPage {
        ctx,
        title: "Record a Housing Ombudsman contact".into(),
        caption: format!("Complaint {reference}"),
        intro: vec![
            "Record each time the Housing Ombudsman, or a designated person (an MP, councillor or tenant panel), contacts us about this complaint. Evidence requests and the determination are recorded on the contact afterwards.".into(),
        ],
        back_href: format!("/cases/{reference}"),
        back_label: "Back to the case".into(),
        action: format!("/cases/{reference}/ombudsman"),
        version: 0,
        fields: vec![
            Field::radios(typed, "kind", "What is it?", "", kind_options()),
            Field::date(typed, "contacted", "Date of the contact", "For example, 27 11 2026"),
            Field::text(
                typed,
                "ombudsman-reference",
                "The Ombudsman's reference (optional)",
                "As it appears on their letter or email",
                "govuk-input--width-20",
            ),
            Field::text(
                typed,
                "contact-name",
                "Who is dealing with it (optional)",
                "The Ombudsman's caseworker, or the MP, councillor or panel",
                "govuk-!-width-two-thirds",
            ),
            Field::area(typed, "notes", "What they said (optional)", "", 4),
        ],
        submit: "Record the contact".into(),
        errors,
    }
}

/// The case `raw` names, if the viewer may record contacts on it.
async fn writable_case(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    raw: &str,
) -> AppResult<CaseRow> {
    super::require(user, RegisterAction::Write)?;
    let reference = CaseReference::parse(raw)
        .map_err(|_| AppError::NotFound)?
        .to_string();
    let viewer = user.clone();
    state
        .db(move |conn| {
            let case = case_rows::find_by_reference(conn, &reference)?.ok_or(AppError::NotFound)?;
            if !access::may(
                &viewer.viewer(),
                case.assignee_id,
                case.service_area_id,
                RegisterAction::Write,
            ) {
                return Err(AppError::Forbidden);
            }
            Ok(case)
        })
        .await
}

pub async fn new_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<FormPage> {
    let case = writable_case(&state, &user, &path).await?;
    let mut typed = Typed::default();
    typed.set_date("contacted", state.clock.today());
    Ok(contact_form(
        user.page().current("/ombudsman"),
        &case.reference,
        &typed,
        FieldErrors::new(),
    ))
}

/// The longest Ombudsman reference or contact name.
const SHORT_MAX: usize = 200;
/// The longest free text.
pub(crate) const TEXT_MAX: usize = 10_000;

pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    Form(typed): Form<Typed>,
) -> AppResult<HttpResponse> {
    let case = writable_case(&state, &user, &path).await?;
    let today = state.clock.today();
    let mut errors = FieldErrors::new();
    let kind = ContactKind::parse(typed.get("kind"));
    if kind.is_none() {
        errors.add("kind", "Select what the contact is");
    }
    let on = typed.date(&mut errors, "contacted", CONTACTED, true);
    if on.is_some_and(|d| d > today) {
        errors.add(
            "contacted-day",
            "Date of the contact must be today or in the past",
        );
    }
    let reference = typed.text(
        &mut errors,
        "ombudsman_reference",
        "ombudsman-reference",
        "The Ombudsman's reference",
        None,
        SHORT_MAX,
    );
    let contact_name = typed.text(
        &mut errors,
        "contact_name",
        "contact-name",
        "Who is dealing with it",
        None,
        SHORT_MAX,
    );
    let notes = typed.text(
        &mut errors,
        "notes",
        "notes",
        "What they said",
        None,
        TEXT_MAX,
    );
    let (Some(kind), Some(on), true) = (kind, on, errors.is_empty()) else {
        return render_invalid(&contact_form(
            user.page().current("/ombudsman"),
            &case.reference,
            &typed,
            errors,
        ));
    };
    let input = ContactInput {
        kind,
        contacted_on: on,
        reference,
        contact_name,
        notes,
    };
    let (now, ip) = (state.clock.now_naive(), client.0.clone());
    let acting_user = user.clone();
    let id = state
        .db(move |conn| {
            super::acting(&acting_user, &ip, |actor| {
                record::record_contact(conn, &case, &input, actor, now)
            })
            .map_err(super::failed)
        })
        .await?;
    session::set_flash(&session, "The Ombudsman contact was recorded");
    Ok(see_other(&format!("/ombudsman/{id}")))
}

// ---- The case page's section ----

pub struct SectionRow {
    pub id: i32,
    pub kind: &'static str,
    pub contacted_on: String,
    pub ombudsman_reference: String,
    pub state: ContactState,
    pub next_due: Option<String>,
    pub overdue: bool,
}

/// The case page's "Ombudsman" section: the case's contacts, for those who may read them.
pub struct CaseSection {
    pub rows: Vec<SectionRow>,
    /// May the viewer record a contact (officers)?
    pub may_record: bool,
}

/// The section for `case` as `viewer` may see it (none when they may not read the register).
pub fn case_section(
    conn: &mut DbConnection,
    viewer: &Viewer<'_>,
    case: &CaseRow,
    today: NaiveDate,
) -> diesel::QueryResult<Option<CaseSection>> {
    let (assignee, area) = (case.assignee_id, case.service_area_id);
    if !access::may(viewer, assignee, area, RegisterAction::Read) {
        return Ok(None);
    }
    let contacts = table::contacts_of_case(conn, case.id)?;
    let ids: Vec<i32> = contacts.iter().map(|c| c.id).collect();
    let requests = table::requests_of(conn, &ids)?;
    let orders = table::orders_of(conn, &ids)?;
    let rows = contacts
        .iter()
        .map(|c: &ContactRow| {
            let facts = Facts {
                contact: c,
                requests: requests.iter().filter(|r| r.contact_id == c.id).collect(),
                orders: orders.iter().filter(|o| o.contact_id == c.id).collect(),
            };
            SectionRow {
                id: c.id,
                kind: ContactKind::parse(&c.kind)
                    .map(|k| k.label())
                    .unwrap_or("Contact"),
                contacted_on: long(c.contacted_on),
                ombudsman_reference: c.ombudsman_reference.clone(),
                state: facts.state(),
                next_due: facts.next_due().map(long),
                overdue: facts.overdue(today),
            }
        })
        .collect();
    Ok(Some(CaseSection {
        rows,
        may_record: access::may(viewer, assignee, area, RegisterAction::Write),
    }))
}
