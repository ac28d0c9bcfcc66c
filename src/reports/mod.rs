//! Reports (SPEC section 7): each a query (`crate::db::reports`) and a view model.
//!
//! - [`period`]: reporting years (April–March) and date ranges
//! - [`tsm`]: Tenant Satisfaction Measures CH01 and CH02
//! - [`performance`]: volumes, timescales, outcomes and compensation by stage, service
//!   area, category, channel, contractor and month; its CSV
//! - [`dashboard`]: the signed-in home page's figures, per role
//! - [`learning`]: lessons and service improvement actions
//! - [`evidence`]: the Code's annual self-assessment evidence pack
//! - [`chart`]: accessible server-rendered SVG bar charts

pub mod chart;
pub mod dashboard;
pub mod evidence;
pub mod learning;
pub mod performance;
pub mod period;
pub mod tsm;

pub use period::Period;

/// One decimal place, as every published figure is given.
pub fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// `part` of `whole` as a percentage to one decimal place; `None` of nothing.
pub fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| one_decimal(part as f64 * 100.0 / whole as f64))
}

/// Pence as pounds: `£1,234.50`.
pub fn pounds(pence: i64) -> String {
    crate::domain::Money::from_pence(pence).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_round_to_one_decimal_place() {
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(1, 8), Some(12.5));
        assert_eq!(percent(0, 0), None);
        assert_eq!(one_decimal(1000.0 * 7.0 / 12000.0), 0.6);
    }

    #[test]
    fn pounds_are_grouped() {
        assert_eq!(pounds(0), "£0.00");
        assert_eq!(pounds(5), "£0.05");
        assert_eq!(pounds(12_345_678), "£123,456.78");
        assert_eq!(pounds(100_000), "£1,000.00");
    }
}
