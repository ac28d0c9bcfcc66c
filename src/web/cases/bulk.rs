//! Acting on many cases at once from a work list (issue 24): assign them to a service area
//! and investigating manager (or reviewing director), change their case officer, or link
//! them to a related case.
//!
//! The selection is the list's ticked rows, or "all N matching" (the list's filter, read
//! again here up to [`MAX_CASES`]). Each selected case carries the version it had when it was
//! selected, and each goes through its own action exactly as its own form would send it
//! (`runner::perform_on`: the gate, the version check, the use-case's rules, the audit
//! entry, in its own transaction), so a case changed since, outside what the user may see
//! or not at the right step is refused on its own and the others are still done. Plain
//! form posts: no JavaScript needed.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use crate::auth::Permission;
use crate::cases::access;
use crate::cases::assign::{check_assignee, decide_assign};
use crate::cases::available::CaseAction;
use crate::cases::corrections::officer;
use crate::cases::links::decide_link;
use crate::cases::transition::CaseError;
use crate::db::work_lists::{self, ListDates};
use crate::db::{cases, service_areas, users, DbConnection};
use crate::domain::{CaseReference, Role, ServiceAreaId, UserId};
use crate::web::cases::list::{parse_request, url_for};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{clean_pairs, FieldErrors, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::{perform_on, Acting, Gate, Outcome, Seen};
use crate::web::state::AppState;

/// The most cases one bulk action takes: "all matching" on a long list stops here, and says so.
pub const MAX_CASES: usize = 500;

/// A selected case: its reference and the version it had when selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected {
    pub reference: String,
    pub version: i32,
}

impl Selected {
    /// `CMP-2026-000123:4`, as the list's checkboxes send it.
    pub fn parse(value: &str) -> Option<Selected> {
        let (reference, version) = value.trim().split_once(':')?;
        Some(Selected {
            reference: CaseReference::parse(reference).ok()?.to_string(),
            version: version.parse().ok()?,
        })
    }

    pub fn value(&self) -> String {
        format!("{}:{}", self.reference, self.version)
    }
}

/// The ticked cases, each once, in the order ticked; `None` when more than [`MAX_CASES`].
fn selected(pairs: &[(String, String)]) -> Option<Vec<Selected>> {
    let mut found: Vec<Selected> = Vec::new();
    for (key, value) in pairs {
        if key == "case" {
            if let Some(s) = Selected::parse(value) {
                if !found.iter().any(|f| f.reference == s.reference) {
                    found.push(s);
                }
            }
        }
    }
    (found.len() <= MAX_CASES).then_some(found)
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .unwrap_or("")
}

/// The list to go back to: a `/cases` address only (never somewhere else).
fn back_to(raw: &str) -> String {
    let ok = raw == "/cases" || (raw.starts_with("/cases?") && !raw.contains(['\r', '\n']));
    if ok {
        raw.to_string()
    } else {
        "/cases".to_string()
    }
}

/// The three actions, as the form offers them.
const ACTIONS: [(&str, &str); 3] = [
    (
        "assign",
        "Assign to a service area and investigating manager or director",
    ),
    ("officer", "Change the case officer"),
    ("relate", "Link to a related case"),
];

/// What the form had typed or chosen.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub action: String,
    pub service_area: String,
    pub manager: String,
    pub officer: String,
    pub other: String,
}

impl Typed {
    fn of(pairs: &[(String, String)]) -> Typed {
        Typed {
            action: field(pairs, "action").to_string(),
            service_area: field(pairs, "service_area").to_string(),
            manager: field(pairs, "manager").to_string(),
            officer: field(pairs, "officer").to_string(),
            other: field(pairs, "other").to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "cases/bulk.html")]
pub struct BulkPage {
    pub ctx: PageCtx,
    pub errors: FieldErrors,
    pub cases: Vec<Selected>,
    /// Shown when "all matching" stopped at [`MAX_CASES`].
    pub capped: Option<i64>,
    pub back: String,
    pub typed: Typed,
    pub actions: Vec<Opt>,
    pub areas: Vec<Opt>,
    pub managers: Vec<Opt>,
    pub officers: Vec<Opt>,
}

/// One case's result.
pub struct CaseResult {
    pub reference: String,
    pub why: String,
}

#[derive(Template)]
#[template(path = "cases/bulk_done.html")]
pub struct BulkDone {
    pub ctx: PageCtx,
    pub heading: String,
    pub what: &'static str,
    pub done: Vec<CaseResult>,
    pub refused: Vec<CaseResult>,
    pub back: String,
}

/// The form's choices: areas, managers and directors, officers.
type Choices = (Vec<Opt>, Vec<Opt>, Vec<Opt>);

/// The form's choices: areas in use, managers and directors (with their areas), officers.
fn choices(conn: &mut DbConnection) -> Result<Choices, AppError> {
    let areas = service_areas::list_all(conn)?;
    let area_opts = areas
        .iter()
        .filter(|a| a.active)
        .map(|a| Opt::new(a.id.to_string(), a.name.clone()))
        .collect();
    let mut managers = Vec::new();
    for role in [Role::Manager, Role::Director] {
        for user in users::list_by_role(conn, role.as_str())? {
            if !user.active {
                continue;
            }
            let member_of: Vec<String> = users::service_area_ids(conn, user.id)?
                .iter()
                .filter_map(|id| areas.iter().find(|a| a.id == *id).map(|a| a.name.clone()))
                .collect();
            let areas = if member_of.is_empty() {
                "no service area".to_string()
            } else {
                member_of.join(", ")
            };
            managers.push(Opt::new(
                user.id.to_string(),
                format!("{} ({}, {areas})", user.display_name, role.label()),
            ));
        }
    }
    managers.sort_by(|a, b| a.label.cmp(&b.label));
    let officers = users::list_by_role(conn, Role::Officer.as_str())?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| Opt::new(u.id.to_string(), u.display_name))
        .collect();
    Ok((area_opts, managers, officers))
}

fn html(status: actix_web::http::StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body)
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    cases: Vec<Selected>,
    capped: Option<i64>,
    back: String,
    typed: Typed,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let (areas, managers, officers) = state.db(choices).await?;
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::BAD_REQUEST
    };
    let page = BulkPage {
        ctx: user.page().current("/cases"),
        errors,
        cases,
        capped,
        back,
        typed,
        actions: ACTIONS.iter().map(|(v, l)| Opt::new(*v, *l)).collect(),
        areas,
        managers,
        officers,
    };
    Ok(html(status, page.render()?))
}

/// `GET /cases/bulk?case=…&back=…`, or `?all=true&<the list's query>`: the chosen cases and
/// what can be done to them.
pub async fn choose(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewCases)?;
    let pairs = clean_pairs(req.query_string().as_bytes());
    let filter = parse_request(req.query_string(), user.role).filter;
    let all = !field(&pairs, "all").is_empty();
    let back = if all {
        url_for(&filter, filter.list, 1, user.role)
    } else {
        back_to(field(&pairs, "back"))
    };
    let mut errors = FieldErrors::new();
    let (cases, capped) = if all {
        let dates = ListDates::new(&state.calendar, state.clock.today())
            .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
        let who = user.clone();
        let (found, total) = state
            .db(move |conn| {
                let viewer = who.viewer();
                let total = work_lists::count(conn, &viewer, &filter, &dates)?;
                let found =
                    work_lists::selection(conn, &viewer, &filter, &dates, MAX_CASES as i64)?;
                Ok((found, total))
            })
            .await?;
        let cases = found
            .into_iter()
            .map(|(reference, version)| Selected { reference, version })
            .collect();
        (cases, (total > MAX_CASES as i64).then_some(total))
    } else {
        match selected(&pairs) {
            Some(cases) => (cases, None),
            None => {
                errors.add(
                    "cases",
                    format!("Select {MAX_CASES} cases or fewer: narrow the list with its filters"),
                );
                (Vec::new(), None)
            }
        }
    };
    if cases.is_empty() && errors.is_empty() {
        errors.add("cases", "Select the cases to act on: tick them on the list");
    }
    form_page(&state, &user, cases, capped, back, Typed::default(), errors).await
}

/// What the chosen action needs, checked before any case is touched.
enum Chosen {
    Assign {
        area: ServiceAreaId,
        manager: UserId,
    },
    Officer(UserId),
    Relate(String),
}

/// The action and its choices, or the errors to show beside the fields.
fn check(conn: &mut DbConnection, typed: &Typed) -> Result<Result<Chosen, FieldErrors>, AppError> {
    let mut errors = FieldErrors::new();
    match typed.action.as_str() {
        "assign" => {
            let area = typed.service_area.parse().ok().map(ServiceAreaId);
            let manager = typed.manager.parse().ok().map(UserId);
            if area.is_none() {
                errors.add("service-area", "Select a service area");
            }
            if manager.is_none() {
                errors.add("manager", "Select an investigating manager or director");
            }
            if let (Some(area), Some(manager)) = (area, manager) {
                match check_assignee(conn, area, manager) {
                    Ok(_) => return Ok(Ok(Chosen::Assign { area, manager })),
                    Err(CaseError::Invalid(message)) => errors.add("manager", message),
                    Err(e) => return Err(AppError::Internal(e.into())),
                }
            }
        }
        "officer" => match typed.officer.parse().ok().map(UserId) {
            Some(id) => {
                let ok = users::find(conn, id)?
                    .is_some_and(|u| u.active && u.role == Role::Officer.as_str());
                if ok {
                    return Ok(Ok(Chosen::Officer(id)));
                }
                errors.add("officer", "Select a case officer from the list");
            }
            None => errors.add("officer", "Select a case officer"),
        },
        "relate" => match CaseReference::parse(&typed.other) {
            Ok(reference) => {
                let reference = reference.to_string();
                if cases::find_by_reference(conn, &reference)?.is_some() {
                    return Ok(Ok(Chosen::Relate(reference)));
                }
                errors.add("other", format!("There is no case {reference}"));
            }
            Err(_) => errors.add("other", "Enter a case reference, like CMP-2026-000123"),
        },
        _ => errors.add("action", "Select what to do with the cases"),
    }
    Ok(Err(errors))
}

/// Why a case was not done, in words.
fn refusal(outcome: Result<Outcome, AppError>) -> Result<Option<String>, AppError> {
    Ok(match outcome {
        Ok(Outcome::Done { .. }) => None,
        Ok(Outcome::Refused { message, .. }) => Some(format!("Not allowed: {message}")),
        Ok(Outcome::Stale { .. }) => Some(
            "Changed by someone else since you chose it: open it to see what changed, then try again"
                .to_string(),
        ),
        Err(AppError::Forbidden) => {
            Some("Not yours to do: only the complaints team can do this".to_string())
        }
        Err(AppError::NotNow(why)) => Some(format!("Not at this step: {why}")),
        Err(AppError::NotFound) => Some("There is no such case".to_string()),
        Err(other) => return Err(other),
    })
}

/// `POST /cases/bulk`: the action on each selected case, then what was done and what not.
pub async fn submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewCases)?;
    let pairs = clean_pairs(&body);
    let back = back_to(field(&pairs, "back"));
    let typed = Typed::of(&pairs);
    let Some(cases) = selected(&pairs) else {
        return Err(AppError::BadRequest(format!(
            "Select {MAX_CASES} cases or fewer"
        )));
    };
    if cases.is_empty() {
        let mut errors = FieldErrors::new();
        errors.add("cases", "Select the cases to act on: tick them on the list");
        return form_page(&state, &user, cases, None, back, typed, errors).await;
    }
    let checked = {
        let typed = typed.clone();
        state.db(move |conn| check(conn, &typed)).await?
    };
    let chosen = match checked {
        Ok(chosen) => chosen,
        Err(errors) => return form_page(&state, &user, cases, None, back, typed, errors).await,
    };
    let what = match chosen {
        Chosen::Assign { .. } => "assigned",
        Chosen::Officer(_) => "given their new case officer",
        Chosen::Relate(_) => "linked",
    };
    let app = state.clone();
    let who = user.clone();
    let ip = client.0.clone();
    let (done, refused) = state
        .db(move |conn| {
            let on = Acting {
                app: &app,
                user: &who,
                ip: &ip,
            };
            let viewer = who.viewer();
            let (mut done, mut refused) = (Vec::new(), Vec::new());
            for case in cases {
                let seen = Seen {
                    version: case.version,
                    last_event: 0,
                };
                // Outside what the user may see: said as such, before anything is loaded.
                let visible = cases::find_by_reference(conn, &case.reference)?
                    .is_some_and(|row| access::can_view(&viewer, &row));
                let outcome = if !visible {
                    Some("Outside the cases you may see or act on".to_string())
                } else {
                    refusal(run(conn, &on, &case.reference, seen, &chosen))?
                };
                let result = CaseResult {
                    reference: case.reference,
                    why: outcome.clone().unwrap_or_default(),
                };
                match outcome {
                    None => done.push(result),
                    Some(_) => refused.push(result),
                }
            }
            Ok((done, refused))
        })
        .await?;
    let heading = format!(
        "{} of {} {} {what}",
        done.len(),
        done.len() + refused.len(),
        if done.len() + refused.len() == 1 {
            "case"
        } else {
            "cases"
        }
    );
    let page = BulkDone {
        ctx: user.page().current("/cases"),
        heading,
        what,
        done,
        refused,
        back,
    };
    Ok(html(actix_web::http::StatusCode::OK, page.render()?))
}

/// One case through the same action its own form runs.
fn run(
    conn: &mut DbConnection,
    on: &Acting<'_>,
    reference: &str,
    seen: Seen,
    chosen: &Chosen,
) -> Result<Outcome, AppError> {
    let app = on.app;
    match chosen {
        Chosen::Assign { area, manager } => {
            let (area, manager) = (*area, *manager);
            let links = app.links.clone();
            perform_on(
                conn,
                on,
                reference,
                Gate::Action(CaseAction::Assign),
                seen,
                move |conn, _| check_assignee(conn, area, manager),
                move |case, rules, assignee| {
                    decide_assign(case, area, manager, &assignee, rules, links)
                },
                "Case assigned".to_string(),
            )
        }
        Chosen::Officer(chosen) => {
            let chosen = *chosen;
            let links = app.links.clone();
            perform_on(
                conn,
                on,
                reference,
                Gate::Action(CaseAction::ChangeCaseOfficer),
                seen,
                move |conn, case| officer::look_up(conn, case, chosen),
                move |case, rules, people| officer::decide(case, people, rules, links),
                "Case officer changed".to_string(),
            )
        }
        Chosen::Relate(other) => {
            let other = other.clone();
            let now = app.clock.now_naive();
            perform_on(
                conn,
                on,
                reference,
                Gate::Action(CaseAction::Relate),
                seen,
                move |conn, _| {
                    cases::find_by_reference(conn, &other)?
                        .ok_or_else(|| CaseError::Invalid(format!("There is no case {other}")))
                },
                move |case, rules, other_row| decide_link(case, &other_row, rules, now),
                "Related case linked".to_string(),
            )
        }
    }
}
