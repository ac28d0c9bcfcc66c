//! Whether a way of reaching the resident completes a step at the case's stage, under its
//! policy profile (`rules::methods`). Checked in the use cases themselves, so a telephone
//! stage 1 response is refused whichever route records it.

use crate::cases::load::LoadedCase;
use crate::cases::transition::Rules;
use crate::domain::case::ContactMethod;
use crate::rules::methods::{SendMethod, SentStep};

/// Why `method` does not complete `step` at the case's stage under its policy profile
/// (`rules::methods`: a response is in writing, Code 6.9), in words; `None` when it does or
/// when the profile or stage is unknown (the deadlines then refuse the action themselves).
pub fn refused(
    case: &LoadedCase,
    rules: &Rules<'_>,
    step: SentStep,
    method: ContactMethod,
) -> Option<String> {
    let profile = rules.policies.get(&case.row.policy)?;
    let stage = case.state.stage?;
    let allowed = profile.methods(stage, step);
    let wanted = match method {
        ContactMethod::Letter => SendMethod::Letter,
        ContactMethod::Email => SendMethod::Email,
        ContactMethod::Phone => SendMethod::Phone,
    };
    if allowed.contains(&wanted) {
        return None;
    }
    let words: Vec<&str> = allowed.iter().map(|m| m.as_str()).collect();
    let what = match step {
        SentStep::Acknowledge => "An acknowledgement",
        SentStep::Respond => "A response",
        SentStep::NotifyExtension => "An extension notice",
    };
    Some(
        if allowed.contains(&SendMethod::Phone) || words.is_empty() {
            format!(
                "{what} at {} cannot be sent by {} under {}",
                stage.label().to_lowercase(),
                method.label().to_lowercase(),
                profile.display_name()
            )
        } else {
            format!(
                "{what} at {} must be in writing ({}), not by {}, under {}",
                stage.label().to_lowercase(),
                words.join(" or "),
                method.label().to_lowercase(),
                profile.display_name()
            )
        },
    )
}
