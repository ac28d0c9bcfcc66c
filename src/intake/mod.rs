//! Complaints that arrive by email (issue 28): the complaints mailbox is read over IMAP,
//! each message stored with its original `.eml` as evidence, then filed to an open case
//! (a reply whose subject carries its reference) or left on the officers' Emails page.
//! Exactly once: a message is stored (unique on its Message-ID) and committed before it is
//! moved out of the inbox, so a crash between the two only means it is moved next time.

pub mod draft;
pub mod file;
pub mod mailbox;
pub mod message;
pub mod receipt;
pub mod receipt_wording;
pub mod triage;
pub mod worker;

pub use file::{file_message, Filed};
pub use message::{IncomingEmail, Parsed};
