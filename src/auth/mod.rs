//! Who may sign in and what each role may do.

pub mod password;
pub mod permissions;
pub mod sessions;
pub mod throttle;

pub use permissions::Permission;
