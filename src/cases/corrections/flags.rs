//! The health-and-safety, safeguarding and confidential flags (officers, any time). The first
//! two are in the lifecycle state: under a profile with a health-and-safety rule the open
//! deadlines are re-dated, and a flagged case cannot be excluded for the time limit at
//! triage. Confidential hides the complainant's identity from then on, everywhere the
//! identity gate decides, earlier timeline entries included (they are redacted as shown).

use super::decided;
use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::db::cases;
use crate::domain::case::Correction;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flags {
    pub health_and_safety: bool,
    pub safeguarding: bool,
    pub confidential: bool,
}

pub fn changes(case: &LoadedCase, flags: Flags) -> Vec<Correction> {
    let mut changes = Vec::new();
    if case.state.health_and_safety != flags.health_and_safety {
        changes.push(Correction::HealthAndSafety {
            to: flags.health_and_safety,
        });
    }
    if case.state.safeguarding != flags.safeguarding {
        changes.push(Correction::Safeguarding {
            to: flags.safeguarding,
        });
    }
    if case.row.confidential != flags.confidential {
        changes.push(Correction::Confidential {
            to: flags.confidential,
        });
    }
    changes
}

pub fn decide(case: &LoadedCase, flags: Flags, rules: &Rules<'_>) -> Result<Decided, CaseError> {
    decided(
        case,
        changes(case, flags),
        rules,
        Box::new(move |conn, id| cases::set_confidential(conn, id, flags.confidential)),
    )
}
