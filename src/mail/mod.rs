//! Email: the transactional outbox (queue inside the caller's transaction), the transport
//! built from configuration (lettre: `.eml` files or SMTP), the worker that delivers with
//! leases and retries, and the staff notifications that go through the same outbox.

pub mod alerts;
pub mod approval_mail;
pub mod links;
pub mod message;
pub mod notify;
pub mod outbox;
pub mod transport;
pub mod worker;

pub use outbox::{queue, Kind, NewMessage};
pub use transport::Mailer;
pub use worker::{Summary, Worker};
