//! Password hashing (argon2id) and the strength rule DESIGN decides: at least 12
//! characters and a zxcvbn score of 3 or more.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use rand::Rng;

pub const MIN_LENGTH: usize = 12;

pub fn hash(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing the password failed: {e}"))
}

/// True when `password` matches the stored PHC string. A malformed hash never matches.
pub fn verify(password: &str, stored_hash: &str) -> bool {
    match PasswordHash::new(stored_hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash of a random password, verified against when the email is unknown so that
/// an unknown account takes as long to refuse as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash(&generate()).unwrap_or_default())
}

/// Refuses weak passwords with a message fit for a GOV.UK error summary.
/// `personal` holds words the password must not lean on (email, name).
pub fn check_strength(password: &str, personal: &[&str]) -> Result<(), String> {
    if password.chars().count() < MIN_LENGTH {
        return Err(format!("Password must be {MIN_LENGTH} characters or more"));
    }
    let estimate = zxcvbn::zxcvbn(password, personal);
    if (estimate.score() as u8) < 3 {
        let hint = estimate
            .feedback()
            .and_then(|f| f.warning())
            .map(|w| format!(" ({w})"))
            .unwrap_or_default();
        return Err(format!(
            "Password is too easy to guess{hint}. Use three or more random words, or a longer mix of words and numbers"
        ));
    }
    Ok(())
}

/// A one-time password for a new account: four random words' worth of letters and digits,
/// long enough to pass the strength rule.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let groups: Vec<String> = (0..4)
        .map(|_| {
            (0..5)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect()
        })
        .collect();
    groups.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_wrong_passwords_do_not() {
        let h = hash("correct horse battery staple").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery staple", &h));
        assert!(!verify("correct horse battery stapler", &h));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn strength_rule_refuses_short_and_guessable() {
        assert!(check_strength("Sh0rt!", &[])
            .unwrap_err()
            .contains("12 characters"));
        assert!(check_strength("password1234", &[])
            .unwrap_err()
            .contains("too easy"));
        assert!(check_strength("jo.bloggs@example.org", &["jo.bloggs@example.org"]).is_err());
        assert!(check_strength("violet-tractor-harbour-52", &[]).is_ok());
    }

    #[test]
    fn generated_passwords_pass_the_rule() {
        for _ in 0..20 {
            let p = generate();
            assert_eq!(p.len(), 23);
            check_strength(&p, &[]).unwrap();
        }
    }
}
