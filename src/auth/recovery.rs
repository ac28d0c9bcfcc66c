//! Recovery codes: ten per enrolment, each good for one sign-in when the authenticator
//! is lost. A code is 16 characters (80 random bits) from an alphabet without look-alikes.
//!
//! They are stored as SHA-256 digests, not argon2 like passwords: argon2's slowness
//! protects secrets people choose, which are guessable; 80 random bits cannot be searched
//! however fast the digest, and a plain digest lets sign-in find the code with one indexed
//! lookup instead of ten argon2 verifications.

use rand::Rng;
use sha2::{Digest, Sha256};

pub const COUNT: usize = 10;
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
const GROUPS: usize = 4;
const GROUP_LEN: usize = 4;

/// Ten new codes, written `abcd-efgh-jkmn-pqrs`.
pub fn generate() -> Vec<String> {
    let mut rng = rand::rng();
    (0..COUNT)
        .map(|_| {
            (0..GROUPS)
                .map(|_| {
                    (0..GROUP_LEN)
                        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// What was typed, as stored: lower case, without spaces or hyphens. None when it cannot
/// be a recovery code.
pub fn normalise(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    (code.len() == GROUPS * GROUP_LEN && code.bytes().all(|b| ALPHABET.contains(&b)))
        .then_some(code)
}

/// The stored digest of a normalised code.
pub fn digest(normalised: &str) -> String {
    Sha256::digest(normalised.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_read_back_however_typed() {
        let codes = generate();
        assert_eq!(codes.len(), COUNT);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), COUNT);
        for code in &codes {
            assert_eq!(code.len(), 19);
            let upper = code.to_uppercase().replace('-', " ");
            assert_eq!(normalise(&upper), normalise(code));
            assert_eq!(normalise(code).unwrap().len(), 16);
        }
        assert_eq!(normalise("123456"), None);
        assert_eq!(
            normalise("abcd-efgh-jkmn-pqr0"),
            None,
            "0 is not in the alphabet"
        );
        assert_ne!(digest("abcd"), digest("abce"));
    }
}
