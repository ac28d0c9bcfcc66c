//! Assigning a case to a service area and investigating manager (officers), and recording a
//! manager's declared involvement (officers for any manager; the assigned manager for
//! themself), which takes the case off that manager.

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::cases::assign::{
    candidates, check_assignee, decide_assign, decide_involvement, involved_managers, suggested,
    Candidate, Investigator,
};
use crate::cases::available::CaseAction;
use crate::db::{service_areas, users, DbConnection};
use crate::domain::{Refusal, Role, ServiceAreaId, UserId};
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{FieldErrors, Form, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::{
    finish, load_for, perform, reshow, ActionHead, CaseRequest, Gate, Outcome, Problem, Seen,
};

/// Active managers and directors, labelled with their service areas, for recording who
/// declared involvement; those already recorded are left out.
fn involvement_choices(conn: &mut DbConnection, involved: &[UserId]) -> Result<Vec<Opt>, AppError> {
    let areas = service_areas::list_all(conn)?;
    let mut managers = Vec::new();
    for role in [Role::Manager, Role::Director] {
        for user in users::list_by_role(conn, role.as_str())? {
            if involved.contains(&user.id) {
                continue;
            }
            let member_of: Vec<String> = users::service_area_ids(conn, user.id)?
                .iter()
                .filter_map(|id| areas.iter().find(|a| a.id == *id).map(|a| a.name.clone()))
                .collect();
            let label = if member_of.is_empty() {
                format!("{} ({})", user.display_name, role.label())
            } else {
                format!(
                    "{} ({}: {})",
                    user.display_name,
                    role.label(),
                    member_of.join(", ")
                )
            };
            managers.push(Opt::new(user.id.to_string(), label));
        }
    }
    Ok(managers)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AssignForm {
    pub service_area: String,
    pub manager: String,
    /// Set by the "Show people in this area" button: show the form again for the chosen
    /// area rather than assign (the way to filter without JavaScript).
    pub show_people: String,
    pub version: i32,
    pub last_event: i32,
}

/// The people of the chosen area, as the assign form lists them (the whole form, or the
/// part htmx swaps in when the area changes).
#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/assign_people.html")]
pub struct AssignPeople {
    pub errors: FieldErrors,
    pub who: Words,
    /// `None` until an area is chosen.
    pub area_chosen: bool,
    pub people: Vec<Candidate>,
    pub selected: String,
    /// Names of those in the area who declared involvement (not offered).
    pub involved: Vec<String>,
    /// Managers and directors both offered (stage 1): each is labelled with their role.
    pub mixed_roles: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/assign.html")]
pub struct AssignPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FieldErrors,
    pub form: AssignForm,
    pub areas: Vec<Opt>,
    pub people: AssignPeople,
}

/// How the form names the person it assigns: a manager at stages 0 and 1, a director at
/// stage 2.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    pub heading: &'static str,
    pub legend: &'static str,
    pub hint: &'static str,
    pub select: &'static str,
    pub none_in_area: &'static str,
}

impl Words {
    pub fn of(who: Investigator) -> Words {
        match who {
            Investigator::Manager => Words {
                heading: "Assign to an investigating manager",
                legend: "Investigating manager",
                hint: "Someone in the service area who was not involved in the matter. The manager with the fewest open cases comes chosen.",
                select: "Select an investigating manager",
                none_in_area: "No manager in this service area can take the case: choose another area",
            },
            Investigator::Director => Words {
                heading: "Assign to a reviewing director",
                legend: "Reviewing director",
                hint: "A director in the service area who was not involved in the matter and did not answer it at stage 1. The one with the fewest open cases comes chosen.",
                select: "Select a reviewing director",
                none_in_area: "No director in this service area can review the case: choose another area",
            },
        }
    }
}

/// What the assign form offers: the areas in use, and who of the chosen area may take the
/// case.
struct AssignChoices {
    who: Investigator,
    /// The area whose people are listed.
    area: Option<ServiceAreaId>,
    areas: Vec<Opt>,
    people: Vec<Candidate>,
    involved: Vec<String>,
}

impl AssignChoices {
    fn people(self, errors: FieldErrors, area: &str, selected: String) -> AssignPeople {
        // Until someone offered is chosen, the suggested person comes chosen (a choice of
        // someone no longer offered, or from another area, is not kept).
        let offered = self.people.iter().any(|p| p.id.to_string() == selected);
        let selected = match (offered, suggested(self.who, &self.people)) {
            (false, Some(person)) => person.to_string(),
            _ => selected,
        };
        let mixed_roles = self.people.iter().any(|p| p.role != self.people[0].role);
        AssignPeople {
            errors,
            mixed_roles,
            who: Words::of(self.who),
            area_chosen: self.areas.iter().any(|a| a.value == area),
            people: self.people,
            selected,
            involved: self.involved,
        }
    }
}

/// The areas in use, and the people of `area` who may take `case`.
fn assign_choices(
    conn: &mut DbConnection,
    case: &crate::cases::load::LoadedCase,
    area: Option<ServiceAreaId>,
) -> Result<AssignChoices, AppError> {
    let areas: Vec<Opt> = service_areas::list_all(conn)?
        .into_iter()
        .filter(|a| a.active)
        .map(|a| Opt::new(a.id.to_string(), a.name))
        .collect();
    // Only an area in use lists anyone.
    let area = area.filter(|a| areas.iter().any(|o| o.value == a.to_string()));
    AssignChoices {
        who: Investigator::for_case(case),
        area,
        areas,
        people: Vec::new(),
        involved: Vec::new(),
    }
    .with_people(conn, case)
}

impl AssignChoices {
    /// The people of the chosen area who may take `case`.
    fn with_people(
        mut self,
        conn: &mut DbConnection,
        case: &crate::cases::load::LoadedCase,
    ) -> Result<AssignChoices, AppError> {
        if let Some(area) = self.area {
            (self.people, self.involved) = candidates(conn, case, area)?;
        }
        Ok(self)
    }
}

/// What the form first shows: the case's own area if it has one, else the only area in use
/// when there is just one (nothing to choose).
fn first_choices(
    conn: &mut DbConnection,
    case: &crate::cases::load::LoadedCase,
) -> Result<AssignChoices, AppError> {
    let choices = assign_choices(conn, case, case.row.service_area_id)?;
    let only = match (choices.area, choices.areas.as_slice()) {
        (None, [only]) => area_of(&only.value),
        _ => None,
    };
    match only {
        Some(area) => AssignChoices {
            area: Some(area),
            ..choices
        }
        .with_people(conn, case),
        None => Ok(choices),
    }
}

fn area_of(raw: &str) -> Option<ServiceAreaId> {
    raw.parse::<i32>().ok().map(ServiceAreaId)
}

async fn assign_page(
    ctx: &CaseRequest,
    form: Option<AssignForm>,
    problem: Problem,
) -> AppResult<AssignPage> {
    let chosen = form.as_ref().map(|f| area_of(&f.service_area));
    let (case, choices) = load_for(ctx, CaseAction::Assign, move |conn, case| match chosen {
        Some(area) => assign_choices(conn, case, area),
        None => first_choices(conn, case),
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "manager", |r| match r {
        Refusal::NotTriaged | Refusal::CaseClosed | Refusal::NotAComplaint => Some("service-area"),
        _ => None,
    });
    let form = form.unwrap_or_else(|| AssignForm {
        service_area: choices.area.map(|a| a.to_string()).unwrap_or_default(),
        manager: case
            .row
            .assignee_id
            .map(|a| a.to_string())
            .unwrap_or_default(),
        ..AssignForm::default()
    });
    let areas = choices.areas.clone();
    Ok(AssignPage {
        // "…recorded as sent: now assign an investigator", when an acknowledgement led here.
        ctx: ctx.user.page().with_flash(&ctx.session),
        head,
        people: choices.people(errors.clone(), &form.service_area, form.manager.clone()),
        errors,
        form,
        areas,
    })
}

pub async fn form(ctx: CaseRequest) -> AppResult<AssignPage> {
    assign_page(&ctx, None, Problem::None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PeopleQuery {
    pub service_area: String,
}

/// The people of the area chosen on the assign form (htmx swaps them in when the area
/// changes; the button does the same without JavaScript).
pub async fn people(
    ctx: CaseRequest,
    query: actix_web::web::Query<PeopleQuery>,
) -> AppResult<AssignPeople> {
    let area = area_of(&query.service_area);
    let (_, choices) = load_for(&ctx, CaseAction::Assign, move |conn, case| {
        assign_choices(conn, case, area)
    })
    .await?;
    Ok(choices.people(FieldErrors::new(), &query.service_area, String::new()))
}

pub async fn submit(ctx: CaseRequest, Form(form): Form<AssignForm>) -> AppResult<HttpResponse> {
    if !form.show_people.is_empty() {
        return reshow(Problem::None, |p| assign_page(&ctx, Some(form), p)).await;
    }
    assign(&ctx, form, "Case assigned".to_string()).await
}

/// The investigator chosen with the case page's phone acknowledgement, to assign the case in
/// the same step (issue 21): the assign form's areas and first choices (the case's own area,
/// or the only one in use, with its people and the suggested one chosen).
pub struct AssignWithAck {
    pub areas: Vec<Opt>,
    /// The area whose people are listed; empty until one is chosen.
    pub service_area: String,
    pub people: AssignPeople,
}

/// What the phone acknowledgement offers for assigning; `None` when no area is in use. The
/// caller has checked that the viewer may assign the case.
pub fn with_acknowledgement(
    conn: &mut DbConnection,
    case: &crate::cases::load::LoadedCase,
) -> Result<Option<AssignWithAck>, AppError> {
    let choices = first_choices(conn, case)?;
    if choices.areas.is_empty() {
        return Ok(None);
    }
    let service_area = choices.area.map(|a| a.to_string()).unwrap_or_default();
    let areas = choices.areas.clone();
    Ok(Some(AssignWithAck {
        areas,
        people: choices.people(FieldErrors::new(), &service_area, String::new()),
        service_area,
    }))
}

/// Assigns the case to the investigator chosen with its acknowledgement on the case page,
/// once the acknowledgement is recorded: the case as it now stands is the one seen. A
/// refusal (someone declared involvement meanwhile, say) shows the assign form with why and
/// the choice kept; the acknowledgement stays recorded.
pub async fn after_acknowledging(
    ctx: &CaseRequest,
    service_area: String,
    manager: String,
    acknowledged: &str,
) -> AppResult<HttpResponse> {
    let (case, ()) = load_for(ctx, CaseAction::Assign, |_, _| Ok(())).await?;
    let head = ActionHead::of(&case);
    // Shown on the assign form if the assignment is refused.
    crate::web::session::set_flash(&ctx.session, acknowledged);
    let form = AssignForm {
        service_area,
        manager,
        version: head.version,
        last_event: head.last_event,
        ..AssignForm::default()
    };
    assign(ctx, form, format!("{acknowledged} and the case assigned")).await
}

async fn assign(ctx: &CaseRequest, form: AssignForm, message: String) -> AppResult<HttpResponse> {
    let area = area_of(&form.service_area);
    let manager = form.manager.parse::<i32>().ok().map(UserId);
    let (Some(area), Some(manager)) = (area, manager) else {
        // The message names a manager or a director, as the case's stage needs.
        let (_, who) = load_for(ctx, CaseAction::Assign, |_, case| {
            Ok(Investigator::for_case(case))
        })
        .await?;
        let mut errors = FieldErrors::new();
        if area.is_none() {
            errors.add("service-area", "Select a service area");
        }
        if manager.is_none() {
            errors.add("manager", Words::of(who).select);
        }
        return reshow(Problem::Input(errors), |p| assign_page(ctx, Some(form), p)).await;
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let links = ctx.state.links.clone();
    let outcome = perform(
        ctx,
        CaseAction::Assign,
        seen,
        move |conn, _| check_assignee(conn, area, manager),
        move |case, rules, assignee| decide_assign(case, area, manager, &assignee, rules, links),
        message,
    )
    .await?;
    finish(outcome, &ctx.session, |p| assign_page(ctx, Some(form), p)).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InvolvementForm {
    pub manager: String,
    pub version: i32,
    pub last_event: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/involvement.html")]
pub struct InvolvementPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FieldErrors,
    pub form: InvolvementForm,
    /// Empty for a manager declaring their own involvement.
    pub managers: Vec<Opt>,
}

async fn involvement_page(
    ctx: &CaseRequest,
    form: Option<InvolvementForm>,
    problem: Problem,
) -> AppResult<InvolvementPage> {
    let officer = ctx.user.role == Role::Officer;
    let (case, managers) = load_for(ctx, INVOLVEMENT, move |conn, case| {
        if !officer {
            return Ok(Vec::new());
        }
        let involved: Vec<UserId> = involved_managers(case).into_iter().collect();
        involvement_choices(conn, &involved)
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "manager", |_| None);
    Ok(InvolvementPage {
        ctx: ctx.user.page(),
        head,
        errors,
        form: form.unwrap_or_default(),
        managers,
    })
}

/// The involvement page serves officers recording a manager's involvement and the
/// assignee declaring their own.
const INVOLVEMENT: Gate = Gate::AnyOf(&[
    CaseAction::RecordInvolvement,
    CaseAction::DeclareOwnInvolvement,
]);

pub async fn involvement_form(ctx: CaseRequest) -> AppResult<InvolvementPage> {
    involvement_page(&ctx, None, Problem::None).await
}

pub async fn involvement_submit(
    ctx: CaseRequest,
    Form(form): Form<InvolvementForm>,
) -> AppResult<HttpResponse> {
    // Officers name the manager; a manager can only declare their own involvement.
    let manager = if ctx.user.role == Role::Officer {
        form.manager.parse::<i32>().ok().map(UserId)
    } else {
        Some(ctx.user.id)
    };
    let Some(manager) = manager else {
        let mut errors = FieldErrors::new();
        errors.add("manager", "Select the manager who declared involvement");
        return reshow(Problem::Input(errors), |p| {
            involvement_page(&ctx, Some(form), p)
        })
        .await;
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let outcome = perform(
        &ctx,
        INVOLVEMENT,
        seen,
        |_, _| Ok(()),
        move |case, rules, ()| decide_involvement(case, manager, rules),
        "Involvement recorded: that manager cannot hold this case",
    )
    .await?;
    match outcome {
        // A manager who gave the case up can no longer see it: send them home.
        Outcome::Done { reference, message } if ctx.user.role != Role::Officer => {
            crate::web::session::set_flash(
                &ctx.session,
                &format!("{message}. {reference} has gone back to the complaints team"),
            );
            Ok(crate::web::responses::see_other("/"))
        }
        outcome => {
            finish(outcome, &ctx.session, |p| {
                involvement_page(&ctx, Some(form), p)
            })
            .await
        }
    }
}
