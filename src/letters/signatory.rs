//! Who signs a letter: the member of staff responsible for it — the case officer for an
//! acknowledgement, the investigating manager for a response, the reviewing director at
//! stage 2 — by name and job title, as `[landlord.signed_by]` chooses per kind.

use diesel::QueryResult;

use super::kind::LetterKind;
use crate::cases::load::LoadedCase;
use crate::config::{LandlordSettings, SignedBy, Signer};
use crate::db::{staff, DbConnection};

/// The name and title under "Yours sincerely".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signatory {
    pub name: String,
    pub title: String,
}

pub fn signer_for(signed_by: &SignedBy, kind: LetterKind) -> Signer {
    match kind {
        LetterKind::Stage1Acknowledgement => signed_by.stage1_acknowledgement,
        LetterKind::Stage2Acknowledgement => signed_by.stage2_acknowledgement,
        LetterKind::Extension => signed_by.extension,
        LetterKind::Stage0Decision => signed_by.stage0_decision,
        LetterKind::Stage1Response => signed_by.stage1_response,
        LetterKind::Stage2Response => signed_by.stage2_response,
        LetterKind::Decline => signed_by.decline,
        LetterKind::RestrictionNotice => signed_by.restriction_notice,
        LetterKind::EscalationRefusal => signed_by.escalation_refusal,
        LetterKind::ProgressUpdate => signed_by.progress_update,
        LetterKind::ActionCompleted => signed_by.action_completed,
    }
}

/// Who signs a letter of `kind` on `case`; the team's signatory when the person the
/// configuration names is not (yet) known.
pub fn for_letter(
    conn: &mut DbConnection,
    case: &LoadedCase,
    kind: LetterKind,
    landlord: &LandlordSettings,
) -> QueryResult<Signatory> {
    let person = match signer_for(&landlord.signed_by, kind) {
        Signer::CaseOfficer => case.row.case_officer_id,
        Signer::Assignee => case.row.assignee_id,
        Signer::Team => None,
    };
    let member = match person {
        Some(id) => staff::find(conn, id)?,
        None => None,
    };
    Ok(match member {
        Some(m) => Signatory {
            title: m.title().to_string(),
            name: m.name,
        },
        None => Signatory {
            name: landlord.signatory.clone(),
            title: landlord.signatory_title.clone(),
        },
    })
}
