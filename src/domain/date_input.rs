//! The GOV.UK date input pattern: a date typed as three boxes (day, month, year), checked with
//! the design system's error messages. The boxes' HTML ids are `{id}-day`, `{id}-month` and
//! `{id}-year`; an error is keyed by the box the summary should link to.

use chrono::NaiveDate;

/// How one date question is named in its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateField {
    /// The id prefix, e.g. `received` for `received-day`.
    pub id: &'static str,
    /// The date's name at the start of a sentence, e.g. "Date received".
    pub label: &'static str,
    /// The message when nothing was entered, e.g. "Enter the date the complaint was received".
    pub missing: &'static str,
}

/// A problem with one field: the HTML id to link to, and the message.
pub type FieldError = (String, String);

impl DateField {
    fn error(&self, part: &str, message: String) -> FieldError {
        (format!("{}-{part}", self.id), message)
    }

    /// Reads the three boxes. Blank boxes give `Ok(None)` unless `required`.
    pub fn parse(
        &self,
        day: &str,
        month: &str,
        year: &str,
        required: bool,
    ) -> Result<Option<NaiveDate>, FieldError> {
        let parts = [
            ("day", day.trim()),
            ("month", month.trim()),
            ("year", year.trim()),
        ];
        let missing: Vec<&str> = parts
            .iter()
            .filter(|(_, value)| value.is_empty())
            .map(|(name, _)| *name)
            .collect();
        match missing.len() {
            3 if required => return Err(self.error("day", self.missing.to_string())),
            3 => return Ok(None),
            0 => {}
            _ => {
                let names = missing.join(" and ");
                return Err(
                    self.error(missing[0], format!("{} must include a {names}", self.label))
                );
            }
        }
        let number = |s: &str| -> Option<u32> {
            if s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().ok()
            } else {
                None
            }
        };
        let real_date = || format!("{} must be a real date", self.label);
        let (Some(d), Some(m)) = (number(parts[0].1), number(parts[1].1)) else {
            let part = if number(parts[0].1).is_none() {
                "day"
            } else {
                "month"
            };
            return Err(self.error(part, real_date()));
        };
        let year_text = parts[2].1;
        let Some(y) = number(year_text) else {
            return Err(self.error("year", real_date()));
        };
        if year_text.len() != 4 {
            return Err(self.error("year", "Year must include 4 numbers".to_string()));
        }
        if !(1..=12).contains(&m) {
            return Err(self.error("month", real_date()));
        }
        NaiveDate::from_ymd_opt(y as i32, m, d)
            .map(Some)
            .ok_or_else(|| self.error("day", real_date()))
    }

    /// [`DateField::parse`], then refuses a date after `today`.
    pub fn parse_not_future(
        &self,
        day: &str,
        month: &str,
        year: &str,
        required: bool,
        today: NaiveDate,
    ) -> Result<Option<NaiveDate>, FieldError> {
        let date = self.parse(day, month, year, required)?;
        match date {
            Some(date) if date > today => Err(self.error(
                "day",
                format!("{} must be today or in the past", self.label),
            )),
            _ => Ok(date),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECEIVED: DateField = DateField {
        id: "received",
        label: "Date received",
        missing: "Enter the date the complaint was received",
    };

    fn err(field: &str, message: &str) -> Result<Option<NaiveDate>, FieldError> {
        Err((field.to_string(), message.to_string()))
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    #[test]
    fn reads_a_real_date() {
        assert_eq!(
            RECEIVED.parse(" 3 ", "02", "2026", true),
            Ok(NaiveDate::from_ymd_opt(2026, 2, 3))
        );
        assert_eq!(
            RECEIVED.parse("29", "2", "2024", true),
            Ok(NaiveDate::from_ymd_opt(2024, 2, 29))
        );
    }

    #[test]
    fn blank_is_none_unless_required() {
        assert_eq!(RECEIVED.parse("", " ", "", false), Ok(None));
        assert_eq!(
            RECEIVED.parse("", "", "", true),
            err("received-day", "Enter the date the complaint was received")
        );
    }

    #[test]
    fn names_the_missing_parts() {
        let cases = [
            (
                "",
                "2",
                "2026",
                "received-day",
                "Date received must include a day",
            ),
            (
                "1",
                "",
                "2026",
                "received-month",
                "Date received must include a month",
            ),
            (
                "1",
                "2",
                "",
                "received-year",
                "Date received must include a year",
            ),
            (
                "",
                "",
                "2026",
                "received-day",
                "Date received must include a day and month",
            ),
            (
                "",
                "2",
                "",
                "received-day",
                "Date received must include a day and year",
            ),
            (
                "1",
                "",
                "",
                "received-month",
                "Date received must include a month and year",
            ),
        ];
        for (d, m, y, field, message) in cases {
            assert_eq!(
                RECEIVED.parse(d, m, y, false),
                err(field, message),
                "{d}/{m}/{y}"
            );
        }
    }

    #[test]
    fn refuses_unreal_dates() {
        let cases = [
            ("31", "2", "2026", "received-day"),
            ("29", "2", "2025", "received-day"),
            ("x", "2", "2026", "received-day"),
            ("1", "13", "2026", "received-month"),
            ("1", "0", "2026", "received-month"),
            ("1", "feb", "2026", "received-month"),
            ("1", "2", "20x6", "received-year"),
            ("0", "2", "2026", "received-day"),
            ("-1", "2", "2026", "received-day"),
        ];
        for (d, m, y, field) in cases {
            assert_eq!(
                RECEIVED.parse(d, m, y, true),
                err(field, "Date received must be a real date"),
                "{d}/{m}/{y}"
            );
        }
        assert_eq!(
            RECEIVED.parse("1", "2", "26", true),
            err("received-year", "Year must include 4 numbers")
        );
    }

    #[test]
    fn refuses_the_future() {
        assert_eq!(
            RECEIVED.parse_not_future("21", "11", "2026", true, today()),
            err("received-day", "Date received must be today or in the past")
        );
        assert_eq!(
            RECEIVED.parse_not_future("20", "11", "2026", true, today()),
            Ok(Some(today()))
        );
        assert_eq!(
            RECEIVED.parse_not_future("", "", "", false, today()),
            Ok(None)
        );
    }
}
