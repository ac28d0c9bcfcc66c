//! Sums of money in pounds sterling: compensation offered, goodwill gestures and payments.

use std::fmt;

/// An amount in pounds sterling, held as whole pence so that sums are exact. Shown as
/// `£1,234.50`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

/// Why typed text is not an amount [`Money::parse`] accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("no amount was entered")]
    Empty,
    #[error("the amount is not a number of pounds")]
    NotAnAmount,
    #[error("the amount is negative")]
    Negative,
    #[error("the amount has more than two decimal places")]
    TooPrecise,
    #[error("the amount is more than £1,000,000.00")]
    TooLarge,
}

impl Money {
    /// The largest amount people may enter. Far above any compensation a landlord offers, and
    /// small enough that a decision's remedies together still fit the database's 32-bit
    /// pence columns.
    pub const MAX: Money = Money(100_000_000);

    pub fn from_pence(pence: i64) -> Money {
        Money(pence)
    }

    pub fn pence(self) -> i64 {
        self.0
    }

    /// The amount as the database's 32-bit pence columns hold it; `None` if it does not fit.
    pub fn stored_pence(self) -> Option<i32> {
        i32::try_from(self.0).ok()
    }

    /// Reads an amount as people type it: `50`, `1234.5`, `£1,234.50`. Refuses negative
    /// amounts, fractions of a penny and amounts above [`Money::MAX`].
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let text = text.trim();
        let text = text.strip_prefix('£').unwrap_or(text).trim_start();
        if text.is_empty() {
            return Err(MoneyError::Empty);
        }
        if text.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        // Thousands separators (and the spaces some people group with) carry no value.
        let digits: String = text
            .chars()
            .filter(|c| *c != ',' && !c.is_whitespace())
            .collect();
        let (pounds, fraction) = digits.split_once('.').unwrap_or((&digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if pounds.is_empty() || !all_digits(pounds) || !all_digits(fraction) {
            return Err(MoneyError::NotAnAmount);
        }
        if fraction.len() > 2 {
            return Err(MoneyError::TooPrecise);
        }
        let pounds: i64 = pounds.parse().map_err(|_| MoneyError::TooLarge)?;
        let pence: i64 = format!("{fraction:0<2}")
            .parse()
            .map_err(|_| MoneyError::NotAnAmount)?;
        let amount = pounds
            .checked_mul(100)
            .and_then(|p| p.checked_add(pence))
            .map(Money)
            .filter(|m| *m <= Money::MAX)
            .ok_or(MoneyError::TooLarge)?;
        Ok(amount)
    }

    /// The amount as a form field holds it: `1234.50`, no symbol and no separators.
    pub fn decimal(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let pence = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", pence / 100, pence % 100)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let pence = self.0.unsigned_abs();
        // Whole pounds of an i64 of pence fit an i64.
        let pounds = crate::domain::number::thousands((pence / 100) as i64);
        write!(f, "{sign}£{pounds}.{:02}", pence % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pence(text: &str) -> Result<i64, MoneyError> {
        Money::parse(text).map(Money::pence)
    }

    #[test]
    fn stored_pence_fit_the_database_columns() {
        let stored = |text: &str| Money::parse(text).ok().and_then(Money::stored_pence);
        assert_eq!(stored("£1,250.5"), Some(125_050));
        assert_eq!(stored("0.99"), Some(99));
        assert_eq!(stored("12.345"), None);
        assert_eq!(stored("abc"), None);
        assert_eq!(
            Money::from_pence(i64::from(i32::MAX) + 1).stored_pence(),
            None
        );
    }

    #[test]
    fn amounts_in_pounds_become_pence() {
        assert_eq!(pence("50"), Ok(5000));
        assert_eq!(pence("1234.5"), Ok(123_450));
        assert_eq!(pence("£1,234.50"), Ok(123_450));
        assert_eq!(pence(" £ 1 234.50 "), Ok(123_450));
        assert_eq!(pence("0.99"), Ok(99));
        assert_eq!(pence("0.05"), Ok(5));
        assert_eq!(pence("0"), Ok(0));
        assert_eq!(pence("1000000"), Ok(100_000_000));
        assert_eq!(pence("£1,000,000.00"), Ok(100_000_000));
    }

    #[test]
    fn what_is_not_an_amount_is_refused_with_the_reason() {
        assert_eq!(pence(""), Err(MoneyError::Empty));
        assert_eq!(pence("£"), Err(MoneyError::Empty));
        assert_eq!(pence("-5"), Err(MoneyError::Negative));
        assert_eq!(pence("£-5.00"), Err(MoneyError::Negative));
        assert_eq!(pence("12.345"), Err(MoneyError::TooPrecise));
        assert_eq!(pence("0.001"), Err(MoneyError::TooPrecise));
        assert_eq!(pence("abc"), Err(MoneyError::NotAnAmount));
        assert_eq!(pence("12.3.4"), Err(MoneyError::NotAnAmount));
        assert_eq!(pence(".50"), Err(MoneyError::NotAnAmount));
        assert_eq!(pence("1e6"), Err(MoneyError::NotAnAmount));
        assert_eq!(pence("$50"), Err(MoneyError::NotAnAmount));
        assert_eq!(pence("1000000.01"), Err(MoneyError::TooLarge));
        assert_eq!(
            pence("99999999999999999999999999"),
            Err(MoneyError::TooLarge)
        );
    }

    #[test]
    fn amounts_show_as_pounds_with_thousands_separators() {
        assert_eq!(Money::from_pence(0).to_string(), "£0.00");
        assert_eq!(Money::from_pence(5).to_string(), "£0.05");
        assert_eq!(Money::from_pence(7550).to_string(), "£75.50");
        assert_eq!(Money::from_pence(100_000).to_string(), "£1,000.00");
        assert_eq!(Money::from_pence(123_450).to_string(), "£1,234.50");
        assert_eq!(Money::from_pence(12_345_678).to_string(), "£123,456.78");
        assert_eq!(Money::from_pence(100_000_000).to_string(), "£1,000,000.00");
        assert_eq!(Money::from_pence(-123_450).to_string(), "-£1,234.50");
    }

    #[test]
    fn what_is_shown_reads_back_as_the_same_amount() {
        for pence in [0, 5, 99, 7550, 123_450, 100_000_000] {
            let money = Money::from_pence(pence);
            assert_eq!(Money::parse(&money.to_string()), Ok(money));
            assert_eq!(Money::parse(&money.decimal()), Ok(money));
        }
        assert_eq!(Money::from_pence(123_450).decimal(), "1234.50");
    }
}
