//! A confidential complainant agrees that the managers investigating may know the address of
//! the property their complaint is about (the charitable association's policy: "we'll ask
//! their permission"). Recorded by an officer, once, on the timeline; from then on the
//! identity gate shows the address to them (each view audited).

use chrono::NaiveDate;

use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};

pub fn decide_share_property(
    case: &LoadedCase,
    agreed_on: NaiveDate,
    rules: &Rules<'_>,
) -> Result<Decided, CaseError> {
    if !case.row.confidential {
        return Err(CaseError::Invalid(
            "The property's address is only withheld when the complainant is confidential".into(),
        ));
    }
    if case.row.property_id.is_none() {
        return Err(CaseError::Invalid(
            "This case has no property address to share".into(),
        ));
    }
    let (state, event) = case.state.share_property_address(agreed_on, rules.today)?;
    Ok(Decided::new(state, event, agreed_on))
}
