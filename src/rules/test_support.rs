//! Fixtures shared by the rules tests: the shipped holiday feed and profiles, embedded so the
//! tests do not depend on the working directory.

use chrono::NaiveDate;

use super::calendar::{Calendar, Region};
use super::policy::{PolicyProfile, PolicySet};

pub const FEED: &str = include_str!("../../config/bank-holidays.json");

pub const PROFILES: [(&str, &str); 6] = [
    (
        "hoc-2024",
        include_str!("../../config/policies/hoc-2024.toml"),
    ),
    (
        "south-essex-homes",
        include_str!("../../config/policies/south-essex-homes.toml"),
    ),
    (
        "south-essex-homes-stages",
        include_str!("../../config/policies/south-essex-homes-stages.toml"),
    ),
    (
        "east-kent-housing",
        include_str!("../../config/policies/east-kent-housing.toml"),
    ),
    (
        "housing-customer-feedback",
        include_str!("../../config/policies/housing-customer-feedback.toml"),
    ),
    (
        "charitable-association",
        include_str!("../../config/policies/charitable-association.toml"),
    ),
];

pub fn calendar(region: Region) -> Calendar {
    Calendar::from_feed_json(FEED, region).expect("shipped feed loads")
}

pub fn england() -> Calendar {
    calendar(Region::EnglandAndWales)
}

pub fn policies() -> PolicySet {
    PolicySet::from_named_strs(&PROFILES).expect("shipped profiles load")
}

pub fn profile(name: &str) -> PolicyProfile {
    policies().get(name).expect("profile shipped").clone()
}

/// `d("2026-11-20")`
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}
