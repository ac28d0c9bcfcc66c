//! The rules engine: working-day calendar, landlord policy profiles and stage deadlines.
//!
//! Pure: no database, no HTTP. The only I/O is the explicit `load` functions that read the
//! bank-holiday feed and the policy directory.

pub mod calendar;
pub mod deadlines;
mod extensions;
pub mod methods;
pub mod policy;
pub mod progress;
pub mod retention;
pub mod subject_access;

#[cfg(test)]
mod test_support;

pub use calendar::{Calendar, CalendarError, Region, Unit};
pub use deadlines::{
    extend, extension_standing, plan, preview_extension, rag_for, schedule, CaseClock, Deadline,
    DeadlineError, DeadlineState, ExtensionGrant, ExtensionPreview, ExtensionRefusal,
    ExtensionStanding, PerStage, PlannedDeadline, Rag, RagThresholds, Schedule, Stage,
};
pub use policy::{outside_exclusion_limit, PolicyError, PolicyProfile, PolicySet};
