//! The investigation's own records: notes, contacts with the resident, and extensions of the
//! response deadline (within the cap by anyone working the case; past it only with a
//! director's approval and the resident's agreement).

use chrono::NaiveDate;

use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::domain::case::{ContactKind, ContactMethod};
use crate::domain::Role;
use crate::rules::{ExtensionPreview, ExtensionStanding};

/// A note; `sensitive` keeps its text to officers and the case's assignee.
pub fn decide_note(
    case: &LoadedCase,
    text: &str,
    sensitive: bool,
    rules: &Rules<'_>,
) -> Result<Decided, CaseError> {
    let (state, event) = case.state.note_marked(text, sensitive)?;
    Ok(Decided::new(state, event, rules.today))
}

pub fn decide_contact(
    case: &LoadedCase,
    kind: ContactKind,
    on: NaiveDate,
    summary: &str,
    rules: &Rules<'_>,
) -> Result<Decided, CaseError> {
    let (state, event) = case.state.contact(kind, on, summary, rules.today)?;
    Ok(Decided::new(state, event, on))
}

/// The reasons an extension may be given for (SPEC section 4).
pub const EXTENSION_REASONS: [(&str, &str); 5] = [
    (
        "third_party_delay",
        "Waiting for a third party, such as a contractor or insurer",
    ),
    (
        "interviews_needed",
        "Interviews with staff or witnesses are needed",
    ),
    ("complex_case", "A complex case drawing on several sources"),
    ("resident_availability", "The resident's availability"),
    ("other", "Other"),
];

pub struct ExtendCommand {
    pub length: u32,
    pub reason: String,
    pub granted_on: NaiveDate,
    pub notified: (NaiveDate, ContactMethod),
    /// The director approved going past the cap (only a director can say so).
    pub past_cap_approved: bool,
    /// The resident agreed to the longer extension (needed past the cap).
    pub resident_agreed: bool,
}

pub fn decide_extension(
    case: &LoadedCase,
    by: Role,
    command: ExtendCommand,
    rules: &Rules<'_>,
) -> Result<Decided, CaseError> {
    let profile = rules.policies.get(&case.row.policy).ok_or_else(|| {
        CaseError::Invalid(format!(
            "The policy profile `{}` is not loaded",
            case.row.policy
        ))
    })?;
    let approved = command.past_cap_approved && by == Role::Director;
    if command.past_cap_approved && by != Role::Director {
        return Err(CaseError::Invalid(
            "Only a director can approve an extension past the policy's cap".into(),
        ));
    }
    if approved && !command.resident_agreed {
        return Err(CaseError::Invalid(
            "An extension past the cap also needs the resident's agreement: confirm they agreed"
                .into(),
        ));
    }
    let (state, event) = case.state.extend(
        profile,
        rules.calendar,
        command.length,
        command.granted_on,
        approved,
        &command.reason,
        command.notified,
        rules.today,
    )?;
    let mut decided = Decided::new(state, event, command.granted_on);
    if approved {
        decided.audit_detail = "past the cap: director approved, resident agreed".into();
    }
    Ok(decided)
}

/// What the extend form shows before it is submitted: where the response deadline stands,
/// and what the extension as typed would do (the rules engine's own figures, so the preview
/// is what [`decide_extension`] then records).
pub struct ExtensionOutlook {
    pub standing: ExtensionStanding,
    /// `None` until a length is typed; `Err` says why it could not be granted as typed.
    pub proposed: Option<Result<ExtensionPreview, String>>,
}

/// The outlook for extending `case` by `length` granted on `granted_on`; `Err` when the
/// case's response deadline cannot be extended at all.
pub fn extension_outlook(
    case: &LoadedCase,
    policies: &crate::rules::PolicySet,
    calendar: &crate::rules::Calendar,
    length: Option<u32>,
    granted_on: NaiveDate,
) -> Result<ExtensionOutlook, String> {
    let profile = policies
        .get(&case.row.policy)
        .ok_or_else(|| format!("The policy profile `{}` is not loaded", case.row.policy))?;
    let standing = case
        .state
        .extension_standing(profile, calendar)
        .map_err(|r| r.to_string())?;
    let proposed = length.map(|length| {
        case.state
            .extension_preview(profile, calendar, length, granted_on)
            .map_err(|r| r.to_string())
    });
    Ok(ExtensionOutlook { standing, proposed })
}
