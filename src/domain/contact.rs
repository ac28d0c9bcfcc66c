//! UK contact details that validate on construction: telephone numbers and postcodes.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const PHONE_FORMAT: &str =
    "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192";

/// A UK telephone number, kept as its national digits (`07700900982`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts digits with spaces, brackets and hyphens, and the `+44` (or `0044`) prefix,
    /// optionally followed by a bracketed `(0)`. The national number must start with 0 and
    /// have 10 or 11 digits.
    pub fn parse(input: &str) -> Result<PhoneNumber, &'static str> {
        let value = input.trim();
        if value.is_empty() {
            return Err("Enter a telephone number");
        }
        if !value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-'))
        {
            return Err(PHONE_FORMAT);
        }
        // A plus is only allowed at the very start.
        if value[1..].contains('+') {
            return Err(PHONE_FORMAT);
        }
        let compact: String = value.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let national = if let Some(rest) = compact
            .strip_prefix("+44")
            .or_else(|| compact.strip_prefix("0044"))
        {
            let rest = rest.strip_prefix("(0)").unwrap_or(rest);
            if rest.starts_with('0') {
                return Err(PHONE_FORMAT);
            }
            format!("0{rest}")
        } else if compact.starts_with('+') {
            // Another country's code.
            return Err(PHONE_FORMAT);
        } else {
            compact
        };
        if !brackets_balanced(&national) {
            return Err(PHONE_FORMAT);
        }
        let digits: String = national.chars().filter(char::is_ascii_digit).collect();
        if !digits.starts_with('0') || !(10..=11).contains(&digits.len()) {
            return Err(PHONE_FORMAT);
        }
        Ok(PhoneNumber(digits))
    }

    /// The national digits, e.g. `07700900982`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn brackets_balanced(s: &str) -> bool {
    let mut open = false;
    for c in s.chars() {
        match c {
            '(' if open => return false,
            '(' => open = true,
            ')' if !open => return false,
            ')' => open = false,
            _ => {}
        }
    }
    !open
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for PhoneNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for PhoneNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<PhoneNumber, D::Error> {
        let text = String::deserialize(deserializer)?;
        PhoneNumber::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A UK postcode in upper case with a single space before the inward code (`SW1A 1AA`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Postcode(String);

impl Postcode {
    pub fn parse(input: &str) -> Result<Postcode, &'static str> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if compact.is_empty() {
            return Err("Enter a postcode");
        }
        if !compact.is_ascii() || !(5..=7).contains(&compact.len()) {
            return Err("Enter a real postcode");
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        if !(valid_outward(outward) && valid_inward(inward)) && compact != "GIR0AA" {
            return Err("Enter a real postcode");
        }
        Ok(Postcode(format!("{outward} {inward}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `9AA`: a digit then two letters.
fn valid_inward(inward: &str) -> bool {
    let b = inward.as_bytes();
    b.len() == 3 && b[0].is_ascii_digit() && b[1].is_ascii_uppercase() && b[2].is_ascii_uppercase()
}

/// One of `A9`, `A99`, `AA9`, `AA99`, `A9A`, `AA9A`.
fn valid_outward(outward: &str) -> bool {
    let shape: String = outward
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' => 'A',
            b'0'..=b'9' => '9',
            _ => '?',
        })
        .collect();
    matches!(
        shape.as_str(),
        "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A"
    )
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Postcode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Postcode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Postcode, D::Error> {
        let text = String::deserialize(deserializer)?;
        Postcode::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_normalise_to_national_digits() {
        for (input, expected) in [
            ("01632 960 001", "01632960001"),
            ("07700 900 982", "07700900982"),
            ("+44 808 157 0192", "08081570192"),
            ("+44 (0)808 157 0192", "08081570192"),
            ("0044 7700 900982", "07700900982"),
            ("(01632) 960-001", "01632960001"),
            ("  020 7946 0000 ", "02079460000"),
            ("0800 123456", "0800123456"),
        ] {
            assert_eq!(
                PhoneNumber::parse(input).unwrap().as_str(),
                expected,
                "{input}"
            );
        }
    }

    #[test]
    fn phone_numbers_refused() {
        assert_eq!(PhoneNumber::parse(" "), Err("Enter a telephone number"));
        for bad in [
            "077009009821", // 12 digits
            "7700 900 982", // no leading 0
            "+33 1 23 45 67 89",
            "+44 0808 157 0192",
            "07700 900 98x",
            "07700+900982",
            "(01632 960001",
            "01632) 960001(",
            "123",
        ] {
            assert_eq!(PhoneNumber::parse(bad), Err(PHONE_FORMAT), "{bad}");
        }
    }

    #[test]
    fn postcodes_normalise() {
        for (input, expected) in [
            ("sw1a1aa", "SW1A 1AA"),
            ("  SW1A   1AA ", "SW1A 1AA"),
            ("m1 1ae", "M1 1AE"),
            ("B33 8TH", "B33 8TH"),
            ("CR2 6XH", "CR2 6XH"),
            ("DN55 1PT", "DN55 1PT"),
            ("W1A 0AX", "W1A 0AX"),
            ("gir 0aa", "GIR 0AA"),
        ] {
            assert_eq!(
                Postcode::parse(input).unwrap().as_str(),
                expected,
                "{input}"
            );
        }
    }

    #[test]
    fn postcodes_refused() {
        assert_eq!(Postcode::parse("  "), Err("Enter a postcode"));
        for bad in [
            "SW1A",
            "1AA",
            "SW1A 1A",
            "SW1A 11A",
            "12A 1AA",
            "SW1AA 1AA",
            "S 1AA",
            "SW1A-1AA",
            "ÉC1A 1BB",
            "AAAA 1AA",
        ] {
            assert_eq!(Postcode::parse(bad), Err("Enter a real postcode"), "{bad}");
        }
    }

    #[test]
    fn serde_round_trips() {
        let phone = PhoneNumber::parse("07700 900 982").unwrap();
        let json = serde_json::to_string(&phone).unwrap();
        assert_eq!(json, "\"07700900982\"");
        assert_eq!(serde_json::from_str::<PhoneNumber>(&json).unwrap(), phone);
        let postcode = Postcode::parse("sw1a1aa").unwrap();
        let json = serde_json::to_string(&postcode).unwrap();
        assert_eq!(json, "\"SW1A 1AA\"");
        assert_eq!(serde_json::from_str::<Postcode>(&json).unwrap(), postcode);
    }
}
