//! What the session cookie holds: the signed-in user's id and the session generation it
//! was issued under, when the session began and was last used (for the idle and absolute
//! timeouts), the CSRF token and one flash message. The cookie is encrypted by
//! actix-session; the user row is reloaded on every request and its `session_generation`
//! must equal the cookie's, so bumping the column ends every copy of every cookie.

use actix_session::Session;
use chrono::{DateTime, Utc};

use crate::domain::UserId;

const USER_ID: &str = "uid";
const GENERATION: &str = "gen";
const SIGNED_IN_AT: &str = "since";
const LAST_SEEN: &str = "seen";
const CSRF: &str = "csrf";
const FLASH: &str = "flash";
const AWAITING_USER: &str = "2fa_uid";
const AWAITING_GENERATION: &str = "2fa_gen";
const AWAITING_SINCE: &str = "2fa_since";
const ENROLMENT_SECRET: &str = "2fa_secret";

/// How long the code step waits after a correct password before starting again.
pub const CODE_STEP_SECONDS: i64 = 10 * 60;

pub fn user_id(session: &Session) -> Option<UserId> {
    session.get::<UserId>(USER_ID).ok().flatten()
}

/// The user's session generation when this session was issued (none: signed out, or a
/// cookie from before generations existed, which is then refused).
pub fn generation(session: &Session) -> Option<i32> {
    session.get::<i32>(GENERATION).ok().flatten()
}

/// Starts a signed-in session under a fresh id (renewal stops session fixation) with a
/// fresh CSRF token, bound to the user's current session generation.
pub fn sign_in(session: &Session, user: UserId, generation: i32, now: DateTime<Utc>) {
    session.renew();
    session.clear();
    let now = now.timestamp();
    let _ = session.insert(USER_ID, user);
    let _ = session.insert(GENERATION, generation);
    let _ = session.insert(SIGNED_IN_AT, now);
    let _ = session.insert(LAST_SEEN, now);
    let _ = session.insert(CSRF, crate::web::csrf::new_token());
}

/// A correct password from a user who must now give a code: not signed in yet. The
/// session is renewed (as at sign-in) and remembers who, under which generation, since when.
pub fn await_second_factor(session: &Session, user: UserId, generation: i32, now: DateTime<Utc>) {
    session.renew();
    session.clear();
    let _ = session.insert(AWAITING_USER, user);
    let _ = session.insert(AWAITING_GENERATION, generation);
    let _ = session.insert(AWAITING_SINCE, now.timestamp());
    let _ = session.insert(CSRF, crate::web::csrf::new_token());
}

/// Who is at the code step, and the generation their password was accepted under; none
/// when nobody is, or the step has waited longer than [`CODE_STEP_SECONDS`].
pub fn awaiting_second_factor(session: &Session, now: DateTime<Utc>) -> Option<(UserId, i32)> {
    let user = session.get::<UserId>(AWAITING_USER).ok().flatten()?;
    let generation = session.get::<i32>(AWAITING_GENERATION).ok().flatten()?;
    let since = session.get::<i64>(AWAITING_SINCE).ok().flatten()?;
    (now.timestamp() - since <= CODE_STEP_SECONDS).then_some((user, generation))
}

/// The secret being enrolled, kept in the (encrypted) cookie until a code confirms it, so
/// reloading the page shows the same QR code.
pub fn enrolment_secret(session: &Session) -> Option<String> {
    session.get::<String>(ENROLMENT_SECRET).ok().flatten()
}

pub fn set_enrolment_secret(session: &Session, secret: &str) {
    let _ = session.insert(ENROLMENT_SECRET, secret);
}

pub fn sign_out(session: &Session) {
    session.purge();
}

/// Checks the idle and absolute limits; on success records this request as activity.
pub fn still_fresh(
    session: &Session,
    idle_secs: i64,
    absolute_secs: i64,
    now: DateTime<Utc>,
) -> bool {
    let now = now.timestamp();
    let since = session.get::<i64>(SIGNED_IN_AT).ok().flatten().unwrap_or(0);
    let seen = session.get::<i64>(LAST_SEEN).ok().flatten().unwrap_or(0);
    if now - seen > idle_secs || now - since > absolute_secs {
        return false;
    }
    // Rewriting the cookie more than once a second is wasteful.
    if now - seen >= 1 {
        let _ = session.insert(LAST_SEEN, now);
    }
    true
}

/// The session's CSRF token, created on first use (anonymous visitors get one too).
pub fn csrf_token(session: &Session) -> String {
    if let Some(token) = session.get::<String>(CSRF).ok().flatten() {
        return token;
    }
    let token = crate::web::csrf::new_token();
    let _ = session.insert(CSRF, &token);
    token
}

pub fn existing_csrf_token(session: &Session) -> Option<String> {
    session.get::<String>(CSRF).ok().flatten()
}

pub fn set_flash(session: &Session, message: &str) {
    let _ = session.insert(FLASH, message);
}

pub fn take_flash(session: &Session) -> Option<String> {
    let message = session.get::<String>(FLASH).ok().flatten();
    if message.is_some() {
        session.remove(FLASH);
    }
    message
}
