//! The "action completed" update (Code 6.6): a response may be sent while actions it
//! promised are still to do; when one is marked done afterwards, the resident is told. Each
//! update lists the actions completed since the last one, and the letter keeps which
//! actions it told the resident about (`Details::completed_actions`), so an action is
//! reported once whichever way the letter went.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::kind::LetterKind;
use super::view::Details;
use crate::db::letters as table;
use crate::db::schema::{decisions, remedies};
use crate::db::DbConnection;
use crate::domain::CaseId;

/// The stored stage key of these letters: they follow a response, whatever the stage.
pub const STAGE_KEY: &str = "actions";

/// A remedy action completed after the response that promised it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completed {
    pub id: i32,
    pub description: String,
    pub done_on: NaiveDate,
}

/// A remedy action on a sent response still to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outstanding {
    pub description: String,
    pub due_on: Option<NaiveDate>,
    /// The day the response promising it was sent.
    pub promised_on: NaiveDate,
}

type RemedyCols = (i32, String, Option<NaiveDate>, Option<NaiveDate>, NaiveDate);

/// `(id, description, due, done, response sent on)` of the remedies on the case's
/// sent responses that were actions to do (an owner or a date), oldest first.
fn actions_on_sent_responses(
    conn: &mut DbConnection,
    case: CaseId,
) -> QueryResult<Vec<RemedyCols>> {
    type Row = (
        i32,
        String,
        Option<NaiveDate>,
        Option<NaiveDate>,
        Option<NaiveDate>,
    );
    let rows: Vec<Row> = remedies::table
        .inner_join(decisions::table)
        .filter(remedies::case_id.eq(case))
        .filter(decisions::sent_on.is_not_null())
        .filter(
            remedies::owner_id
                .is_not_null()
                .or(remedies::due_on.is_not_null()),
        )
        .order((remedies::done_on.asc(), remedies::id.asc()))
        .select((
            remedies::id,
            remedies::description,
            remedies::due_on,
            remedies::done_on,
            decisions::sent_on,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, description, due, done, sent)| {
            sent.map(|sent| (id, description, due, done, sent))
        })
        .collect())
}

/// The ids of the actions already reported by a letter sent.
fn reported(conn: &mut DbConnection, case: CaseId) -> QueryResult<Vec<i32>> {
    Ok(table::for_case(conn, case)?
        .into_iter()
        .filter(|l| l.is_sent() && l.kind == LetterKind::ActionCompleted.as_str())
        .flat_map(|l| Details::parse(&l.details).completed_actions)
        .collect())
}

/// The actions completed after their response was sent and not yet reported to the
/// resident, in the order they were done.
pub fn unreported(conn: &mut DbConnection, case: CaseId) -> QueryResult<Vec<Completed>> {
    let actions = actions_on_sent_responses(conn, case)?;
    // Most cases promised no action (every case page asks): no letters to read then.
    if actions.is_empty() {
        return Ok(Vec::new());
    }
    let reported = reported(conn, case)?;
    Ok(actions
        .into_iter()
        .filter_map(|(id, description, _, done, sent)| {
            // Done before the response went: the response said so itself.
            let done = done.filter(|d| *d >= sent)?;
            (!reported.contains(&id)).then(|| Completed {
                id,
                description: description.trim().to_string(),
                done_on: done,
            })
        })
        .collect())
}

/// The actions promised in a sent response and still to do.
pub fn outstanding(conn: &mut DbConnection, case: CaseId) -> QueryResult<Vec<Outstanding>> {
    Ok(actions_on_sent_responses(conn, case)?
        .into_iter()
        .filter(|(_, _, _, done, _)| done.is_none())
        .map(|(_, description, due, _, sent)| Outstanding {
            description: description.trim().to_string(),
            due_on: due,
            promised_on: sent,
        })
        .collect())
}
