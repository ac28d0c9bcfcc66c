//! Subject access requests (issue 30; UK GDPR Article 15): an officer records who asked and
//! when (`requests`; the deadline is `rules::subject_access`), finds their cases by what
//! identifies them (`matching`), reviews the notes and files marked as third-party
//! information or legally privileged (`crate::privacy::markings`), and exports a ZIP of
//! everything else (`gather` reads a case's file, `export` writes it).

pub mod export;
pub mod gather;
pub mod matching;
pub mod requests;
pub mod review;
