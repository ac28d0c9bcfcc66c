//! The case record (SPEC sections 2 and 3): its vocabularies, lifecycle state and transitions,
//! timeline events, and the validation of a newly logged complaint.

pub mod correction;
mod event;
mod event_audit;
mod event_redact;
pub mod intake;
mod refusal;
mod state;
pub mod step;
mod vocabulary;

pub use correction::{Correction, Named, PrivateField};
pub use event::{CaseEvent, TriageDecision};
pub use intake::{
    validate, validate_contact, validate_description, validate_needs, validate_public,
    validate_representative, Address, AddressInput, ComplainantDetails, ConsentInput,
    ContactDetails, ContactInput, FieldErrors, Needs, NeedsInput, RawComplaint,
    RepresentativeDetails, RepresentativeInput, ValidComplaint, Validation, Warning,
};
pub use refusal::Refusal;
pub use state::{Acknowledgement, CaseFacts, CaseState, Closure, Transition};
pub use step::{DecisionProgress, StageAndStep, Step, StepFacts};
pub use vocabulary::{
    Adjustment, Channel, Classification, ClosureReason, CompensationStatus, ContactKind,
    ContactMethod, ExclusionReason, Outcome, RemedyKind, RepresentativeRelationship, Status,
    TenancyRelationship, UnknownValue,
};
