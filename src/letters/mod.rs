//! Letters to residents (SPEC section 5): the kinds, the view model each is filled from, the
//! askama templates (HTML + plain text), the content checks, routing to the right recipient
//! and channel, the letters owed on each case, and sending — which freezes the letter and
//! records the clock-stopping event it stands for in the same transaction as its email.

pub mod checks;
pub mod clock_stop;
pub mod completed;
pub mod drafts;
pub mod elsewhere;
pub mod extension;
pub use crate::domain::letter_kind as kind;
pub mod owed;
pub mod progress;
pub mod recipient;
pub use crate::cases::refusal;
pub mod render;
pub mod send;
pub mod signatory;
pub mod view;

pub use kind::LetterKind;
pub use recipient::{Channel, Recipient};
pub use view::{Details, LetterView};

#[cfg(test)]
mod tests;
