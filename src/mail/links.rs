//! Links in staff emails. An email is read outside Redress, so a link must carry the address
//! staff open Redress at (`mail.link_base`), not just a path.

use crate::config::Settings;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// No trailing slash.
    base: String,
}

impl Links {
    /// `mail.link_base`, or `http://` + `server.bind` when it is empty.
    pub fn from_settings(settings: &Settings) -> Links {
        let base = settings.mail.link_base.trim();
        let base = if base.is_empty() {
            format!("http://{}", settings.server.bind)
        } else {
            base.to_string()
        };
        Links {
            base: base.trim_end_matches('/').to_string(),
        }
    }

    pub fn case(&self, reference: &str) -> String {
        format!("{}/cases/{reference}", self.base)
    }

    /// The directors' list of requests waiting for approval.
    pub fn approvals(&self) -> String {
        format!("{}/approvals", self.base)
    }

    /// The page where a director decides one request.
    pub fn approval(&self, reference: &str, request: i32) -> String {
        format!("{}/cases/{reference}/approval/{request}", self.base)
    }

    /// The officers' list of responses to check before they are sent.
    pub fn responses_to_check(&self) -> String {
        format!("{}/responses-to-check", self.base)
    }

    /// One contact on the Ombudsman register.
    pub fn ombudsman_contact(&self, id: i32) -> String {
        format!("{}/ombudsman/{id}", self.base)
    }

    pub fn account(&self) -> String {
        format!("{}/account", self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_configured_address_or_the_bind_address() {
        let mut settings = Settings::default();
        settings.server.bind = "127.0.0.1:8080".into();
        assert_eq!(
            Links::from_settings(&settings).case("CMP-2026-000001"),
            "http://127.0.0.1:8080/cases/CMP-2026-000001"
        );
        settings.mail.link_base = "https://complaints.example.org.uk/".into();
        let links = Links::from_settings(&settings);
        assert_eq!(
            links.case("CMP-2026-000001"),
            "https://complaints.example.org.uk/cases/CMP-2026-000001"
        );
        assert_eq!(links.account(), "https://complaints.example.org.uk/account");
    }
}
