//! Layered settings: built-in defaults < `config/default.toml` < `config/local.toml`
//! < `REDRESS_SECTION__KEY` environment variables < `DATABASE_URL` / `REDRESS_BIND`
//! < command-line flags (applied by the caller through [`Overrides`]).
//!
//! Every section denies unknown keys so a typo stops start-up with the key named,
//! instead of silently running on a default.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub storage: StorageSettings,
    pub rules: RulesSettings,
    pub landlord: LandlordSettings,
    pub mail: MailSettings,
    pub reports: ReportsSettings,
    pub auth: AuthSettings,
    pub intake: IntakeSettings,
    pub workflow: WorkflowSettings,
    pub alerts: AlertsSettings,
    pub governance: GovernanceSettings,
    pub retention: RetentionSettings,
}

/// The governing body's pages (issue 26).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GovernanceSettings {
    /// The Code self-assessment checklist, editable by the landlord.
    pub checklist: PathBuf,
}

impl Default for GovernanceSettings {
    fn default() -> Self {
        Self {
            checklist: PathBuf::from("config/self-assessment.toml"),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSettings {
    pub bind: String,
    /// Set when Redress sits behind a TLS-terminating proxy: cookies get `Secure`.
    pub secure_cookies: bool,
    /// Peers whose `X-Forwarded-For` is believed when working out the client address.
    pub trusted_proxies: Vec<IpAddr>,
    /// Base64 of at least 64 random bytes. When empty, a key is generated on first run
    /// into the data folder (never committed).
    pub session_key: String,
    /// Minutes without a request before the session ends (fractions allowed).
    pub session_idle_minutes: f64,
    /// Hours after sign-in before the session ends whatever the activity.
    pub session_absolute_hours: f64,
    /// Folder served at `/static`.
    pub static_dir: PathBuf,
    /// HTTP worker threads; 0 means one per core.
    pub workers: usize,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            session_key: String::new(),
            session_idle_minutes: 30.0,
            session_absolute_hours: 12.0,
            static_dir: PathBuf::from("static"),
            workers: 0,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseSettings {
    /// `sqlite://PATH`, `sqlite:///abs/path` or `postgres://…`.
    pub url: String,
    /// Connections kept open; by default [`default_pool_size`].
    pub pool_size: u32,
}

/// Twice the processors this process may use, at least 4: each connection runs one statement
/// at a time, and PostgreSQL runs each in its own process, so more connections than that
/// only share the processors by turns. On 2 cores, 8 connections under 8 concurrent lists
/// left 7 to 11 of the bench's 63 URLs with a p99 over 50 ms where 4 left 2
/// (docs/performance.md, session 13); SQLite's figures were the same either way.
pub fn default_pool_size() -> u32 {
    let processors = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
    (2 * processors).clamp(4, 32)
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: "sqlite://data/redress.db".into(),
            pool_size: default_pool_size(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageSettings {
    /// Where the session key, mail files and attachments live.
    pub data_dir: PathBuf,
    /// The largest evidence file accepted, in bytes.
    pub max_upload_bytes: u64,
}

impl Default for StorageSettings {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("data"),
            max_upload_bytes: 20 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RulesSettings {
    /// Name of the active policy profile (a file in `policies_dir`).
    pub policy: String,
    /// `england-and-wales`, `scotland` or `northern-ireland`.
    pub region: String,
    pub policies_dir: PathBuf,
    pub holidays_file: PathBuf,
    /// A deadline with this many working days left, or fewer, is amber.
    pub amber_within: u32,
}

impl Default for RulesSettings {
    fn default() -> Self {
        Self {
            policy: "hoc-2024".into(),
            region: "england-and-wales".into(),
            policies_dir: PathBuf::from("config/policies"),
            holidays_file: PathBuf::from("config/bank-holidays.json"),
            amber_within: 2,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LandlordSettings {
    pub name: String,
    pub address: Vec<String>,
    pub signatory: String,
    pub signatory_title: String,
    pub complaints_email: String,
    pub complaints_phone: String,
    pub ombudsman_name: String,
    pub ombudsman_address: Vec<String>,
    pub ombudsman_phone: String,
    pub ombudsman_email: String,
    pub ombudsman_website: String,
    /// Who signs each kind of letter (`[landlord.signed_by]`); `signatory` and
    /// `signatory_title` sign where the choice is `team` or the person is not known.
    pub signed_by: SignedBy,
}

/// Who signs a letter: the member of staff responsible, by name and job title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signer {
    /// The case officer (the complaints team member who triaged the case).
    CaseOfficer,
    /// The manager the case is assigned to; at stage 2 the reviewing director.
    Assignee,
    /// `landlord.signatory` and `landlord.signatory_title`.
    Team,
}

/// The signer of each letter kind (keys as the kinds' stored values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SignedBy {
    pub stage1_acknowledgement: Signer,
    pub stage2_acknowledgement: Signer,
    pub extension: Signer,
    pub stage0_decision: Signer,
    pub stage1_response: Signer,
    pub stage2_response: Signer,
    pub decline: Signer,
    pub restriction_notice: Signer,
    pub escalation_refusal: Signer,
    pub progress_update: Signer,
    pub action_completed: Signer,
}

impl Default for SignedBy {
    fn default() -> Self {
        Self {
            stage1_acknowledgement: Signer::CaseOfficer,
            stage2_acknowledgement: Signer::CaseOfficer,
            extension: Signer::Assignee,
            stage0_decision: Signer::Assignee,
            stage1_response: Signer::Assignee,
            stage2_response: Signer::Assignee,
            decline: Signer::CaseOfficer,
            restriction_notice: Signer::Team,
            escalation_refusal: Signer::CaseOfficer,
            progress_update: Signer::Assignee,
            action_completed: Signer::Assignee,
        }
    }
}

impl Default for LandlordSettings {
    fn default() -> Self {
        Self {
            name: "Example Housing Association".into(),
            address: vec!["1 High Street".into(), "Anytown".into(), "AN1 1AA".into()],
            signatory: "Complaints Team".into(),
            signatory_title: "Complaints Manager".into(),
            complaints_email: "complaints@example.org.uk".into(),
            complaints_phone: "0300 000 0000".into(),
            ombudsman_name: "Housing Ombudsman Service".into(),
            ombudsman_address: vec![
                "PO Box 1484".into(),
                "Unit D".into(),
                "Preston".into(),
                "PR2 0ET".into(),
            ],
            ombudsman_phone: "0300 111 3000".into(),
            ombudsman_email: "info@housing-ombudsman.org.uk".into(),
            ombudsman_website: "www.housing-ombudsman.org.uk".into(),
            signed_by: SignedBy::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailSettings {
    /// `file` (embedded default: `.eml` files in the data folder) or `smtp`.
    pub transport: String,
    pub from: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    /// `starttls`, `tls` or `none`.
    pub smtp_security: String,
    pub smtp_username: String,
    pub smtp_password: String,
    /// Seconds to wait for the SMTP server at each step of a send (connecting, each
    /// command, the message) before the attempt counts as failed.
    pub smtp_timeout_seconds: u64,
    /// Attempts before a message is marked failed and shown to officers.
    pub max_attempts: u32,
    /// How often the server's background worker looks for mail to send; 0 turns it off
    /// (then `redress outbox run-once` delivers, e.g. from cron).
    pub poll_seconds: u64,
    /// How long a worker's claim on a message lasts before another worker may take it over.
    pub lease_seconds: u64,
    /// Messages claimed per round.
    pub batch_size: u32,
    /// London time (`HH:MM`) after which each working day's digest is queued.
    pub digest_time: String,
    /// The address staff open Redress at, put before the links in staff emails (e.g.
    /// `https://complaints.example.org.uk`); empty means `http://` + `server.bind`.
    pub link_base: String,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            transport: "file".into(),
            from: "Complaints Team <complaints@example.org.uk>".into(),
            smtp_host: String::new(),
            smtp_port: 587,
            smtp_security: "starttls".into(),
            smtp_username: String::new(),
            smtp_password: String::new(),
            smtp_timeout_seconds: 20,
            max_attempts: 8,
            poll_seconds: 5,
            lease_seconds: 300,
            batch_size: 20,
            digest_time: "07:30".into(),
            link_base: String::new(),
        }
    }
}

/// The complaints mailbox read over IMAP (issue 28), and the automatic receipt.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IntakeSettings {
    /// Empty: no mailbox is read (the Emails page still works for what was stored).
    pub host: String,
    pub port: u16,
    /// `tls` (port 993), `starttls` (143) or `none` (loopback only: the password would
    /// cross the network in the clear).
    pub security: String,
    pub username: String,
    /// Set through `REDRESS_INTAKE__PASSWORD`, never in a committed file.
    pub password: String,
    /// The folder new complaints arrive in.
    pub folder: String,
    /// Where a message goes once it is stored (created when missing).
    pub processed_folder: String,
    /// Where an unreadable or oversized message goes once it is stored.
    pub quarantine_folder: String,
    /// How often the server's worker reads the mailbox; 0 turns it off (then
    /// `redress intake run-once` reads it, e.g. from cron).
    pub poll_seconds: u64,
    /// The largest message accepted, in bytes; a larger one is quarantined.
    pub max_message_bytes: u64,
    /// Messages fetched per round.
    pub batch_size: u32,
    /// Send the resident an automatic receipt when a case is created from the public form
    /// or from an email.
    pub receipt: bool,
}

impl Default for IntakeSettings {
    fn default() -> Self {
        Self {
            host: String::new(),
            port: 993,
            security: "tls".into(),
            username: String::new(),
            password: String::new(),
            folder: "INBOX".into(),
            processed_folder: "Redress Processed".into(),
            quarantine_folder: "Redress Quarantine".into(),
            poll_seconds: 60,
            max_message_bytes: 25 * 1024 * 1024,
            batch_size: 50,
            receipt: true,
        }
    }
}

impl IntakeSettings {
    /// Whether a mailbox is configured at all.
    pub fn enabled(&self) -> bool {
        !self.host.trim().is_empty()
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key, message: String| Err(ConfigError::Invalid { key, message });
        if !matches!(self.security.as_str(), "tls" | "starttls" | "none") {
            return invalid(
                "intake.security",
                format!("`{}` is not `tls`, `starttls` or `none`", self.security),
            );
        }
        if self.enabled() && self.security == "none" && !is_loopback(&self.host) {
            return invalid(
                "intake.security",
                "`none` sends the password in the clear: use it only with a server on \
                 this machine (127.0.0.1, ::1 or localhost)"
                    .into(),
            );
        }
        if self.enabled() && self.username.trim().is_empty() {
            return invalid(
                "intake.username",
                "must be set when `intake.host` is".into(),
            );
        }
        for (key, folder) in [
            ("intake.folder", &self.folder),
            ("intake.processed_folder", &self.processed_folder),
            ("intake.quarantine_folder", &self.quarantine_folder),
        ] {
            if folder.trim().is_empty() {
                return invalid(key, "must name a folder".into());
            }
        }
        if self.folder == self.processed_folder || self.folder == self.quarantine_folder {
            return invalid(
                "intake.processed_folder",
                "the processed and quarantine folders must differ from `intake.folder`".into(),
            );
        }
        if self.max_message_bytes == 0 {
            return invalid("intake.max_message_bytes", "must be more than 0".into());
        }
        if self.batch_size == 0 {
            return invalid("intake.batch_size", "must be at least 1".into());
        }
        Ok(())
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ReportsSettings {
    /// Homes owned per reporting year, keyed by the year the April–March year starts.
    pub homes: BTreeMap<String, u32>,
    /// Homes owned per tenure, for the Tenant Satisfaction Measures split into low cost
    /// rental accommodation (LCRA) and low cost home ownership (LCHO), keyed like `homes`
    /// (`[reports.tenure_homes.2026]` with `lcra` and `lcho`). Without it there is no split.
    pub tenure_homes: BTreeMap<String, TenureHomes>,
}

/// Homes owned in each TSM tenure in a reporting year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenureHomes {
    pub lcra: u32,
    pub lcho: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthSettings {
    /// Roles that must sign in with a second factor (an authenticator app code) after
    /// their password. Demo accounts made by `seed-demo` are exempt whatever this says.
    pub second_factor_roles: Vec<String>,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            second_factor_roles: crate::domain::Role::ALL
                .iter()
                .map(|r| r.as_str().to_string())
                .collect(),
        }
    }
}

impl AuthSettings {
    /// Whether `role` must use a second factor (the roles were checked at start-up).
    pub fn second_factor_required(&self, role: crate::domain::Role) -> bool {
        self.second_factor_roles.iter().any(|r| r == role.as_str())
    }
}

/// Optional steps a landlord may switch on (issue 22).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct WorkflowSettings {
    /// A stage 1 or 2 response drafted by a manager or director waits on the complaints
    /// team's "Responses to check" list until an officer passes it. Off: sent as drafted.
    pub review_responses: bool,
}

/// Who hears about missed deadlines (issue 22).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AlertsSettings {
    /// A case overdue by more than this many working days is also escalated to the head of
    /// service of its area (the director named on the service area in Admin).
    pub head_of_service_after_working_days: u32,
}

impl Default for AlertsSettings {
    fn default() -> Self {
        Self {
            head_of_service_after_working_days: 5,
        }
    }
}

/// How long a closed case keeps its personal data (issue 30, UK GDPR storage limitation).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionSettings {
    /// Years after a case closes before its personal data is removed.
    pub years: u32,
    /// Optional: a different number of years for a case closed with this outcome
    /// (`upheld`, `partly_upheld`, `not_upheld`, `resolved_first_point`, `withdrawn`).
    pub by_outcome: BTreeMap<String, u32>,
    /// London time of the server's daily retention run; empty turns it off (then run
    /// `redress retention run` from cron).
    pub run_time: String,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        Self {
            years: 6,
            by_outcome: BTreeMap::new(),
            run_time: "02:30".into(),
        }
    }
}

impl RetentionSettings {
    /// The daily run's time, or `None` when it is off.
    pub fn run_at(&self) -> Option<chrono::NaiveTime> {
        chrono::NaiveTime::parse_from_str(self.run_time.trim(), "%H:%M").ok()
    }

    /// The rule's policy: years overall and by outcome.
    pub fn policy(&self) -> crate::rules::retention::RetentionPolicy {
        crate::rules::retention::RetentionPolicy {
            years: self.years,
            by_outcome: self.by_outcome.clone(),
        }
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key, message: String| Err(ConfigError::Invalid { key, message });
        if self.years == 0 {
            return invalid("retention.years", "must be at least 1".into());
        }
        for (outcome, years) in &self.by_outcome {
            if outcome.parse::<crate::domain::case::Outcome>().is_err() {
                return invalid(
                    "retention.by_outcome",
                    format!(
                        "`{outcome}` is not an outcome (upheld, partly_upheld, not_upheld, \
                         resolved_first_point or withdrawn)"
                    ),
                );
            }
            if *years == 0 {
                return invalid("retention.by_outcome", "years must be at least 1".into());
            }
        }
        if !self.run_time.trim().is_empty() && self.run_at().is_none() {
            return invalid(
                "retention.run_time",
                format!("`{}` is not a time like 02:30", self.run_time),
            );
        }
        Ok(())
    }
}

/// Values given on the command line; they win over everything else.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub bind: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration error: {0}")]
    Load(String),
    #[error("configuration error in `{key}`: {message}")]
    Invalid { key: &'static str, message: String },
}

impl Settings {
    /// Loads settings from the folder `config_dir` (normally `./config`) and the process
    /// environment, then applies `overrides`.
    pub fn load(config_dir: &Path, overrides: &Overrides) -> Result<Settings, ConfigError> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let mut figment = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file_exact(config_dir.join("default.toml")))
            .merge(Toml::file(config_dir.join("local.toml")))
            // Only names with `__` are settings, so TEST_* and REDRESS_BIND never trip
            // the loader.
            .merge(
                Env::prefixed("REDRESS_")
                    .filter(|key| key.as_str().contains("__"))
                    .split("__"),
            );
        if let Some(url) = env("DATABASE_URL") {
            figment = figment.merge(Serialized::default("database.url", url));
        }
        if let Some(bind) = env("REDRESS_BIND") {
            figment = figment.merge(Serialized::default("server.bind", bind));
        }
        if let Some(bind) = &overrides.bind {
            figment = figment.merge(Serialized::default("server.bind", bind));
        }
        let settings: Settings = figment
            .extract()
            .map_err(|e| ConfigError::Load(describe_figment_error(e)))?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks what serde cannot: values that parse but make no sense.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.server
            .bind
            .parse::<SocketAddr>()
            .map_err(|_| ConfigError::Invalid {
                key: "server.bind",
                message: format!(
                    "`{}` is not an address like 127.0.0.1:8080",
                    self.server.bind
                ),
            })?;
        DatabaseUrl::parse(&self.database.url).map_err(|message| ConfigError::Invalid {
            key: "database.url",
            message,
        })?;
        if self.database.pool_size == 0 {
            return Err(ConfigError::Invalid {
                key: "database.pool_size",
                message: "must be at least 1".into(),
            });
        }
        if self.storage.max_upload_bytes == 0 {
            return Err(ConfigError::Invalid {
                key: "storage.max_upload_bytes",
                message: "must be more than 0".into(),
            });
        }
        if self.server.session_idle_minutes <= 0.0 {
            return Err(ConfigError::Invalid {
                key: "server.session_idle_minutes",
                message: "must be more than 0".into(),
            });
        }
        if self.server.session_absolute_hours <= 0.0 {
            return Err(ConfigError::Invalid {
                key: "server.session_absolute_hours",
                message: "must be more than 0".into(),
            });
        }
        self.rules
            .region
            .parse::<crate::rules::calendar::Region>()
            .map_err(|e| ConfigError::Invalid {
                key: "rules.region",
                message: e.to_string(),
            })?;
        for role in &self.auth.second_factor_roles {
            role.parse::<crate::domain::Role>()
                .map_err(|e| ConfigError::Invalid {
                    key: "auth.second_factor_roles",
                    message: e.to_string(),
                })?;
        }
        match self.mail.transport.as_str() {
            "file" | "smtp" => {}
            other => {
                return Err(ConfigError::Invalid {
                    key: "mail.transport",
                    message: format!("`{other}` is not `file` or `smtp`"),
                })
            }
        }
        self.mail.validate()?;
        self.retention.validate()?;
        self.intake.validate()
    }
}

/// The network steps of one SMTP send, each bounded by `mail.smtp_timeout_seconds`:
/// connect, greeting, EHLO, STARTTLS, EHLO again, AUTH, MAIL FROM, RCPT TO, DATA, the
/// message and its reply. (Rounded up; several recipients add RCPT steps, but Redress
/// sends each message to one.)
pub const SMTP_STEPS: u64 = 10;

impl MailSettings {
    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key, message: String| Err(ConfigError::Invalid { key, message });
        if !matches!(self.smtp_security.as_str(), "starttls" | "tls" | "none") {
            return invalid(
                "mail.smtp_security",
                format!(
                    "`{}` is not `starttls`, `tls` or `none`",
                    self.smtp_security
                ),
            );
        }
        let base = self.link_base.trim();
        if !(base.is_empty() || base.starts_with("https://") || base.starts_with("http://")) {
            return invalid(
                "mail.link_base",
                format!("`{base}` is not an address like https://complaints.example.org.uk"),
            );
        }
        if self.transport == "smtp" && self.smtp_host.trim().is_empty() {
            return invalid(
                "mail.smtp_host",
                "must be set when `mail.transport` is `smtp`".into(),
            );
        }
        if self.from.parse::<lettre::message::Mailbox>().is_err() {
            return invalid(
                "mail.from",
                format!("`{}` is not an address like Name <a@b.org>", self.from),
            );
        }
        if self.max_attempts == 0 {
            return invalid("mail.max_attempts", "must be at least 1".into());
        }
        if self.lease_seconds == 0 {
            return invalid("mail.lease_seconds", "must be at least 1".into());
        }
        if self.lease_seconds <= self.longest_send_seconds() {
            return invalid(
                "mail.lease_seconds",
                format!(
                    "must be longer than the longest an SMTP send can take ({} steps × \
                     `mail.smtp_timeout_seconds` {} = {} s), or another worker could take a \
                     message over while it is still being sent and send it twice",
                    SMTP_STEPS,
                    self.smtp_timeout_seconds.max(1),
                    self.longest_send_seconds()
                ),
            );
        }
        if self.batch_size == 0 {
            return invalid("mail.batch_size", "must be at least 1".into());
        }
        if self.digest_at().is_none() {
            return invalid(
                "mail.digest_time",
                format!("`{}` is not a time like 07:30", self.digest_time),
            );
        }
        Ok(())
    }

    /// The longest one SMTP send can take: every step waits at most the timeout.
    pub fn longest_send_seconds(&self) -> u64 {
        SMTP_STEPS * self.smtp_timeout_seconds.max(1)
    }

    /// The London time of day after which the daily digest goes out.
    pub fn digest_at(&self) -> Option<chrono::NaiveTime> {
        chrono::NaiveTime::parse_from_str(self.digest_time.trim(), "%H:%M").ok()
    }
}

fn describe_figment_error(error: figment::Error) -> String {
    error
        .into_iter()
        .map(|e| {
            let key = e.path.join(".");
            if key.is_empty() {
                e.to_string()
            } else {
                format!("`{key}`: {e}")
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A parsed `database.url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://PATH` (relative to the working directory) or `sqlite:///abs/path`.
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<DatabaseUrl, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(
                    "a sqlite:// URL needs a file path, e.g. sqlite://data/redress.db".into(),
                );
            }
            Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(url.to_string()))
        } else {
            Err(format!(
                "`{}` must start with sqlite:// or postgres://",
                redact_password(url)
            ))
        }
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            DatabaseUrl::Sqlite(_) => "sqlite",
            DatabaseUrl::Postgres(_) => "postgres",
        }
    }
}

/// Hides the password in a URL before it is shown in a message or log.
pub fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_relative_and_absolute_sqlite_paths() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/redress.db"),
            Ok(DatabaseUrl::Sqlite(PathBuf::from("data/redress.db")))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/redress.db"),
            Ok(DatabaseUrl::Sqlite(PathBuf::from("/var/lib/redress.db")))
        );
    }

    #[test]
    fn rejects_unknown_schemes_without_leaking_passwords() {
        let err = DatabaseUrl::parse("mysql://bob:secret@host/db").unwrap_err();
        assert!(err.contains("bob:***@host"), "{err}");
        assert!(!err.contains("secret"));
    }

    #[test]
    fn uploads_default_to_20_mb_and_must_allow_something() {
        let mut settings = Settings::default();
        assert_eq!(settings.storage.max_upload_bytes, 20 * 1024 * 1024);
        assert!(settings.validate().is_ok());
        settings.storage.max_upload_bytes = 0;
        let error = settings.validate().unwrap_err().to_string();
        assert!(error.contains("storage.max_upload_bytes"), "{error}");
    }

    #[test]
    fn the_mail_lease_must_outlast_the_longest_smtp_send() {
        let mut settings = Settings::default();
        assert!(
            settings.mail.longest_send_seconds() < settings.mail.lease_seconds,
            "the defaults keep the SMTP timeout well under the lease"
        );
        assert!(settings.validate().is_ok());
        settings.mail.smtp_timeout_seconds = 30;
        settings.mail.lease_seconds = 300;
        let error = settings.validate().unwrap_err().to_string();
        assert!(error.contains("mail.lease_seconds"), "{error}");
        assert!(error.contains("300 s"), "{error}");
        settings.mail.lease_seconds = 301;
        assert!(settings.validate().is_ok());
    }

    #[test]
    fn the_link_base_must_be_a_web_address() {
        let mut settings = Settings::default();
        settings.mail.link_base = "https://complaints.example.org.uk".into();
        assert!(settings.validate().is_ok());
        settings.mail.link_base = "complaints.example.org.uk".into();
        let error = settings.validate().unwrap_err().to_string();
        assert!(error.contains("mail.link_base"), "{error}");
    }
}
