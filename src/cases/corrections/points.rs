//! Amending the complaint points after acknowledgement (officers, while the stage is open):
//! the acknowledgement agreed them with the resident, so they are not rewritten silently but
//! replaced with a reason the timeline shows. Letters still to be written (the response)
//! answer the amended points.

use super::decided;
pub use crate::cases::acknowledge::point_lines;
use crate::cases::acknowledge::{MAX_POINTS, POINT_MAX};
use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::db::complaint_points;
use crate::domain::case::{Correction, FieldErrors};
use crate::domain::Refusal;

/// The points and reason as typed, checked like the acknowledgement's.
pub fn check(points: &[String], reason: &str) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if points.is_empty() {
        errors.add("points", "Enter the complaint points, one per line");
    } else if points.len() > MAX_POINTS {
        errors.add(
            "points",
            format!("Enter {MAX_POINTS} complaint points or fewer"),
        );
    } else if points.iter().any(|p| p.chars().count() > POINT_MAX) {
        errors.add(
            "points",
            "Each complaint point must be 1,000 characters or fewer",
        );
    }
    if reason.trim().is_empty() {
        errors.add("reason", Refusal::AmendmentReasonRequired.to_string());
    } else if reason.chars().count() > 5_000 {
        errors.add("reason", "The reason must be 5,000 characters or fewer");
    }
    errors
}

/// `current`: the stage's points as stored, read before the transaction.
pub fn decide(
    case: &LoadedCase,
    current: Vec<String>,
    points: Vec<String>,
    reason: String,
    rules: &Rules<'_>,
) -> Result<Decided, CaseError> {
    let stage = case.state.stage.ok_or(Refusal::NotTriaged)?;
    let changes = if current == points {
        Vec::new()
    } else {
        vec![Correction::ComplaintPoints {
            stage,
            reason: reason.trim().to_string(),
        }]
    };
    let now = rules.now;
    decided(
        case,
        changes,
        rules,
        Box::new(move |conn, id| {
            complaint_points::replace(conn, id, &stage.to_string(), &points, now)
        }),
    )
}
