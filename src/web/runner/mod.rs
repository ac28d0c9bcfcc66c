//! The case action runner, shared by the case actions and the letters that act on a case:
//! who asks ([`CaseRequest`]), whether they may ([`gate`]), loading a case for a form
//! ([`load_for`]), running a decision in one transaction ([`perform()`]) and ending the
//! request — back to the case page, or the form again with why ([`reshow()`]).

pub mod gate;
pub mod load;
pub mod perform;
pub mod request;
pub mod reshow;

pub use gate::{allowed, allowed_on, Gate, Who};
pub use load::load_for;
pub use perform::{perform, perform_on, Acting, Outcome};
pub use request::{CaseRequest, Seen};
pub use reshow::{done, finish, reshow, ActionHead, Problem, STALE_MESSAGE};
