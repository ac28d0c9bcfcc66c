//! Actions on a case (triage, assign, acknowledge…): each a GET form and a POST. The POST
//! carries the version of the case the user saw; a stale one is refused and the form shown
//! again with what changed since. Refusals come back as GOV.UK errors on the form.

pub mod acknowledge;
pub mod assign;
pub mod closure;
pub mod decision;
pub mod investigation;
pub mod links;
pub mod representative;
pub mod restrictions;
pub mod stage_moves;
pub mod triage;

use actix_session::Session;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

pub use crate::cases::access::Who;
use crate::cases::access::{self, Denied, Viewer};
use crate::cases::available::CaseAction;
use crate::cases::load::{self, LoadedCase};
use crate::cases::transition::{self, ActingUser, CaseError, Decided, Rules};
use crate::db::DbConnection;
use crate::domain::{CaseReference, Refusal, ServiceAreaId, UserId};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/cases/{reference}/triage", web::get().to(triage::form))
        .route("/cases/{reference}/triage", web::post().to(triage::submit))
        .route("/cases/{reference}/assign", web::get().to(assign::form))
        .route("/cases/{reference}/assign", web::post().to(assign::submit))
        .route(
            "/cases/{reference}/involvement",
            web::get().to(assign::involvement_form),
        )
        .route(
            "/cases/{reference}/involvement",
            web::post().to(assign::involvement_submit),
        )
        .route(
            "/cases/{reference}/acknowledge",
            web::get().to(acknowledge::form),
        )
        .route(
            "/cases/{reference}/acknowledge",
            web::post().to(acknowledge::submit),
        )
        .route(
            "/cases/{reference}/convert",
            web::get().to(stage_moves::convert_form),
        )
        .route(
            "/cases/{reference}/convert",
            web::post().to(stage_moves::convert_submit),
        )
        .route(
            "/cases/{reference}/stage1",
            web::get().to(stage_moves::stage1_form),
        )
        .route(
            "/cases/{reference}/property-address",
            web::get().to(stage_moves::share_property_form),
        )
        .route(
            "/cases/{reference}/property-address",
            web::post().to(stage_moves::share_property_submit),
        )
        .route(
            "/cases/{reference}/stage1",
            web::post().to(stage_moves::stage1_submit),
        )
        .route(
            "/cases/{reference}/escalate",
            web::get().to(closure::escalate_form),
        )
        .route(
            "/cases/{reference}/escalate",
            web::post().to(closure::escalate_submit),
        )
        .route(
            "/cases/{reference}/withdraw",
            web::get().to(closure::withdraw_form),
        )
        .route(
            "/cases/{reference}/withdraw",
            web::post().to(closure::withdraw_submit),
        )
        .route(
            "/cases/{reference}/reopen",
            web::get().to(closure::reopen_form),
        )
        .route(
            "/cases/{reference}/reopen",
            web::post().to(closure::reopen_submit),
        )
        .route("/cases/{reference}/related", web::get().to(links::form))
        .route("/cases/{reference}/related", web::post().to(links::submit))
        .route(
            "/cases/{reference}/representative",
            web::get().to(representative::form),
        )
        .route(
            "/cases/{reference}/representative",
            web::post().to(representative::submit),
        )
        .route(
            "/cases/{reference}/notes",
            web::get().to(investigation::note_form),
        )
        .route(
            "/cases/{reference}/notes",
            web::post().to(investigation::note_submit),
        )
        .route(
            "/cases/{reference}/extend",
            web::get().to(investigation::extend_form),
        )
        .route(
            "/cases/{reference}/extend",
            web::post().to(investigation::extend_submit),
        )
        .route(
            "/cases/{reference}/decision",
            web::get().to(decision::draft_form),
        )
        .route(
            "/cases/{reference}/decision",
            web::post().to(decision::draft_submit),
        )
        .route(
            "/cases/{reference}/decision/send",
            web::get().to(decision::send_form),
        )
        .route(
            "/cases/{reference}/decision/send",
            web::post().to(decision::send_submit),
        )
        .route(
            "/cases/{reference}/compensation/approve",
            web::post().to(decision::approve),
        )
        .route(
            "/cases/{reference}/compensation/paid",
            web::get().to(decision::paid_form),
        )
        .route(
            "/cases/{reference}/compensation/paid",
            web::post().to(decision::paid_submit),
        )
        .route(
            "/cases/{reference}/restriction",
            web::get().to(restrictions::propose_form),
        )
        .route(
            "/cases/{reference}/restriction",
            web::post().to(restrictions::propose_submit),
        )
        .route(
            "/cases/{reference}/restriction/decide",
            web::get().to(restrictions::decide_form),
        )
        .route(
            "/cases/{reference}/restriction/decide",
            web::post().to(restrictions::decide_submit),
        )
        .route(
            "/cases/{reference}/restriction/end",
            web::get().to(restrictions::end_form),
        )
        .route(
            "/cases/{reference}/restriction/end",
            web::post().to(restrictions::end_submit),
        );
}

/// What every action form shows and posts back.
#[derive(Debug, Clone)]
pub struct ActionHead {
    pub reference: String,
    pub status_label: String,
    pub version: i32,
    /// The newest timeline entry the user had seen, to say what changed on a conflict.
    pub last_event: i32,
    /// Set when the form comes back because someone else changed the case.
    pub changed_since: Vec<String>,
}

impl ActionHead {
    pub fn of(case: &LoadedCase) -> ActionHead {
        ActionHead {
            reference: case.row.reference.clone(),
            status_label: case.row.status.label().to_string(),
            version: case.row.version,
            last_event: case.events.last().map(|e| e.id.0).unwrap_or(0),
            changed_since: Vec::new(),
        }
    }
}

/// The hidden fields every action form posts.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Seen {
    #[serde(default)]
    pub version: i32,
    #[serde(default)]
    pub last_event: i32,
}

/// What a route needs of the user: an action's rule (role, scope and the case's state), one
/// of several actions' (a route serving more than one), or only who may act (the parts of a
/// case that are not actions in their own right: letters, evidence, restrictions).
#[derive(Debug, Clone, Copy)]
pub enum Gate {
    Action(CaseAction),
    AnyOf(&'static [CaseAction]),
    Who(Who),
}

impl From<CaseAction> for Gate {
    fn from(action: CaseAction) -> Gate {
        Gate::Action(action)
    }
}

impl From<Who> for Gate {
    fn from(who: Who) -> Gate {
        Gate::Who(who)
    }
}

/// May `user` pass `gate` on `case`? The one check every case route makes: 403 when the
/// user may not, 409 with the reason when the case as it stands does not allow it.
pub(crate) fn allowed(
    user: &CurrentUser,
    case: &LoadedCase,
    gate: impl Into<Gate>,
) -> Result<(), AppError> {
    let viewer = Viewer {
        id: user.id,
        role: user.role,
        service_areas: &user.service_areas,
    };
    let denied = |d: Denied| match d {
        Denied::NotPermitted => AppError::Forbidden,
        Denied::NotNow(why) => AppError::NotNow(why.to_string()),
    };
    match gate.into() {
        Gate::Action(action) => access::may(&viewer, case, action).map_err(denied),
        Gate::AnyOf(actions) => {
            let tried: Vec<_> = actions
                .iter()
                .map(|a| access::may(&viewer, case, *a))
                .collect();
            if tried.iter().any(Result::is_ok) {
                return Ok(());
            }
            // Not now, if the user could ever take one of them; otherwise not theirs.
            let reason = tried.into_iter().find_map(|t| match t {
                Err(Denied::NotNow(why)) => Some(why),
                _ => None,
            });
            Err(denied(reason.map_or(Denied::NotPermitted, Denied::NotNow)))
        }
        Gate::Who(who) if access::permits(&viewer, &case.row, who) => Ok(()),
        Gate::Who(_) => Err(AppError::Forbidden),
    }
}

/// [`allowed`] for who may act on a case known only by its assignee and service area (a
/// list's row).
pub(crate) fn allowed_on(
    user: &CurrentUser,
    assignee: Option<UserId>,
    area: Option<ServiceAreaId>,
    who: Who,
) -> Result<(), AppError> {
    let viewer = Viewer {
        id: user.id,
        role: user.role,
        service_areas: &user.service_areas,
    };
    if access::permits_on(&viewer, assignee, area, who) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A required GOV.UK date that may not be in the future; a problem goes into `errors`
/// beside the box it concerns.
pub fn required_date(
    today: chrono::NaiveDate,
    field: &crate::domain::date_input::DateField,
    (day, month, year): (&str, &str, &str),
    errors: &mut crate::web::forms::FormErrors,
) -> Option<chrono::NaiveDate> {
    match field.parse_not_future(day, month, year, true, today) {
        Ok(date) => date,
        Err((id, message)) => {
            errors.add(&id, message);
            None
        }
    }
}

fn parse_reference(raw: &str) -> Result<String, AppError> {
    CaseReference::parse(raw)
        .map(|r| r.to_string())
        .map_err(|_| AppError::NotFound)
}

/// Loads a case for an action's form, checking the user may use the action, and runs
/// `extra` for whatever else the form needs, on the same connection.
pub async fn load_for<T, F>(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    reference: &str,
    gate: impl Into<Gate>,
    extra: F,
) -> AppResult<(LoadedCase, T)>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, &LoadedCase) -> Result<T, AppError> + Send + 'static,
{
    let reference = parse_reference(reference)?;
    let user = user.clone();
    let gate = gate.into();
    state
        .db(move |conn| {
            let case = load::by_reference(conn, &reference)?.ok_or(AppError::NotFound)?;
            allowed(&user, &case, gate)?;
            let more = extra(conn, &case)?;
            Ok((case, more))
        })
        .await
}

/// How an action ended.
pub enum Outcome {
    Done {
        reference: String,
        message: String,
    },
    /// Shown on the form: the domain's or the use-case's reason (the domain's refusal kept
    /// so the form can put the message beside the right field).
    Refused {
        message: String,
        refusal: Option<Refusal>,
    },
    /// Someone else changed the case: what they did.
    Stale(Vec<String>),
}

/// Who asks for which action on which case, having seen which version.
pub struct Request<'a> {
    pub state: &'a web::Data<AppState>,
    pub user: &'a CurrentUser,
    pub client: &'a ClientAddr,
    pub reference: &'a str,
    pub gate: Gate,
    pub seen: Seen,
}

/// Runs an action's decision through the transition runner. `precheck` may look things up
/// (and refuse) before the transaction; `decide` gets the locked, loaded case.
pub async fn perform<P, D, X>(
    request: Request<'_>,
    precheck: P,
    decide: D,
    message: &'static str,
) -> AppResult<Outcome>
where
    X: Send + 'static,
    P: FnOnce(&mut DbConnection) -> Result<X, CaseError> + Send + 'static,
    D: FnOnce(&LoadedCase, &Rules<'_>, X) -> Result<Decided, CaseError> + Send + 'static,
{
    let Request {
        state,
        user,
        client,
        reference,
        gate,
        seen,
    } = request;
    let reference = parse_reference(reference)?;
    let (user, ip) = (user.clone(), client.0.clone());
    let app = state.clone();
    state
        .db(move |conn| {
            let case = load::by_reference(conn, &reference)?.ok_or(AppError::NotFound)?;
            allowed(&user, &case, gate)?;
            let label = user.audit_label();
            let actor = ActingUser {
                id: user.id,
                label: &label,
                ip: Some(&ip),
            };
            let rules = Rules {
                calendar: &app.calendar,
                policies: &app.policies,
                today: app.clock.today(),
                now: app.clock.now_naive(),
            };
            let extra = match precheck(conn) {
                Ok(extra) => extra,
                Err(e) => return refusal(e),
            };
            let result = transition::apply(
                conn,
                case.row.id,
                seen.version,
                &actor,
                &rules,
                app.clock.now_naive(),
                |loaded| decide(loaded, &rules, extra),
            );
            match result {
                Ok(done) => Ok(Outcome::Done {
                    reference: done.row.reference,
                    message: message.to_string(),
                }),
                Err(CaseError::Stale) => {
                    let now = load::by_id(conn, case.row.id)?.ok_or(AppError::NotFound)?;
                    let changes = now
                        .events
                        .iter()
                        .filter(|e| e.id.0 > seen.last_event)
                        .map(|e| format!("{} ({})", e.summary, e.actor_label))
                        .collect();
                    Ok(Outcome::Stale(changes))
                }
                Err(e) => refusal(e),
            }
        })
        .await
}

fn refusal(e: CaseError) -> Result<Outcome, AppError> {
    match e {
        CaseError::Refused(r) => Ok(Outcome::Refused {
            message: r.to_string(),
            refusal: Some(r),
        }),
        CaseError::Invalid(message) => Ok(Outcome::Refused {
            message,
            refusal: None,
        }),
        CaseError::NotFound => Err(AppError::NotFound),
        other => Err(AppError::Internal(other.into())),
    }
}

/// After success: back to the case page with a confirmation.
pub fn done(session: &Session, reference: &str, message: &str) -> HttpResponse {
    session::set_flash(session, message);
    see_other(&format!("/cases/{reference}"))
}

pub const STALE_MESSAGE: &str =
    "This case was changed by someone else after you opened it. Nothing has been saved. Check what changed, then submit again";

/// Why a form is being shown again.
pub enum Problem {
    /// First showing.
    None,
    /// The input was refused before anything was tried.
    Input(crate::web::forms::FormErrors),
    /// The action was tried and refused, or the case had changed.
    Outcome(Outcome),
}

impl Problem {
    /// The errors to show. `field_for` picks the field a domain refusal belongs beside (the
    /// form's `main_field` otherwise); a conflict goes on `main_field` and lists the changes
    /// in the head.
    pub fn into_errors(
        self,
        head: &mut ActionHead,
        main_field: &str,
        field_for: impl Fn(&Refusal) -> Option<&'static str>,
    ) -> crate::web::forms::FormErrors {
        let mut errors = crate::web::forms::FormErrors::new();
        match self {
            Problem::None | Problem::Outcome(Outcome::Done { .. }) => {}
            Problem::Input(input) => errors = input,
            Problem::Outcome(Outcome::Refused { message, refusal }) => {
                let field = match &refusal {
                    // An unknown id goes beside the select that posted it.
                    Some(Refusal::UnknownChoice { field, .. }) => field.as_str(),
                    refusal => refusal.as_ref().and_then(&field_for).unwrap_or(main_field),
                };
                errors.add(field, message);
            }
            Problem::Outcome(Outcome::Stale(changes)) => {
                head.changed_since = changes;
                errors.add(main_field, STALE_MESSAGE);
            }
        }
        errors
    }
}

/// Ends an action: back to the case page on success, or the form again via `reshow`.
pub async fn finish<T, Fut>(
    outcome: Outcome,
    session: &Session,
    reshow: impl FnOnce(Outcome) -> Fut,
) -> AppResult<HttpResponse>
where
    T: askama::Template,
    Fut: std::future::Future<Output = AppResult<T>>,
{
    match outcome {
        Outcome::Done { reference, message } => Ok(done(session, &reference, &message)),
        failed => crate::web::forms::render_invalid(&reshow(failed).await?),
    }
}
