//! A case reference, `CMP-YYYY-NNNNNN`: the year the complaint was received and a sequence
//! number that starts again at 1 each year. Shown on every page and letter.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const PREFIX: &str = "CMP";
/// The largest sequence number six digits can hold.
pub const MAX_SEQUENCE: u32 = 999_999;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseReference {
    year: i32,
    sequence: u32,
}

impl CaseReference {
    /// The reference for the `seq`th case received in `year` (1-based, at most 999,999).
    pub fn new(year: i32, seq: u32) -> Result<CaseReference, &'static str> {
        if !(1000..=9999).contains(&year) {
            return Err("The year of a case reference must have 4 digits");
        }
        if seq == 0 || seq > MAX_SEQUENCE {
            return Err("The number of a case reference must be between 000001 and 999999");
        }
        Ok(CaseReference {
            year,
            sequence: seq,
        })
    }

    /// Accepts `CMP-2026-000123`, in any case and with spaces around it.
    pub fn parse(input: &str) -> Result<CaseReference, &'static str> {
        const FORMAT: &str = "Enter a case reference in the correct format, like CMP-2026-000123";
        let value = input.trim().to_ascii_uppercase();
        if value.is_empty() {
            return Err("Enter a case reference");
        }
        let mut parts = value.split('-');
        let (Some(prefix), Some(year), Some(seq), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(FORMAT);
        };
        let all_digits =
            |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
        if prefix != PREFIX || !all_digits(year, 4) || !all_digits(seq, 6) {
            return Err(FORMAT);
        }
        let year: i32 = year.parse().map_err(|_| FORMAT)?;
        let seq: u32 = seq.parse().map_err(|_| FORMAT)?;
        CaseReference::new(year, seq).map_err(|_| FORMAT)
    }

    /// The year the complaint was received.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The number within the year, from 1.
    pub fn sequence(&self) -> u32 {
        self.sequence
    }
}

impl fmt::Display for CaseReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}-{:04}-{:06}", self.year, self.sequence)
    }
}

impl FromStr for CaseReference {
    type Err = &'static str;

    fn from_str(s: &str) -> Result<CaseReference, &'static str> {
        CaseReference::parse(s)
    }
}

impl Serialize for CaseReference {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CaseReference {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<CaseReference, D::Error> {
        let text = String::deserialize(deserializer)?;
        CaseReference::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_padding() {
        let reference = CaseReference::new(2026, 42).unwrap();
        assert_eq!(reference.to_string(), "CMP-2026-000042");
        assert_eq!(reference.year(), 2026);
        assert_eq!(reference.sequence(), 42);
        assert_eq!(
            CaseReference::new(2026, MAX_SEQUENCE).unwrap().to_string(),
            "CMP-2026-999999"
        );
    }

    #[test]
    fn new_refuses_out_of_range_parts() {
        assert!(CaseReference::new(2026, 0).is_err());
        assert!(CaseReference::new(2026, 1_000_000).is_err());
        assert!(CaseReference::new(999, 1).is_err());
        assert!(CaseReference::new(10_000, 1).is_err());
    }

    #[test]
    fn parses_lowercase_and_surrounding_space() {
        let expected = CaseReference::new(2025, 123).unwrap();
        assert_eq!(CaseReference::parse("CMP-2025-000123"), Ok(expected));
        assert_eq!(CaseReference::parse("  cmp-2025-000123 \n"), Ok(expected));
        assert_eq!("Cmp-2025-000123".parse::<CaseReference>(), Ok(expected));
    }

    #[test]
    fn refuses_malformed_references() {
        assert_eq!(CaseReference::parse("  "), Err("Enter a case reference"));
        for bad in [
            "CMP-2025-123",
            "CMP-25-000123",
            "CPM-2025-000123",
            "CMP-2025-0001234",
            "CMP-2025-000000",
            "CMP 2025 000123",
            "CMP-2025-000123-1",
            "CMP-2025-00012a",
            "CMP-+025-000123",
            "CMP-2025-+00123",
        ] {
            assert_eq!(
                CaseReference::parse(bad),
                Err("Enter a case reference in the correct format, like CMP-2026-000123"),
                "{bad}"
            );
        }
    }

    #[test]
    fn orders_by_year_then_sequence() {
        let a = CaseReference::new(2025, 999).unwrap();
        let b = CaseReference::new(2026, 1).unwrap();
        let c = CaseReference::new(2026, 2).unwrap();
        assert!(a < b && b < c);
    }

    #[test]
    fn serialises_as_text() {
        let reference = CaseReference::new(2026, 7).unwrap();
        let json = serde_json::to_string(&reference).unwrap();
        assert_eq!(json, "\"CMP-2026-000007\"");
        assert_eq!(
            serde_json::from_str::<CaseReference>(&json).unwrap(),
            reference
        );
        assert!(serde_json::from_str::<CaseReference>("\"CMP-1\"").is_err());
    }
}
