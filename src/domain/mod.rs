//! Pure domain types: no database, no HTTP. Values here are valid by construction.

pub mod case;
pub mod compensation;
pub mod contact;
pub mod date_input;
pub mod email;
pub mod field_errors;
pub mod ids;
pub mod letter_kind;
pub mod marking;
pub mod money;
pub mod number;
pub mod ombudsman_access;
pub mod reference;
pub mod role;
pub mod search_terms;
pub mod viewer;

pub use case::{CaseEvent, CaseState, Refusal, Status};
pub use compensation::{CompensationHead, CompensationHeads};
pub use contact::{PhoneNumber, Postcode};
pub use email::Email;
pub use field_errors::{FieldError, FieldErrors};
pub use ids::{
    AttachmentId, CaseEventId, CaseId, CategoryId, ComplainantId, ContractorId, EmailFileId,
    IncomingEmailId, OutboxId, PropertyId, RepresentativeId, ServiceAreaId, UserId,
};
pub use money::{Money, MoneyError};
pub use reference::CaseReference;
pub use role::Role;
pub use viewer::{Scope, Viewer};
