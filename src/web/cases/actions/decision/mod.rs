//! The stage decision, one action per module: drafting (the assigned manager), compensation
//! approval (a director), sending (the assigned manager) and recording compensation paid
//! (officers).

pub mod approve;
pub mod draft;
mod draft_form;
pub mod paid;
pub mod send;
