//! The list of subject access requests, recording one, extending its deadline and recording
//! it answered.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;

use super::{acting, due_tag, load, long, require, DueTag};
use crate::db::subject_access::{self as table, RequestRow};
use crate::domain::date_input::DateField;
use crate::privacy::subject_access::requests::{
    self as use_case, NewSubjectAccess, RequestError, NAME_MAX, REASON_MAX,
};
use crate::rules::subject_access::{SubjectAccessError, MAX_EXTENSION_MONTHS};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{render_invalid, FieldErrors, Form, Opt};
use crate::web::ombudsman::form::{Field, FormPage, Typed};
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

const STALE: &str =
    "Someone else changed this subject access request while you were on the form: look at it again";

pub struct ListRow {
    pub id: i32,
    pub person: String,
    pub received: String,
    pub due: String,
    pub tag: DueTag,
}

#[derive(Template, WebTemplate)]
#[template(path = "privacy/subject_access_list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub open: Vec<ListRow>,
    pub answered: Vec<ListRow>,
}

/// Answered requests shown under the open ones.
const ANSWERED_SHOWN: i64 = 20;

pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
) -> AppResult<ListPage> {
    require(&user)?;
    let (open, answered) = state
        .db(|conn| Ok((table::open(conn)?, table::answered(conn, ANSWERED_SHOWN)?)))
        .await?;
    let today = state.clock.today();
    let row = |r: RequestRow| ListRow {
        tag: due_tag(&state, &r, today),
        id: r.id,
        person: r.person_name,
        received: long(r.received_on),
        due: long(r.due_on),
    };
    Ok(ListPage {
        ctx: user.page().with_flash(&session).current("/"),
        open: open.into_iter().map(row).collect(),
        answered: answered.into_iter().map(row).collect(),
    })
}

// ---- Recording a request ----

const RECEIVED: DateField = DateField {
    id: "received",
    label: "Date received",
    missing: "Enter the date the request was received",
};

fn new_page(ctx: PageCtx, typed: &Typed, errors: FieldErrors) -> FormPage {
    FormPage {
        ctx,
        title: "Record a subject access request".into(),
        caption: "Data protection".into(),
        intro: vec![
            "A resident may ask for a copy of the personal data held about them. The answer is due one calendar month after the request arrived; Redress works out the day.".into(),
            "Give what the person gave to identify themselves: their cases are found by their email address, telephone number, or name and postcode.".into(),
        ],
        back_href: "/subject-access".into(),
        back_label: "Back to subject access requests".into(),
        action: "/subject-access/new".into(),
        version: 0,
        fields: vec![
            Field::text(typed, "person-name", "Full name", "", "govuk-!-width-two-thirds"),
            Field::text(typed, "email", "Email address (optional)", "", "govuk-!-width-two-thirds"),
            Field::text(typed, "postcode", "Postcode (optional)", "", "govuk-input--width-10"),
            Field::text(typed, "telephone", "Telephone (optional)", "", "govuk-input--width-20"),
            Field::date(typed, "received", "Date received", "For example, 27 11 2026. A request that arrived on a non-working day still counts from that day."),
        ],
        submit: "Record the request".into(),
        errors,
    }
}

pub async fn new_form(user: CurrentUser) -> AppResult<FormPage> {
    require(&user)?;
    Ok(new_page(
        user.page().current("/"),
        &Typed::default(),
        FieldErrors::new(),
    ))
}

fn checked_request(
    typed: &Typed,
    errors: &mut FieldErrors,
    today: chrono::NaiveDate,
) -> Option<NewSubjectAccess> {
    let person_name = typed.text(
        errors,
        "person_name",
        "person-name",
        "Full name",
        Some("Enter the person's full name"),
        NAME_MAX,
    );
    let (email, postcode, telephone) = use_case::check_identifiers(
        errors,
        typed.get("email"),
        typed.get("postcode"),
        typed.get("telephone"),
    );
    let received_on = errors
        .take(RECEIVED.parse_not_future(
            typed.get("received_day"),
            typed.get("received_month"),
            typed.get("received_year"),
            true,
            today,
        ))
        .flatten();
    Some(NewSubjectAccess {
        person_name,
        email,
        postcode,
        telephone,
        received_on: received_on?,
    })
    .filter(|_| errors.is_empty())
}

pub async fn new_submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    Form(typed): Form<Typed>,
) -> AppResult<HttpResponse> {
    require(&user)?;
    let mut errors = FieldErrors::new();
    let Some(new) = checked_request(&typed, &mut errors, state.clock.today()) else {
        return render_invalid(&new_page(user.page().current("/"), &typed, errors));
    };
    let (app, ip, now) = (state.clone(), client.0.clone(), state.clock.now_naive());
    let acting_user = user.clone();
    let recorded = state
        .db(move |conn| {
            Ok(acting(&acting_user, &ip, |by| {
                use_case::record(conn, &app.calendar, &new, by, now)
            }))
        })
        .await?;
    match recorded {
        Ok(id) => {
            session::set_flash(&session, "Subject access request recorded");
            Ok(see_other(&format!("/subject-access/{id}")))
        }
        Err(RequestError::Rule(e)) => {
            let mut errors = FieldErrors::new();
            errors.add("received-day", e.to_string());
            render_invalid(&new_page(user.page().current("/"), &typed, errors))
        }
        Err(RequestError::Stale) => Err(AppError::Conflict(STALE.into())),
        Err(RequestError::Database(e)) => Err(e.into()),
    }
}

// ---- Extending the deadline ----

fn extend_page(ctx: PageCtx, request: &RequestRow, typed: &Typed, errors: FieldErrors) -> FormPage {
    FormPage {
        ctx,
        title: "Extend the deadline".into(),
        caption: format!("Subject access request from {}", request.person_name),
        intro: vec![
            format!(
                "The answer is due on {}. The law allows up to two more months when the request is complex or the person has made several, if you tell them within the first month and why.",
                long(request.due_on)
            ),
        ],
        back_href: format!("/subject-access/{}", request.id),
        back_label: "Back to the request".into(),
        action: format!("/subject-access/{}/extend", request.id),
        version: request.version,
        fields: vec![
            Field::radios(
                typed,
                "months",
                "How much longer is needed?",
                "",
                vec![Opt::new("1", "One more month"), Opt::new("2", "Two more months")],
            ),
            Field::area(
                typed,
                "reason",
                "Why the request needs longer",
                "For example, the request covers six complaints over four years. Tell the person this reason.",
                4,
            ),
        ],
        submit: "Extend the deadline".into(),
        errors,
    }
}

pub async fn extend_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i32>,
) -> AppResult<FormPage> {
    let request = load(&state, &user, path.into_inner()).await?;
    if request.answered_on.is_some() || request.extension_months > 0 {
        return Err(AppError::NotNow(
            "This request has already been answered or extended".into(),
        ));
    }
    Ok(extend_page(
        user.page().current("/"),
        &request,
        &Typed::default(),
        FieldErrors::new(),
    ))
}

pub async fn extend_submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
    Form(typed): Form<Typed>,
) -> AppResult<HttpResponse> {
    let request = load(&state, &user, path.into_inner()).await?;
    if typed.version() != request.version {
        return Err(AppError::Conflict(STALE.into()));
    }
    if request.answered_on.is_some() || request.extension_months > 0 {
        return Err(AppError::NotNow(
            "This request has already been answered or extended".into(),
        ));
    }
    let mut errors = FieldErrors::new();
    let months = match typed.get("months") {
        "1" => Some(1),
        "2" => Some(MAX_EXTENSION_MONTHS),
        _ => {
            errors.add("months", "Select how much longer is needed");
            None
        }
    };
    let reason = typed.text(
        &mut errors,
        "reason",
        "reason",
        "The reason",
        Some("Enter why the request needs longer"),
        REASON_MAX,
    );
    let (Some(months), true) = (months, errors.is_empty()) else {
        return render_invalid(&extend_page(
            user.page().current("/"),
            &request,
            &typed,
            errors,
        ));
    };
    let (app, ip, today) = (state.clone(), client.0.clone(), state.clock.today());
    let acting_user = user.clone();
    let shown = request.clone();
    let version = typed.version();
    let extended = state
        .db(move |conn| {
            Ok(acting(&acting_user, &ip, |by| {
                use_case::extend(
                    conn,
                    &app.calendar,
                    &shown,
                    version,
                    &use_case::Extension {
                        months,
                        reason: &reason,
                        decided_on: today,
                    },
                    by,
                )
            }))
        })
        .await?;
    match extended {
        Ok(due) => {
            session::set_flash(&session, &format!("Deadline extended to {}", long(due)));
            Ok(see_other(&format!("/subject-access/{}", request.id)))
        }
        Err(RequestError::Rule(SubjectAccessError::ExtendedTooLate(by))) => {
            let mut errors = FieldErrors::new();
            errors.add(
                "months",
                format!(
                    "It is too late to extend: an extension had to be decided by {}",
                    long(by)
                ),
            );
            render_invalid(&extend_page(
                user.page().current("/"),
                &request,
                &typed,
                errors,
            ))
        }
        Err(RequestError::Rule(e)) => {
            let mut errors = FieldErrors::new();
            errors.add("months", e.to_string());
            render_invalid(&extend_page(
                user.page().current("/"),
                &request,
                &typed,
                errors,
            ))
        }
        Err(RequestError::Stale) => Err(AppError::Conflict(STALE.into())),
        Err(RequestError::Database(e)) => Err(e.into()),
    }
}

// ---- Recording it answered ----

pub async fn answered(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
    Form(typed): Form<Typed>,
) -> AppResult<HttpResponse> {
    let request = load(&state, &user, path.into_inner()).await?;
    let (ip, today) = (client.0.clone(), state.clock.today());
    let acting_user = user.clone();
    let id = request.id;
    let version = typed.version();
    let done = state
        .db(move |conn| {
            Ok(acting(&acting_user, &ip, |by| {
                use_case::answer(conn, &request, version, today, by)
            }))
        })
        .await?;
    match done {
        Ok(()) => {
            session::set_flash(&session, "Request recorded as answered");
            Ok(see_other(&format!("/subject-access/{id}")))
        }
        Err(RequestError::Stale) => Err(AppError::Conflict(STALE.into())),
        Err(RequestError::Rule(e)) => Err(AppError::NotNow(e.to_string())),
        Err(RequestError::Database(e)) => Err(e.into()),
    }
}
