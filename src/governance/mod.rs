//! The governing body's reporting (Code sections 8 and 9, issue 26): the self-assessment
//! against the Code, the annual complaints performance and service improvement report, and
//! the governing body pack for any period.
//!
//! - [`checklist`]: the Code's requirements, shipped as `config/self-assessment.toml`
//! - [`evidence`]: the figures Redress fills in against a requirement
//! - [`self_assessment`]: the year's answers, saved and versioned
//! - [`analysis`]: a period's complaint handling compared with the period before
//! - [`improvements`]: the service improvement actions of one year, judged at its end
//! - [`annual`]: the annual report in the Code's order, its narrative and publishing
//! - [`pack`]: the governing body pack for any period

pub mod analysis;
pub mod annual;
pub mod checklist;
pub mod documents;
pub mod evidence;
pub mod improvements;
pub mod pack;
pub mod self_assessment;
