//! Storage: the connection type, the generated schema, and one query module per aggregate.

pub mod audit;
pub mod case_events;
pub mod cases;
pub mod complainants;
pub mod conn;
pub mod schema;
pub mod public_submissions;
pub mod service_areas;
pub mod sign_in_attempts;
pub mod users;

pub use conn::{build_pool, run_migrations, DatabaseUrl, DbConnection, DbPool};
