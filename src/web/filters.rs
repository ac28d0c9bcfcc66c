//! Askama filters: how templates write dates, money, counts and people. Templates bring them
//! in with `use crate::web::filters;` beside the template struct.

use chrono::NaiveDate;

use crate::db::staff::StaffMember;
use crate::domain::Money;

/// "3 November 2026", as GOV.UK writes dates.
#[askama::filter_fn]
pub fn long_date(date: &NaiveDate, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(date.format("%-d %B %Y").to_string())
}

/// An amount in pence as people read it: "£1,234.50".
#[askama::filter_fn]
pub fn money(pence: &i64, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(Money::from_pence(*pence).to_string())
}

/// A count as people read it: "3,039" (any whole number; other text is left as it is).
#[askama::filter_fn]
pub fn thousands<T: std::fmt::Display>(count: T, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(crate::domain::number::grouped(&count.to_string()))
}

/// "1 working day", "3 working days" (the sign dropped: the sentence says late or left).
#[askama::filter_fn]
pub fn working_days(count: &i64, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(crate::cases::page::timeline::plural(
        count.abs(),
        "working day",
    ))
}

/// "Sophie Irving, Service manager": a member of staff by name and role, never by email.
#[askama::filter_fn]
pub fn staff(member: &StaffMember, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(member.with_role())
}
