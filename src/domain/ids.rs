//! Typed ids, so a user id can never be passed where a service-area id is wanted.

use diesel_derive_newtype::DieselNewType;
use serde::{Deserialize, Serialize};

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, DieselNewType, Serialize,
            Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i32);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

typed_id!(
    /// A member of staff.
    UserId
);
typed_id!(
    /// A service area (e.g. Repairs, Estate services).
    ServiceAreaId
);
typed_id!(
    /// A complaint case.
    CaseId
);
typed_id!(
    /// A person who complains (a resident, or someone affected).
    ComplainantId
);
typed_id!(
    /// Someone acting for a complainant (friend, advocate, MP, councillor, solicitor).
    RepresentativeId
);
typed_id!(
    /// A home or other property the landlord manages.
    PropertyId
);
typed_id!(
    /// A complaint category (e.g. Repairs: damp and mould).
    CategoryId
);
typed_id!(
    /// A contractor the landlord uses.
    ContractorId
);
typed_id!(
    /// One entry on a case's timeline.
    CaseEventId
);
typed_id!(
    /// An evidence file kept with a case.
    AttachmentId
);
typed_id!(
    /// A message in the mail outbox.
    OutboxId
);
typed_id!(
    /// A message read from the complaints mailbox.
    IncomingEmailId
);
typed_id!(
    /// A file sent with a message from the complaints mailbox.
    EmailFileId
);
