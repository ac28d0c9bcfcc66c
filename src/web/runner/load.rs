//! Loading a case for an action's form.

use crate::cases::load::{self, LoadedCase};
use crate::db::DbConnection;
use crate::web::error::{AppError, AppResult};
use crate::web::runner::{allowed, CaseRequest, Gate};

/// Loads the case, checking the user may pass `gate`, and runs `extra` for whatever else
/// the form needs, on the same connection.
pub async fn load_for<T, F>(
    ctx: &CaseRequest,
    gate: impl Into<Gate>,
    extra: F,
) -> AppResult<(LoadedCase, T)>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, &LoadedCase) -> Result<T, AppError> + Send + 'static,
{
    let reference = ctx.reference.clone();
    let user = ctx.user.clone();
    let gate = gate.into();
    ctx.state
        .db(move |conn| {
            let case = load::by_reference(conn, &reference)?.ok_or(AppError::NotFound)?;
            allowed(&user, &case, gate)?;
            let more = extra(conn, &case)?;
            Ok((case, more))
        })
        .await
}
