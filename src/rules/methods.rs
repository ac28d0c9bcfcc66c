//! Which ways of reaching the resident complete which clock-stopping step. A profile may name
//! its own per stage (`acknowledge_by`, `respond_by`, `notify_extension_by` in a stage's
//! table); otherwise the Housing Ombudsman's Complaint Handling Code 2024 decides:
//! - a response is in writing (Code 6.9 for stage 1, 6.19 for stage 2): letter or email;
//! - an extension is notified in writing (Code 6.5, 6.16): letter or email;
//! - the Code sets no form for the acknowledgement (6.2, 6.11), so a telephone call counts,
//!   recorded with a note of what was agreed.

use serde::Deserialize;

/// How something reached the resident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendMethod {
    Letter,
    Email,
    Phone,
}

impl SendMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            SendMethod::Letter => "letter",
            SendMethod::Email => "email",
            SendMethod::Phone => "phone",
        }
    }
}

/// A step completed by reaching the resident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentStep {
    Acknowledge,
    Respond,
    NotifyExtension,
}

const IN_WRITING: &[SendMethod] = &[SendMethod::Letter, SendMethod::Email];
const ANY: &[SendMethod] = &[SendMethod::Letter, SendMethod::Email, SendMethod::Phone];

/// The Code's rule for a step, used where a profile names none (see the module comment).
pub fn code_default(step: SentStep) -> &'static [SendMethod] {
    match step {
        SentStep::Acknowledge => ANY,
        SentStep::Respond | SentStep::NotifyExtension => IN_WRITING,
    }
}

/// The methods a stage's table names for `step`, if it names them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct StageMethods {
    pub acknowledge_by: Option<Vec<SendMethod>>,
    pub respond_by: Option<Vec<SendMethod>>,
    pub notify_extension_by: Option<Vec<SendMethod>>,
}

impl StageMethods {
    /// The methods that complete `step`: the profile's, else the Code's.
    pub fn for_step(&self, step: SentStep) -> Vec<SendMethod> {
        let named = match step {
            SentStep::Acknowledge => &self.acknowledge_by,
            SentStep::Respond => &self.respond_by,
            SentStep::NotifyExtension => &self.notify_extension_by,
        };
        named.clone().unwrap_or_else(|| code_default(step).to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_wants_responses_in_writing_and_allows_a_phoned_acknowledgement() {
        let none = StageMethods::default();
        assert!(!none
            .for_step(SentStep::Respond)
            .contains(&SendMethod::Phone));
        assert!(!none
            .for_step(SentStep::NotifyExtension)
            .contains(&SendMethod::Phone));
        assert!(none
            .for_step(SentStep::Acknowledge)
            .contains(&SendMethod::Phone));
    }
}
