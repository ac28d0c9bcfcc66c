//! The Housing Ombudsman stage (issue 27): every time the Ombudsman or a designated person
//! contacts us about a case, what they asked for and by when, what we sent (the evidence
//! bundle, Code 5.12), their determination (a finding per complaint element, orders and
//! recommendations), complaint handling failure orders, and our compliance.
//!
//! `access` says who may read and write the register; `state` what stage each contact is
//! at; `record` the use-cases that write (each on the case's timeline and audited);
//! `register` the rows the register shows; `figures` a year's figures for the annual report
//! and the governing body pack; `bundle` the evidence bundle.

/// Who may read and write the register: [`crate::domain::ombudsman_access`].
pub use crate::domain::ombudsman_access as access;
pub mod bundle;
pub mod figures;
pub mod notify;
pub mod record;
pub mod register;
pub mod state;
pub mod vocabulary;

pub use vocabulary::{ContactKind, Finding, OrderKind};
