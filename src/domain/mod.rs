//! Pure domain types: no database, no HTTP. Values here are valid by construction.

pub mod email;
pub mod ids;
pub mod role;

pub use email::Email;
pub use ids::{CategoryId, ContractorId, ServiceAreaId, UserId};
pub use role::Role;
