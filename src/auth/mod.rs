//! Who may sign in and what each role may do.

pub mod password;
pub mod permissions;
pub mod recovery;
pub mod second_factor;
pub mod sessions;
pub mod throttle;
pub mod totp;

pub use permissions::Permission;
