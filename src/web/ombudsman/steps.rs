//! The forms that move a contact on: an evidence request, what was sent, the determination,
//! a complaint handling failure order, compliance with an order, a review request, a lesson,
//! and closing. Each handler parses what was typed, calls one use-case in
//! `crate::ombudsman::record`, and redirects to the contact; bad input is shown again beside
//! its field (400), a step the contact does not allow now likewise (409).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};

use super::contact::TEXT_MAX;
use super::form::{Field, FormPage, Typed};
use crate::cases::transition::ActingUser;
use crate::db::cases::CaseRow;
use crate::db::ombudsman::{self as table, ContactRow};
use crate::db::DbConnection;
use crate::domain::date_input::DateField;
use crate::domain::Money;
use crate::ombudsman::access::RegisterAction;
use crate::ombudsman::record::{
    self, ChfoInput, ComplianceInput, DeterminationInput, EvidenceDeadline, EvidenceRequestInput,
    EvidenceSentInput, FindingInput, LessonInput, OrderInput, RecommendationInput, RecordError,
    ReviewInput,
};
use crate::ombudsman::{Finding, OrderKind};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{render_invalid, render_with, FieldErrors, Form, Opt};
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

/// The longest short answer (a complaint element, a Code paragraph).
const SHORT_MAX: usize = 500;
/// The most working days an evidence deadline may be counted over.
const MOST_DAYS: u32 = 120;

/// A page for contact `c`'s form.
fn page(
    user: &CurrentUser,
    (c, case): (&ContactRow, &CaseRow),
    title: &str,
    action: &str,
    fields: Vec<Field>,
    submit: &str,
    errors: FieldErrors,
) -> FormPage {
    FormPage {
        ctx: user.page().current("/ombudsman"),
        title: title.to_string(),
        caption: format!("Housing Ombudsman · complaint {}", case.reference),
        intro: Vec::new(),
        back_href: format!("/ombudsman/{}", c.id),
        back_label: "Back to the Ombudsman contact".into(),
        action: format!("/ombudsman/{}/{action}", c.id),
        version: c.version,
        fields,
        submit: submit.to_string(),
        errors,
    }
}

/// What became of a write.
enum Outcome<T> {
    Done(T),
    /// Not with the contact as it stands: the field and why.
    NotNow(&'static str, &'static str),
}

/// Runs a use-case as `user`; a stale form is a 409 page, a step not allowed now is given
/// back for the form.
async fn write<T, F>(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    client: &ClientAddr,
    work: F,
) -> AppResult<Outcome<T>>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, &ActingUser<'_>, NaiveDateTime) -> Result<T, RecordError>
        + Send
        + 'static,
{
    let (acting_user, ip, now) = (user.clone(), client.0.clone(), state.clock.now_naive());
    state
        .db(
            move |conn| match super::acting(&acting_user, &ip, |actor| work(conn, actor, now)) {
                Ok(value) => Ok(Outcome::Done(value)),
                Err(RecordError::NotNow(field, why)) => Ok(Outcome::NotNow(field, why)),
                Err(e) => Err(super::failed(e)),
            },
        )
        .await
}

fn done(session: &Session, contact: i32, message: &str) -> AppResult<HttpResponse> {
    session::set_flash(session, message);
    Ok(see_other(&format!("/ombudsman/{contact}")))
}

/// The form again with `why` beside `field`, 409.
fn not_now(mut page: FormPage, field: &str, why: &str) -> AppResult<HttpResponse> {
    page.errors.add(field, why);
    render_with(StatusCode::CONFLICT, &page)
}

fn not_future(
    errors: &mut FieldErrors,
    id: &str,
    label: &str,
    date: Option<NaiveDate>,
    today: NaiveDate,
) {
    if date.is_some_and(|d| d > today) {
        errors.add(
            &format!("{id}-day"),
            format!("{label} must be today or in the past"),
        );
    }
}

// ---- Evidence request ----

const RECEIVED: DateField = DateField {
    id: "received",
    label: "Date received",
    missing: "Enter the date the request was received",
};
const DUE: DateField = DateField {
    id: "due",
    label: "Due date",
    missing: "Enter the date the Ombudsman set",
};

fn evidence_fields(typed: &Typed) -> Vec<Field> {
    vec![
        Field::date(
            typed,
            "received",
            "Date received",
            "For example, 27 11 2026",
        ),
        Field::area(
            typed,
            "asked",
            "What they asked for",
            "As the Ombudsman wrote it",
            5,
        ),
        Field::radios(
            typed,
            "deadline",
            "How was the deadline set?",
            "",
            vec![
                Opt::new("days", "A number of working days from receipt"),
                Opt::new("date", "A date the Ombudsman gave"),
            ],
        ),
        Field::text(
            typed,
            "days",
            "Working days (if counted in working days)",
            "Counted from the date received, leaving out weekends and bank holidays",
            "govuk-input--width-3",
        ),
        Field::date(
            typed,
            "due",
            "Due date (if they gave a date)",
            "For example, 17 12 2026",
        ),
    ]
}

pub async fn evidence_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i32>,
) -> AppResult<FormPage> {
    let (c, case) = super::load(&state, &user, path.into_inner(), RegisterAction::Write).await?;
    let mut typed = Typed::default();
    typed.set_date("received", state.clock.today());
    typed.set("deadline", "days");
    typed.set("days", "10");
    Ok(page(
        &user,
        (&c, &case),
        "Record an evidence request",
        "evidence",
        evidence_fields(&typed),
        "Record the request",
        FieldErrors::new(),
    ))
}

pub async fn evidence(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
    Form(typed): Form<Typed>,
) -> AppResult<HttpResponse> {
    let (c, case) = super::load(&state, &user, path.into_inner(), RegisterAction::Write).await?;
    let today = state.clock.today();
    let mut errors = FieldErrors::new();
    let received = typed.date(&mut errors, "received", RECEIVED, true);
    not_future(&mut errors, "received", "Date received", received, today);
    let asked = typed.text(
        &mut errors,
        "asked",
        "asked",
        "What they asked for",
        Some("Enter what the Ombudsman asked for"),
        TEXT_MAX,
    );
    let deadline = match typed.get("deadline") {
        "days" => match typed.get("days").trim().parse::<u32>() {
            Ok(n) if (1..=MOST_DAYS).contains(&n) => Some(EvidenceDeadline::WorkingDays(n)),
            _ => {
                errors.add(
                    "days",
                    format!("Enter a number of working days from 1 to {MOST_DAYS}"),
                );
                None
            }
        },
        "date" => typed
            .date(&mut errors, "due", DUE, true)
            .map(EvidenceDeadline::On),
        _ => {
            errors.add("deadline", "Select how the deadline was set");
            None
        }
    };
    let form = |errors| {
        page(
            &user,
            (&c, &case),
            "Record an evidence request",
            "evidence",
            evidence_fields(&typed),
            "Record the request",
            errors,
        )
    };
    let (Some(received), Some(deadline), true) = (received, deadline, errors.is_empty()) else {
        return render_invalid(&form(errors));
    };
    if let EvidenceDeadline::On(due) = deadline {
        if due < received {
            errors.add("due-day", "Due date must be on or after the date received");
            return render_invalid(&form(errors));
        }
    }
    let (due, basis) = match record::due_date(&state.calendar, received, deadline) {
        Ok(due) => due,
        Err(e) => {
            errors.add("days", format!("The deadline cannot be counted: {e}"));
            return render_invalid(&form(errors));
        }
    };
    let input = EvidenceRequestInput {
        received_on: received,
        deadline,
        asked,
    };
    let (id, version) = (c.id, typed.version());
    match write(&state, &user, &client, move |conn, actor, now| {
        record::add_evidence_request(conn, id, version, &input, (due, &basis), actor, now)
    })
    .await?
    {
        Outcome::Done(_) => done(
            &session,
            id,
            &format!(
                "The evidence request was recorded: due {}",
                super::contact::long(due)
            ),
        ),
        Outcome::NotNow(field, why) => not_now(form(FieldErrors::new()), field, why),
    }
}

// ---- What was sent ----

const SENT: DateField = DateField {
    id: "sent",
    label: "Date sent",
    missing: "Enter the date the evidence was sent",
};

async fn sent_context(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    id: i32,
    request: i32,
) -> AppResult<(ContactRow, CaseRow, table::EvidenceRequestRow, Vec<Opt>)> {
    let (c, case) = super::load(state, user, id, RegisterAction::Write).await?;
    let case_id = case.id;
    let (row, files) = state
        .db(move |conn| {
            let row = table::find_request(conn, id, request)?.ok_or(AppError::NotFound)?;
            let files = crate::db::attachments::for_case_with_uploader(conn, case_id)?;
            Ok((row, files))
        })
        .await?;
    let options = files
        .into_iter()
        .map(|(a, _)| Opt::new(a.id.to_string(), a.file_name))
        .collect();
    Ok((c, case, row, options))
}

fn sent_fields(typed: &Typed, row: &table::EvidenceRequestRow, files: Vec<Opt>) -> Vec<Field> {
    let mut fields = vec![
        Field::heading(
            "What they asked for",
            &format!("{} (due {})", row.asked, super::contact::long(row.due_on)),
        ),
        Field::date(typed, "sent", "Date sent", "For example, 4 12 2026"),
        Field::area(
            typed,
            "summary",
            "What was sent",
            "For example: the evidence bundle, the repair records and the surveyor's report",
            4,
        ),
    ];
    if !files.is_empty() {
        fields.push(Field::checks(
            typed,
            "attachments",
            "Files kept with the case that were sent",
            "",
            files,
        ));
    }
    fields
}

pub async fn sent_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
) -> AppResult<FormPage> {
    let (id, request) = path.into_inner();
    let (c, case, row, files) = sent_context(&state, &user, id, request).await?;
    let mut typed = Typed::default();
    typed.set_date("sent", row.sent_on.unwrap_or(state.clock.today()));
    typed.set("summary", row.sent_summary.clone().unwrap_or_default());
    for a in row.attachment_ids() {
        typed.set("attachments", a.to_string());
    }
    let action = format!("evidence/{request}/sent");
    Ok(page(
        &user,
        (&c, &case),
        "Record what was sent",
        &action,
        sent_fields(&typed, &row, files),
        "Record what was sent",
        FieldErrors::new(),
    ))
}

pub async fn sent(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<(i32, i32)>,
    Form(typed): Form<Typed>,
) -> AppResult<HttpResponse> {
    let (id, request) = path.into_inner();
    let (c, case, row, files) = sent_context(&state, &user, id, request).await?;
    let today = state.clock.today();
    let mut errors = FieldErrors::new();
    let on = typed.date(&mut errors, "sent", SENT, true);
    not_future(&mut errors, "sent", "Date sent", on, today);
    let summary = typed.text(
        &mut errors,
        "summary",
        "summary",
        "What was sent",
        Some("Enter what was sent"),
        TEXT_MAX,
    );
    let mut attachments = Vec::new();
    for raw in typed.all("attachments") {
        match raw.trim().parse::<i32>() {
            Ok(n) if files.iter().any(|f| f.value == n.to_string()) => attachments.push(n),
            _ => errors.add("attachments", "Choose files kept with this case"),
        }
    }
    attachments.sort_unstable();
    attachments.dedup();
    let action = format!("evidence/{request}/sent");
    let form = |errors| {
        page(
            &user,
            (&c, &case),
            "Record what was sent",
            &action,
            sent_fields(&typed, &row, files.clone()),
            "Record what was sent",
            errors,
        )
    };
    let (Some(on), true) = (on, errors.is_empty()) else {
        return render_invalid(&form(errors));
    };
    let input = EvidenceSentInput {
        request,
        sent_on: on,
        summary,
        attachments,
    };
    let version = typed.version();
    match write(&state, &user, &client, move |conn, actor, now| {
        record::record_evidence_sent(conn, id, version, &input, actor, now)
    })
    .await?
    {
        Outcome::Done(()) => done(&session, id, "What was sent was recorded"),
        Outcome::NotNow(field, why) => not_now(form(FieldErrors::new()), field, why),
    }
}

// ---- Determination ----

const DETERMINED: DateField = DateField {
    id: "determined",
    label: "Date of the determination",
    missing: "Enter the date of the determination",
};
/// Complaint elements, orders and recommendations the form offers (blank ones are ignored).
const ELEMENTS: usize = 3;
const ORDERS: usize = 3;
const RECOMMENDATIONS: usize = 2;
const ORDER_DUE: [DateField; ORDERS] = [
    DateField {
        id: "order-due-1",
        label: "Order 1's due date",
        missing: "Enter order 1's due date",
    },
    DateField {
        id: "order-due-2",
        label: "Order 2's due date",
        missing: "Enter order 2's due date",
    },
    DateField {
        id: "order-due-3",
        label: "Order 3's due date",
        missing: "Enter order 3's due date",
    },
];

fn finding_options() -> Vec<Opt> {
    Finding::ALL
        .into_iter()
        .map(|f| Opt::new(f.as_str(), f.label()))
        .collect()
}

fn order_options() -> Vec<Opt> {
    OrderKind::ORDERS
        .into_iter()
        .map(|k| Opt::new(k.as_str(), k.label()))
        .collect()
}

fn determination_fields(typed: &Typed) -> Vec<Field> {
    let mut fields = vec![
        Field::date(
            typed,
            "determined",
            "Date of the determination",
            "For example, 20 1 2027",
        ),
        Field::area(
            typed,
            "summary",
            "Summary (optional)",
            "The Ombudsman's conclusion in a sentence or two",
            3,
        ),
    ];
    for n in 1..=ELEMENTS {
        fields.push(Field::heading(
            &format!("Complaint element {n}"),
            if n == 1 {
                "One finding per element the Ombudsman investigated. Leave the rest blank."
            } else {
                ""
            },
        ));
        fields.push(Field::text(
            typed,
            &format!("element-{n}"),
            "What the element was about",
            "For example, the landlord's handling of the damp and mould repairs",
            "",
        ));
        fields.push(Field::select(
            typed,
            &format!("finding-{n}"),
            "Finding",
            "",
            finding_options(),
            "Choose a finding",
        ));
        fields.push(Field::area(
            typed,
            &format!("reasons-{n}"),
            "Reasons",
            "",
            3,
        ));
    }
    for n in 1..=ORDERS {
        fields.push(Field::heading(
            &format!("Order {n}"),
            if n == 1 { "What the Ombudsman ordered us to do, with the date to comply by. Leave blank if none." } else { "" },
        ));
        fields.push(Field::select(
            typed,
            &format!("order-kind-{n}"),
            "Kind of order",
            "",
            order_options(),
            "Choose a kind",
        ));
        fields.push(Field::area(
            typed,
            &format!("order-details-{n}"),
            "What we must do",
            "",
            2,
        ));
        fields.push(Field::text(
            typed,
            &format!("order-amount-{n}"),
            "Amount in pounds (for compensation)",
            "For example, 350",
            "govuk-input--width-10",
        ));
        fields.push(Field::date(
            typed,
            &format!("order-due-{n}"),
            "Due date",
            "For example, 17 2 2027",
        ));
    }
    for n in 1..=RECOMMENDATIONS {
        fields.push(Field::heading(
            &format!("Recommendation {n}"),
            if n == 1 {
                "What the Ombudsman recommended, and whether we accept it. Leave blank if none."
            } else {
                ""
            },
        ));
        fields.push(Field::area(
            typed,
            &format!("recommendation-{n}"),
            "What they recommended",
            "",
            2,
        ));
        fields.push(Field::radios(
            typed,
            &format!("accepted-{n}"),
            "Do we accept it?",
            "",
            vec![Opt::new("yes", "Yes"), Opt::new("no", "No")],
        ));
        fields.push(Field::text(
            typed,
            &format!("accepted-reason-{n}"),
            "Why (required if not accepted)",
            "",
            "",
        ));
    }
    fields
}

fn determination_page(
    user: &CurrentUser,
    (c, case): (&ContactRow, &CaseRow),
    typed: &Typed,
    errors: FieldErrors,
) -> FormPage {
    let mut page = page(
        user,
        (c, case),
        "Record the determination",
        "determination",
        determination_fields(typed),
        "Record the determination",
        errors,
    );
    page.intro = vec![
        "The directors of the case's service area are emailed when you record it.".to_string(),
    ];
    page
}

pub async fn determination_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (c, case) = super::load(&state, &user, path.into_inner(), RegisterAction::Write).await?;
    let mut typed = Typed::default();
    typed.set_date("determined", state.clock.today());
    let page = determination_page(&user, (&c, &case), &typed, FieldErrors::new());
    if c.determined_on.is_some() {
        return not_now(
            page,
            "determined-day",
            "The determination is already recorded",
        );
    }
    crate::web::forms::render_page(&page)
}

/// Reads the determination form; `None` when something is wrong (in `errors`).
fn parse_determination(
    typed: &Typed,
    errors: &mut FieldErrors,
    today: NaiveDate,
) -> Option<DeterminationInput> {
    let on = typed.date(errors, "determined", DETERMINED, true);
    not_future(errors, "determined", "Date of the determination", on, today);
    let summary = typed.text(errors, "summary", "summary", "The summary", None, TEXT_MAX);
    let mut findings = Vec::new();
    for n in 1..=ELEMENTS {
        let (e, f, r) = (
            format!("element-{n}"),
            format!("finding-{n}"),
            format!("reasons-{n}"),
        );
        let element = typed.text(
            errors,
            &e.replace('-', "_"),
            &e,
            "The element",
            None,
            SHORT_MAX,
        );
        let finding = typed.get(&f.replace('-', "_")).trim().to_string();
        let reasons = typed.text(
            errors,
            &r.replace('-', "_"),
            &r,
            "The reasons",
            None,
            TEXT_MAX,
        );
        if element.is_empty() && finding.is_empty() && reasons.is_empty() {
            continue;
        }
        if element.is_empty() {
            errors.add(&e, format!("Enter what complaint element {n} was about"));
        }
        match Finding::parse(&finding) {
            Some(kind) => findings.push(FindingInput {
                element,
                finding: kind,
                reasons,
            }),
            None => errors.add(&f, format!("Choose the finding on complaint element {n}")),
        }
    }
    if findings.is_empty() && !errors.has("element-1") && !errors.has("finding-1") {
        errors.add(
            "element-1",
            "Enter at least one complaint element and its finding",
        );
    }
    let mut orders = Vec::new();
    for n in 1..=ORDERS {
        let (k, d, a) = (
            format!("order-kind-{n}"),
            format!("order-details-{n}"),
            format!("order-amount-{n}"),
        );
        let kind = typed.get(&k.replace('-', "_")).trim().to_string();
        let details = typed.text(
            errors,
            &d.replace('-', "_"),
            &d,
            "What we must do",
            None,
            TEXT_MAX,
        );
        let amount = typed.get(&a.replace('-', "_")).trim().to_string();
        let due = typed.date(errors, &format!("order_due_{n}"), ORDER_DUE[n - 1], false);
        if kind.is_empty() && details.is_empty() && amount.is_empty() && due.is_none() {
            continue;
        }
        let Some(kind) = OrderKind::parse(&kind).filter(|k| OrderKind::ORDERS.contains(k)) else {
            errors.add(&k, format!("Choose the kind of order {n}"));
            continue;
        };
        if details.is_empty() {
            errors.add(&d, format!("Enter what order {n} requires"));
        }
        if due.is_none() && !errors.has_prefix(&format!("order-due-{n}")) {
            errors.add(
                &format!("order-due-{n}-day"),
                format!("Enter the date order {n} must be complied with by"),
            );
        }
        let amount_pence = if amount.is_empty() {
            if kind == OrderKind::Compensation {
                errors.add(
                    &a,
                    format!("Enter the compensation order {n} requires, in pounds"),
                );
            }
            None
        } else {
            match Money::parse(&amount) {
                Ok(m) => Some(m.pence()),
                Err(e) => {
                    errors.add(&a, format!("Order {n}'s amount: {e}"));
                    None
                }
            }
        };
        orders.push(OrderInput {
            kind,
            details,
            amount_pence,
            due_on: due,
        });
    }
    let mut recommendations = Vec::new();
    for n in 1..=RECOMMENDATIONS {
        let (r, acc, why) = (
            format!("recommendation-{n}"),
            format!("accepted-{n}"),
            format!("accepted-reason-{n}"),
        );
        let details = typed.text(
            errors,
            &r.replace('-', "_"),
            &r,
            "The recommendation",
            None,
            TEXT_MAX,
        );
        let accepted = typed.get(&acc.replace('-', "_")).trim().to_string();
        let reason = typed.text(
            errors,
            &why.replace('-', "_"),
            &why,
            "The reason",
            None,
            TEXT_MAX,
        );
        if details.is_empty() && accepted.is_empty() && reason.is_empty() {
            continue;
        }
        if details.is_empty() {
            errors.add(&r, format!("Enter what recommendation {n} was"));
        }
        let accepted = match accepted.as_str() {
            "yes" => true,
            "no" => {
                if reason.is_empty() {
                    errors.add(
                        &why,
                        format!("Enter why we do not accept recommendation {n}"),
                    );
                }
                false
            }
            _ => {
                errors.add(&acc, format!("Select whether we accept recommendation {n}"));
                false
            }
        };
        recommendations.push(RecommendationInput {
            details,
            accepted,
            reason,
        });
    }
    let on = on?;
    errors.is_empty().then_some(DeterminationInput {
        on,
        summary,
        findings,
        orders,
        recommendations,
    })
}

pub async fn determination(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
    Form(typed): Form<Typed>,
) -> AppResult<HttpResponse> {
    let (c, case) = super::load(&state, &user, path.into_inner(), RegisterAction::Write).await?;
    let mut errors = FieldErrors::new();
    let Some(input) = parse_determination(&typed, &mut errors, state.clock.today()) else {
        return render_invalid(&determination_page(&user, (&c, &case), &typed, errors));
    };
    let (id, version, links) = (c.id, typed.version(), state.links.clone());
    match write(&state, &user, &client, move |conn, actor, now| {
        record::record_determination(conn, id, version, &input, &links, actor, now)
    })
    .await?
    {
        Outcome::Done(()) => done(
            &session,
            id,
            "The determination was recorded and the area's directors emailed",
        ),
        Outcome::NotNow(_, why) => not_now(
            determination_page(&user, (&c, &case), &typed, FieldErrors::new()),
            "determined-day",
            why,
        ),
    }
}

// ---- Complaint handling failure order ----

const ISSUED: DateField = DateField {
    id: "issued",
    label: "Date issued",
    missing: "Enter the date the order was issued",
};
const CHFO_DUE: DateField = DateField {
    id: "due",
    label: "Due date",
    missing: "Enter the due date",
};

fn chfo_fields(typed: &Typed) -> Vec<Field> {
    vec![
        Field::date(typed, "issued", "Date issued", "For example, 5 1 2027"),
        Field::text(
            typed,
            "paragraph",
            "Complaint Handling Code paragraph",
            "For example, 6.14 (stage 2 response within 20 working days)",
            "govuk-input--width-10",
        ),
        Field::area(typed, "details", "What the order says", "", 4),
        Field::date(
            typed,
            "due",
            "Due date (optional)",
            "When the Ombudsman expects us to comply",
        ),
    ]
}

pub async fn chfo_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i32>,
) -> AppResult<FormPage> {
    let (c, case) = super::load(&state, &user, path.into_inner(), RegisterAction::Write).await?;
    let mut typed = Typed::default();
    typed.set_date("issued", state.clock.today());
    Ok(page(
        &user,
        (&c, &case),
        "Record a complaint handling failure order",
        "chfo",
        chfo_fields(&typed),
        "Record the order",
        FieldErrors::new(),
    ))
}

pub async fn chfo(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
    Form(typed): Form<Typed>,
) -> AppResult<HttpResponse> {
    let (c, case) = super::load(&state, &user, path.into_inner(), RegisterAction::Write).await?;
    let mut errors = FieldErrors::new();
    let issued = typed.date(&mut errors, "issued", ISSUED, true);
    not_future(
        &mut errors,
        "issued",
        "Date issued",
        issued,
        state.clock.today(),
    );
    let paragraph = typed.text(
        &mut errors,
        "paragraph",
        "paragraph",
        "The paragraph",
        Some("Enter the Code paragraph the order concerns"),
        SHORT_MAX,
    );
    let details = typed.text(
        &mut errors,
        "details",
        "details",
        "What the order says",
        Some("Enter what the order says"),
        TEXT_MAX,
    );
    let due_on = typed.date(&mut errors, "due", CHFO_DUE, false);
    let form = |errors| {
        page(
            &user,
            (&c, &case),
            "Record a complaint handling failure order",
            "chfo",
            chfo_fields(&typed),
            "Record the order",
            errors,
        )
    };
    let (Some(issued_on), true) = (issued, errors.is_empty()) else {
        return render_invalid(&form(errors));
    };
    let input = ChfoInput {
        issued_on,
        paragraph,
        details,
        due_on,
    };
    let (id, version, links) = (c.id, typed.version(), state.links.clone());
    match write(&state, &user, &client, move |conn, actor, now| {
        record::record_chfo(conn, id, version, &input, &links, actor, now)
    })
    .await?
    {
        Outcome::Done(_) => done(
            &session,
            id,
            "The complaint handling failure order was recorded",
        ),
        Outcome::NotNow(field, why) => not_now(form(FieldErrors::new()), field, why),
    }
}

// ---- Compliance ----

const COMPLETED: DateField = DateField {
    id: "completed",
    label: "Date complied with",
    missing: "Enter the date the order was complied with",
};
const EVIDENCE_SENT: DateField = DateField {
    id: "evidence-sent",
    label: "Date the evidence was sent",
    missing: "Enter the date the evidence was sent",
};

fn complied_fields(typed: &Typed, order: &table::OrderRow) -> Vec<Field> {
    let kind = OrderKind::parse(&order.kind)
        .map(|k| k.label())
        .unwrap_or("Order");
    vec![
        Field::heading(kind, &order.details),
        Field::date(
            typed,
            "completed",
            "Date complied with",
            "For example, 10 2 2027",
        ),
        Field::area(
            typed,
            "evidence",
            "Evidence of compliance",
            "For example: apology letter sent on 3 February; £350 paid by BACS, remittance 88231",
            4,
        ),
        Field::date(
            typed,
            "evidence-sent",
            "Date the compliance evidence went to the Ombudsman (optional)",
            "Leave blank if not sent yet",
        ),
    ]
}

async fn order_context(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    id: i32,
    order: i32,
) -> AppResult<(ContactRow, CaseRow, table::OrderRow)> {
    let (c, case) = super::load(state, user, id, RegisterAction::Write).await?;
    let row = state
        .db(move |conn| table::find_order(conn, id, order)?.ok_or(AppError::NotFound))
        .await?;
    Ok((c, case, row))
}

pub async fn complied_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
) -> AppResult<FormPage> {
    let (id, order) = path.into_inner();
    let (c, case, row) = order_context(&state, &user, id, order).await?;
    let mut typed = Typed::default();
    typed.set_date("completed", state.clock.today());
    Ok(page(
        &user,
        (&c, &case),
        "Record compliance with an order",
        &format!("orders/{order}/complied"),
        complied_fields(&typed, &row),
        "Record compliance",
        FieldErrors::new(),
    ))
}

pub async fn complied(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<(i32, i32)>,
    Form(typed): Form<Typed>,
) -> AppResult<HttpResponse> {
    let (id, order) = path.into_inner();
    let (c, case, row) = order_context(&state, &user, id, order).await?;
    let today = state.clock.today();
    let mut errors = FieldErrors::new();
    let completed = typed.date(&mut errors, "completed", COMPLETED, true);
    not_future(
        &mut errors,
        "completed",
        "Date complied with",
        completed,
        today,
    );
    let evidence = typed.text(
        &mut errors,
        "evidence",
        "evidence",
        "The evidence",
        Some("Enter the evidence of compliance"),
        TEXT_MAX,
    );
    let evidence_sent_on = typed.date(&mut errors, "evidence_sent", EVIDENCE_SENT, false);
    not_future(
        &mut errors,
        "evidence-sent",
        "Date the evidence was sent",
        evidence_sent_on,
        today,
    );
    let action = format!("orders/{order}/complied");
    let form = |errors| {
        page(
            &user,
            (&c, &case),
            "Record compliance with an order",
            &action,
            complied_fields(&typed, &row),
            "Record compliance",
            errors,
        )
    };
    let (Some(completed_on), true) = (completed, errors.is_empty()) else {
        return render_invalid(&form(errors));
    };
    let input = ComplianceInput {
        order,
        completed_on,
        evidence,
        evidence_sent_on,
    };
    let version = typed.version();
    match write(&state, &user, &client, move |conn, actor, now| {
        record::record_compliance(conn, id, version, &input, actor, now)
    })
    .await?
    {
        Outcome::Done(()) => done(&session, id, "Compliance with the order was recorded"),
        Outcome::NotNow(_, why) => not_now(form(FieldErrors::new()), "completed-day", why),
    }
}

// ---- Review request ----

const REQUESTED: DateField = DateField {
    id: "requested",
    label: "Date requested",
    missing: "Enter the date we asked for the review",
};

fn review_fields(typed: &Typed) -> Vec<Field> {
    vec![
        Field::date(
            typed,
            "requested",
            "Date we asked for a review",
            "For example, 30 1 2027",
        ),
        Field::area(
            typed,
            "outcome",
            "Outcome (optional)",
            "Leave blank until the Ombudsman answers",
            3,
        ),
    ]
}

pub async fn review_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i32>,
) -> AppResult<FormPage> {
    let (c, case) = super::load(&state, &user, path.into_inner(), RegisterAction::Write).await?;
    let mut typed = Typed::default();
    typed.set_date(
        "requested",
        c.review_requested_on.unwrap_or(state.clock.today()),
    );
    typed.set("outcome", c.review_outcome.clone().unwrap_or_default());
    Ok(page(
        &user,
        (&c, &case),
        "Record a review request",
        "review",
        review_fields(&typed),
        "Record the review request",
        FieldErrors::new(),
    ))
}

pub async fn review(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
    Form(typed): Form<Typed>,
) -> AppResult<HttpResponse> {
    let (c, case) = super::load(&state, &user, path.into_inner(), RegisterAction::Write).await?;
    let mut errors = FieldErrors::new();
    let requested = typed.date(&mut errors, "requested", REQUESTED, true);
    not_future(
        &mut errors,
        "requested",
        "Date requested",
        requested,
        state.clock.today(),
    );
    let outcome = typed.text(
        &mut errors,
        "outcome",
        "outcome",
        "The outcome",
        None,
        TEXT_MAX,
    );
    let form = |errors| {
        page(
            &user,
            (&c, &case),
            "Record a review request",
            "review",
            review_fields(&typed),
            "Record the review request",
            errors,
        )
    };
    let (Some(requested_on), true) = (requested, errors.is_empty()) else {
        return render_invalid(&form(errors));
    };
    let input = ReviewInput {
        requested_on,
        outcome,
    };
    let (id, version) = (c.id, typed.version());
    match write(&state, &user, &client, move |conn, actor, now| {
        record::record_review(conn, id, version, &input, actor, now)
    })
    .await?
    {
        Outcome::Done(()) => done(&session, id, "The review request was recorded"),
        Outcome::NotNow(_, why) => not_now(form(FieldErrors::new()), "requested-day", why),
    }
}

// ---- Lessons ----

const ACTION_DUE: DateField = DateField {
    id: "action-due",
    label: "The action's due date",
    missing: "Enter the action's due date",
};

fn lesson_fields(typed: &Typed) -> Vec<Field> {
    vec![
        Field::area(
            typed,
            "lesson",
            "What we learned",
            "It goes into the learning register, naming the Ombudsman's determination",
            4,
        ),
        Field::text(
            typed,
            "action",
            "Improvement action (optional)",
            "For example, retrain the repairs team on damp and mould inspections",
            "",
        ),
        Field::date(
            typed,
            "action-due",
            "The action's due date (optional)",
            "For example, 31 3 2027",
        ),
    ]
}

pub async fn lesson_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i32>,
) -> AppResult<FormPage> {
    let (c, case) = super::load(&state, &user, path.into_inner(), RegisterAction::Write).await?;
    Ok(page(
        &user,
        (&c, &case),
        "Raise a lesson from the determination",
        "lessons",
        lesson_fields(&Typed::default()),
        "Add to the learning register",
        FieldErrors::new(),
    ))
}

pub async fn lesson(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
    Form(typed): Form<Typed>,
) -> AppResult<HttpResponse> {
    let (c, case) = super::load(&state, &user, path.into_inner(), RegisterAction::Write).await?;
    let mut errors = FieldErrors::new();
    let lesson = typed.text(
        &mut errors,
        "lesson",
        "lesson",
        "The lesson",
        Some("Enter what we learned"),
        TEXT_MAX,
    );
    let action = typed.text(
        &mut errors,
        "action",
        "action",
        "The improvement action",
        None,
        SHORT_MAX,
    );
    let due = typed.date(&mut errors, "action_due", ACTION_DUE, false);
    if due.is_some() && action.is_empty() {
        errors.add("action", "Enter the improvement action the due date is for");
    }
    let form = |errors| {
        page(
            &user,
            (&c, &case),
            "Raise a lesson from the determination",
            "lessons",
            lesson_fields(&typed),
            "Add to the learning register",
            errors,
        )
    };
    if !errors.is_empty() {
        return render_invalid(&form(errors));
    }
    let input = LessonInput {
        lesson,
        action: (!action.is_empty()).then_some((action, None, due)),
    };
    let (id, version) = (c.id, typed.version());
    match write(&state, &user, &client, move |conn, actor, now| {
        record::raise_lesson(conn, id, version, &input, actor, now)
    })
    .await?
    {
        Outcome::Done(()) => done(
            &session,
            id,
            "The lesson was added to the learning register",
        ),
        Outcome::NotNow(_, why) => not_now(form(FieldErrors::new()), "lesson", why),
    }
}

// ---- Closing ----

pub async fn close(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
    Form(typed): Form<Typed>,
) -> AppResult<HttpResponse> {
    let (c, _) = super::load(&state, &user, path.into_inner(), RegisterAction::Write).await?;
    let (id, version, today) = (c.id, typed.version(), state.clock.today());
    match write(&state, &user, &client, move |conn, actor, now| {
        record::close(conn, id, version, today, actor, now)
    })
    .await?
    {
        Outcome::Done(()) => done(&session, id, "The Ombudsman contact was closed"),
        Outcome::NotNow(_, why) => Err(AppError::NotNow(why.to_string())),
    }
}
