//! Storage: the connection type, the generated schema, and one query module per aggregate.

pub mod attachments;
pub mod audit;
pub mod bulk;
pub mod case_events;
pub mod cases;
pub mod categories;
pub mod complainants;
pub mod complaint_points;
pub mod conn;
pub mod contractors;
pub mod decisions;
pub mod letters;
pub mod notifications;
pub mod outbox;
pub mod public_submissions;
pub mod references;
pub mod reports;
pub mod restrictions;
pub mod schema;
pub mod service_areas;
pub mod sign_in_attempts;
mod text_enum;
pub mod users;
pub mod work_lists;

pub use conn::{build_pool, run_migrations, DatabaseUrl, DbConnection, DbPool};

/// Does `name` match one of `names`, ignoring case? Checked here rather than in SQL so both
/// backends agree on non-ASCII names.
pub(crate) fn name_in(names: &[String], name: &str) -> bool {
    let wanted = name.to_lowercase();
    names.iter().any(|n| n.to_lowercase() == wanted)
}
