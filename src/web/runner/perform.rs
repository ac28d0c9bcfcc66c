//! Running an action's decision: the case loaded, the user checked, the decision made and
//! written in one transaction against the version the user saw.

use crate::cases::load::{self, LoadedCase};
use crate::cases::transition::{self, ActingUser, CaseError, Decided, Rules};
use crate::db::DbConnection;
use crate::domain::{CaseId, Refusal};
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::runner::{allowed, CaseRequest, Gate, Seen, STALE_MESSAGE};
use crate::web::state::AppState;

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
    /// Someone else changed the case (or the record the form edits): `message` says so,
    /// `changes` lists what they did.
    Stale {
        message: &'static str,
        changes: Vec<String>,
    },
}

impl Outcome {
    /// A use-case's error as the form shows it; `Err` for what is not the user's to fix.
    pub fn from_error(e: CaseError) -> Result<Outcome, AppError> {
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
}

/// What happened on case `case` after the timeline entry `last_event`, as the "what
/// changed" list shows it.
pub fn changes_since(
    conn: &mut DbConnection,
    case: CaseId,
    last_event: i32,
) -> Result<Vec<String>, AppError> {
    let now = load::by_id(conn, case)?.ok_or(AppError::NotFound)?;
    Ok(now
        .events
        .iter()
        .filter(|e| e.id.0 > last_event)
        .map(|e| format!("{} ({})", e.summary, e.actor_label))
        .collect())
}

/// Runs an action's decision through the transition runner. `precheck` may look things up
/// (and refuse) before the transaction; `decide` gets the locked, loaded case.
pub async fn perform<P, D, X>(
    ctx: &CaseRequest,
    gate: impl Into<Gate>,
    seen: Seen,
    precheck: P,
    decide: D,
    message: impl Into<String>,
) -> AppResult<Outcome>
where
    X: Send + 'static,
    P: FnOnce(&mut DbConnection, &LoadedCase) -> Result<X, CaseError> + Send + 'static,
    D: FnOnce(&LoadedCase, &Rules<'_>, X) -> Result<Decided, CaseError> + Send + 'static,
{
    let reference = ctx.reference.clone();
    let gate = gate.into();
    let message = message.into();
    let (user, ip) = (ctx.user.clone(), ctx.client.0.clone());
    let app = ctx.state.clone();
    ctx.state
        .db(move |conn| {
            let on = Acting {
                app: &app,
                user: &user,
                ip: &ip,
            };
            perform_on(conn, &on, &reference, gate, seen, precheck, decide, message)
        })
        .await
}

/// Who acts, and the app they act in: what [`perform_on`] needs besides the case.
pub struct Acting<'a> {
    pub app: &'a AppState,
    pub user: &'a CurrentUser,
    pub ip: &'a str,
}

/// [`perform`] on an open connection, for the case `reference`: the same gate, version
/// check and transition, so a bulk action runs each case exactly as its own form would.
#[allow(clippy::too_many_arguments)]
pub fn perform_on<P, D, X>(
    conn: &mut DbConnection,
    on: &Acting<'_>,
    reference: &str,
    gate: Gate,
    seen: Seen,
    precheck: P,
    decide: D,
    message: String,
) -> AppResult<Outcome>
where
    P: FnOnce(&mut DbConnection, &LoadedCase) -> Result<X, CaseError>,
    D: FnOnce(&LoadedCase, &Rules<'_>, X) -> Result<Decided, CaseError>,
{
    let (app, user) = (on.app, on.user);
    let case = load::by_reference(conn, reference)?.ok_or(AppError::NotFound)?;
    allowed(user, &case, gate)?;
    let label = user.audit_label();
    let actor = ActingUser {
        id: user.id,
        label: &label,
        ip: Some(on.ip),
    };
    let rules = Rules {
        calendar: &app.calendar,
        policies: &app.policies,
        today: app.clock.today(),
        now: app.clock.now_naive(),
    };
    let extra = match precheck(conn, &case) {
        Ok(extra) => extra,
        Err(e) => return Outcome::from_error(e),
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
            message,
        }),
        Err(CaseError::Stale) => Ok(Outcome::Stale {
            message: STALE_MESSAGE,
            changes: changes_since(conn, case.row.id, seen.last_event)?,
        }),
        Err(e) => Outcome::from_error(e),
    }
}
