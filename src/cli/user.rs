//! `redress user add`: creates a staff account; the password is read from stdin so it never
//! appears in the process list or shell history.

use std::io::BufRead;

use chrono::Utc;
use clap::Subcommand;

use crate::auth::password;
use crate::db::audit::{self, AuditEntry};
use crate::db::users::{self, NewUser};
use crate::db::DbPool;
use crate::domain::{Email, Role};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = ["officer", "manager", "director", "member", "admin"])]
        role: String,
    },
}

/// Returns a message for stdout, or a refusal for stderr.
pub fn run(
    command: &UserCommand,
    pool: &DbPool,
    stdin: &mut dyn BufRead,
) -> Result<String, String> {
    match command {
        UserCommand::Add { email, name, role } => {
            let email = Email::parse(email).map_err(str::to_string)?;
            let name = name.trim();
            if name.is_empty() {
                return Err("Enter the person's full name with --name".into());
            }
            let role: Role = role
                .parse()
                .map_err(|e: crate::domain::role::UnknownRole| e.to_string())?;
            let mut line = String::new();
            stdin
                .read_line(&mut line)
                .map_err(|e| format!("could not read the password from stdin: {e}"))?;
            let secret = line.trim_end_matches(['\r', '\n']);
            password::check_strength(secret, &[email.as_str(), name])?;
            let hash = password::hash(secret).map_err(|e| e.to_string())?;
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            if users::find_by_email(&mut conn, email.as_str())
                .map_err(|e| e.to_string())?
                .is_some()
            {
                return Err(format!(
                    "A user with the email address {email} already exists"
                ));
            }
            let now = Utc::now().naive_utc();
            let created = users::insert(
                &mut conn,
                &NewUser {
                    email: email.as_str(),
                    display_name: name,
                    role: role.as_str(),
                    password_hash: &hash,
                    must_change_password: false,
                    active: true,
                    created_at: now,
                    updated_at: now,
                },
            )
            .map_err(|e| e.to_string())?;
            audit::record(
                &mut conn,
                &AuditEntry::new(
                    None,
                    "cli",
                    "user_created",
                    format!("user:{}", created.id),
                    format!("role={role}"),
                    None,
                ),
            )
            .map_err(|e| e.to_string())?;
            Ok(format!("Added {} ({}) as {}", name, email, role.label()))
        }
    }
}
