//! Numbers as GOV.UK writes them: a comma between each group of three digits over 999
//! ("3,039 cases", "£1,234.50"), none under ("999").

/// `n` with its thousands separated by commas: "100,000", "-1,500", "42".
pub fn thousands(n: i64) -> String {
    grouped(&n.to_string())
}

/// A whole number written in digits (an optional minus sign first), its thousands separated
/// by commas; any other text unchanged.
pub fn grouped(number: &str) -> String {
    let (sign, digits) = match number.strip_prefix('-') {
        Some(digits) => ("-", digits),
        None => ("", number),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return number.to_string();
    }
    let mut out = String::with_capacity(number.len() + digits.len() / 3);
    out.push_str(sign);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{grouped, thousands};

    #[test]
    fn numbers_over_999_have_their_thousands_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(3_039), "3,039");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(-1_500), "-1,500");
        assert_eq!(thousands(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn only_whole_numbers_are_grouped() {
        assert_eq!(grouped("17640"), "17,640");
        assert_eq!(grouped("85.5"), "85.5");
        assert_eq!(grouped("-"), "-");
        assert_eq!(grouped(""), "");
        assert_eq!(grouped("No responses"), "No responses");
    }
}
