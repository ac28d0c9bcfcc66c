//! Use-cases on complaints: each a function taking a connection and a command, checking the
//! domain's transition, and writing the case row, its timeline event and the audit entry in
//! one transaction.

pub mod access;
pub mod acknowledge;
pub mod approvals;
pub mod assign;
pub mod available;
pub mod closure;
pub mod corrections;
pub mod decide;
pub mod evidence;
pub mod form_context;
pub mod identity;
pub mod independence;
pub mod investigate;
pub mod kept_by_generation;
pub mod links;
pub mod list_choices;
pub mod list_counts;
pub mod list_row;
pub mod load;
pub mod log;
pub mod page;
pub mod projection;
pub mod property_address;
pub mod refusal;
pub mod representative;
pub mod response_check;
pub mod restrictions;
pub mod schedule;
pub mod sent_methods;
pub mod stage_moves;
pub mod step_route;
pub mod transition;
pub mod triage;

/// Today's date in Europe/London on the system clock, for the command line and tests; the
/// web layer and the use-cases take the date from the app's [`crate::clock::Clock`].
pub fn london_today() -> chrono::NaiveDate {
    crate::clock::Clock::System.today()
}
