//! Time-based one-time passwords (RFC 6238, the `totp-rs` crate): six digits every 30
//! seconds from a secret shared with the user's authenticator app. Time comes from the
//! app's clock, never the system's, so tests can stand at any moment.

use qrcode::render::svg;
use qrcode::QrCode;
use rand::RngCore;
use totp_rs::{Algorithm, Builder, Secret, Totp};

/// The name authenticator apps show above the code.
const ISSUER: &str = "Redress";

/// A fresh 160-bit secret (the RFC's recommended length), base32 as apps expect.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    Secret::from(bytes).to_base32()
}

fn totp(secret: &str, account: &str) -> anyhow::Result<Totp> {
    let secret = Secret::try_from_base32(secret)
        .map_err(|e| anyhow::anyhow!("stored second-factor secret is not base32: {e:?}"))?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        // A colon would break the otpauth label.
        .with_account_name(account.replace(':', " "))
        .build()
        .map_err(|e| anyhow::anyhow!("building the TOTP failed: {e:?}"))
}

/// The time step a correct `code` belongs to (this step or one either side, for clock
/// drift), or none. The caller refuses a step already spent.
pub fn matching_step(secret: &str, code: &str, unix_seconds: i64) -> anyhow::Result<Option<i64>> {
    let totp = totp(secret, "")?;
    let Ok(time) = u64::try_from(unix_seconds) else {
        return Ok(None);
    };
    Ok(totp.check(code, time).and_then(|s| i64::try_from(s).ok()))
}

/// The code an authenticator shows at `unix_seconds` (for tests and the demo walkthrough).
pub fn code_at(secret: &str, unix_seconds: i64) -> anyhow::Result<String> {
    let time = u64::try_from(unix_seconds).unwrap_or(0);
    Ok(totp(secret, "")?.generate(time).to_string())
}

/// The `otpauth://` address the QR code carries.
pub fn enrolment_url(secret: &str, account: &str) -> anyhow::Result<String> {
    totp(secret, account)?
        .to_url()
        .map_err(|e| anyhow::anyhow!("building the otpauth address failed: {e:?}"))
}

/// The enrolment QR code as an inline SVG, drawn here: the secret never leaves the server.
pub fn qr_svg(url: &str) -> anyhow::Result<String> {
    let code = QrCode::new(url.as_bytes())?;
    let document = code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // Inline in HTML: the XML declaration before <svg> has no place there.
    Ok(match document.find("<svg") {
        Some(start) => document[start..].to_string(),
        None => document,
    })
}

/// The secret in groups of four, for typing into an app that cannot scan.
pub fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_6238_vector_matches() {
        // RFC 6238 appendix B, SHA-1, secret "12345678901234567890", T = 59: 94287082
        // (8 digits); the six-digit code is its last six.
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        assert_eq!(code_at(&secret, 59).unwrap(), "287082");
        assert_eq!(matching_step(&secret, "287082", 59).unwrap(), Some(1));
    }

    #[test]
    fn codes_a_step_either_side_match_and_older_ones_do_not() {
        let secret = new_secret();
        let now = 1_800_000_000;
        let code = code_at(&secret, now - 30).unwrap();
        assert_eq!(
            matching_step(&secret, &code, now).unwrap(),
            Some(now / 30 - 1)
        );
        let stale = code_at(&secret, now - 90).unwrap();
        if stale != code_at(&secret, now).unwrap() && stale != code {
            assert_eq!(matching_step(&secret, &stale, now).unwrap(), None);
        }
        assert_eq!(matching_step(&secret, "12345", now).unwrap(), None);
        assert_eq!(matching_step(&secret, "abcdef", now).unwrap(), None);
    }

    #[test]
    fn the_qr_code_is_an_svg_of_the_otpauth_address() {
        let url = enrolment_url(&new_secret(), "jo@example.org").unwrap();
        assert!(
            url.starts_with("otpauth://totp/Redress:jo%40example.org?"),
            "{url}"
        );
        let svg = qr_svg(&url).unwrap();
        assert!(
            svg.starts_with("<svg"),
            "inline, without an XML declaration: {svg}"
        );
        assert!(
            !svg.contains("href") && !svg.contains("<image"),
            "drawn, not linked"
        );
    }
}
