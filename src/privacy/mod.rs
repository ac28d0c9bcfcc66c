//! Personal data by design (issue 30; UK GDPR storage limitation): how long a closed case
//! keeps its personal data, the legal hold that keeps it longer, and the anonymisation that
//! removes it while keeping the facts reports count.
//!
//! `access` says who may do what; `hold` places and lifts legal holds; `anonymise` removes a
//! case's personal data; `retention` decides which cases are past their period (the rule is
//! `crate::rules::retention`) and runs it, from the command line or the server's daily job.

pub mod access;
pub mod anonymise;
pub mod erasure;
pub mod hold;
pub mod markings;
pub mod retention;
pub mod subject_access;
