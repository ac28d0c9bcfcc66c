//! Two-factor sign-in (issue 29): who needs a second factor, enrolling an authenticator,
//! checking a code or a recovery code at sign-in, and an administrator's reset. Each
//! use-case writes its audit entry in the same transaction as its change.

use chrono::{DateTime, Utc};
use diesel::Connection;

use crate::auth::sessions::Actor;
use crate::auth::{recovery, throttle, totp};
use crate::config::AuthSettings;
use crate::db::audit::{self, AuditEntry};
use crate::db::users::{self, UserRow};
use crate::db::{recovery_codes, DbConnection};
use crate::domain::{Role, UserId};

/// What signing in asks of a user after their password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Nothing more: their role is not in `auth.second_factor_roles`, or a demo account.
    PasswordOnly,
    /// They must set up an authenticator before using Redress (after any forced
    /// password change).
    Enrol,
    /// A code from their authenticator (or a recovery code).
    Code,
}

/// An enrolled user is always asked for a code; an unenrolled one must enrol when the
/// settings name their role, unless the account is a demo account.
pub fn step_after_password(user: &UserRow, settings: &AuthSettings) -> Step {
    if user.second_factor_enrolled() {
        return Step::Code;
    }
    let required = user
        .role
        .parse::<Role>()
        .map(|role| settings.second_factor_required(role))
        // An unknown role is refused elsewhere; here it errs on the safe side.
        .unwrap_or(true);
    if required && !user.demo {
        Step::Enrol
    } else {
        Step::PasswordOnly
    }
}

/// How a second factor was proved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    AuthenticatorCode,
    /// A recovery code, now spent; `left` unused ones remain.
    RecoveryCode {
        left: i64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeOutcome {
    Passed(Proof),
    /// Wrong, already used, or not a code at all.
    Refused,
    /// Too many wrong codes: refused without checking.
    Locked,
}

fn label(user: &UserRow) -> String {
    format!("{} ({})", user.email, user.role)
}

fn entry(user: &UserRow, action: &str, detail: &str, ip: &str) -> AuditEntry {
    AuditEntry::new(
        Some(user.id),
        label(user),
        action,
        format!("user:{}", user.id),
        detail,
        Some(ip),
    )
}

/// Checks what the user typed at the code step: six digits from the authenticator (each
/// time step accepted once), or one of their unused recovery codes. Throttled like
/// passwords; every outcome is audited.
pub fn check_code(
    conn: &mut DbConnection,
    user: &UserRow,
    typed: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<CodeOutcome> {
    let Some(secret) = user.second_factor_secret.as_deref() else {
        return Ok(CodeOutcome::Refused);
    };
    let at = now.naive_utc();
    let throttle::Admission::Admitted { attempt } =
        throttle::admit_second_factor(conn, user.id, ip, at)?
    else {
        audit::record(conn, &entry(user, "second_factor_locked", "", ip))?;
        return Ok(CodeOutcome::Locked);
    };
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    let proof = if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
        match totp::matching_step(secret, &digits, now.timestamp())? {
            Some(step) if users::spend_step(conn, user.id, step)? => Some(Proof::AuthenticatorCode),
            _ => None,
        }
    } else if let Some(code) = recovery::normalise(typed) {
        if recovery_codes::spend(conn, user.id, &recovery::digest(&code), at)? {
            let left = recovery_codes::unused_count(conn, user.id)?;
            Some(Proof::RecoveryCode { left })
        } else {
            None
        }
    } else {
        None
    };
    Ok(conn.transaction(|conn| {
        let Some(proof) = proof else {
            audit::record(conn, &entry(user, "second_factor_failed", "", ip))?;
            return diesel::QueryResult::Ok(CodeOutcome::Refused);
        };
        throttle::succeeded(conn, attempt)?;
        let detail = match proof {
            Proof::AuthenticatorCode => "password and authenticator code".to_string(),
            Proof::RecoveryCode { left } => {
                format!("password and recovery code ({left} recovery codes left)")
            }
        };
        audit::record(conn, &entry(user, "sign_in", &detail, ip))?;
        Ok(CodeOutcome::Passed(proof))
    })?)
}

pub enum Enrolment {
    /// Set up: the user's other sessions have ended and this one continues under
    /// `generation`; `recovery_codes` are shown once and never again.
    Done {
        generation: i32,
        recovery_codes: Vec<String>,
    },
    /// The code does not match the secret being enrolled.
    WrongCode,
}

/// Completes an enrolment when `typed` is the authenticator's current code for `secret`
/// (so the app really holds it): stores the secret, spends that code's time step, makes
/// ten recovery codes, ends the user's other sessions, and audits.
pub fn enrol(
    conn: &mut DbConnection,
    user: &UserRow,
    secret: &str,
    typed: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Enrolment> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(step) = totp::matching_step(secret, &digits, now.timestamp())? else {
        return Ok(Enrolment::WrongCode);
    };
    let codes = recovery::generate();
    let digests: Vec<String> = codes
        .iter()
        .map(|c| recovery::digest(&recovery::normalise(c).unwrap_or_default()))
        .collect();
    let generation = conn.transaction(|conn| {
        let generation = users::set_second_factor(conn, user.id, secret, step, now.naive_utc())?;
        recovery_codes::replace(conn, user.id, &digests)?;
        audit::record(
            conn,
            &entry(
                user,
                "second_factor_enrolled",
                &format!("{} recovery codes issued", recovery::COUNT),
                ip,
            ),
        )?;
        diesel::QueryResult::Ok(generation)
    })?;
    Ok(Enrolment::Done {
        generation,
        recovery_codes: codes,
    })
}

/// An administrator's reset: the user's authenticator and recovery codes are forgotten,
/// every session of theirs ends, and they enrol again at their next sign-in.
pub fn reset(
    conn: &mut DbConnection,
    actor: &Actor<'_>,
    target: UserId,
    now: DateTime<Utc>,
) -> diesel::QueryResult<()> {
    conn.transaction(|conn| {
        users::clear_second_factor(conn, target, now.naive_utc())?;
        recovery_codes::delete_for(conn, target)?;
        audit::record(
            conn,
            &AuditEntry::new(
                Some(actor.id),
                actor.label.clone(),
                "user_second_factor_reset",
                format!("user:{target}"),
                "",
                Some(actor.ip),
            ),
        )?;
        Ok(())
    })
}
