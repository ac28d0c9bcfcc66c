//! Storage: the connection type, the generated schema, and one query module per aggregate.

pub mod approval_requests;
pub mod attachments;
pub mod audit;
pub mod bulk;
pub mod case_events;
pub mod case_file;
pub mod case_generation;
pub mod case_search;
pub mod caseload;
pub mod cases;
pub mod categories;
pub mod complainants;
pub mod complaint_points;
pub mod conn;
pub mod contractors;
pub mod decisions;
pub mod governance;
pub mod governance_documents;
pub mod heartbeat;
pub mod incoming_emails;
pub mod letters;
pub mod literal_limit;
pub mod markings;
pub mod message_wordings;
pub mod name_words;
pub mod notifications;
pub mod ombudsman;
pub mod one_of;
pub mod outbox;
pub mod planned_for_values;
pub mod privacy;
pub mod public_submissions;
pub mod recovery_codes;
pub mod references;
pub mod report_summary;
pub mod reports;
pub mod restrictions;
pub mod saved_views;
pub mod schema;
pub mod scope;
pub mod service_areas;
pub mod sign_in_attempts;
pub mod sqlite_library;
pub mod staff;
pub mod subject_access;
mod text_enum;
pub mod users;
pub mod work_lists;

pub use crate::config::DatabaseUrl;
pub use conn::{build_pool, run_migrations, DbConnection, DbPool};

/// Does `name` match one of `names`, ignoring case? Checked here rather than in SQL so both
/// backends agree on non-ASCII names.
pub(crate) fn name_in(names: &[String], name: &str) -> bool {
    let wanted = name.to_lowercase();
    names.iter().any(|n| n.to_lowercase() == wanted)
}

/// Does this error mean the database cannot be written at all (read-only file or
/// transaction, disk full, I/O failure, lost connection) rather than that this one
/// statement was wrong? Such errors are shown as "service unavailable, try again shortly".
/// SQLite reports them only as text; PostgreSQL's read-only transactions have their own
/// kind (SQLSTATE 25006), a full disk only its message.
pub fn storage_unavailable(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        Error::DatabaseError(DatabaseErrorKind::ReadOnlyTransaction, _)
        | Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => true,
        Error::DatabaseError(_, info) => {
            let message = info.message().to_lowercase();
            [
                "attempt to write a readonly database",
                "database or disk is full",
                "disk i/o error",
                "unable to open database file",
                "no space left on device",
                "read-only transaction",
            ]
            .iter()
            .any(|known| message.contains(known))
        }
        _ => false,
    }
}
