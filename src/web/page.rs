//! What the layout needs on every page: who is signed in, the CSRF token for forms and
//! htmx, the navigation they may use, and a one-off success message.

use actix_session::Session;

use crate::auth::{permissions, Permission};
use crate::web::current_user::CurrentUser;
use crate::web::session;

#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Clone, Default)]
pub struct PageCtx {
    pub user_name: Option<String>,
    pub role_label: String,
    pub csrf_token: String,
    pub nav: Vec<NavItem>,
    pub flash: Option<String>,
    /// The nav item to mark as current.
    pub current: &'static str,
    /// An officer: the letters pages link to the print queue and outbox.
    pub sends_letters: bool,
}

/// The navigation item a page sits under.
fn section_of(href: &'static str) -> &'static str {
    match href {
        "/letters/print-queue" | "/letters/receipt" | "/outbox" => "/letters/owed",
        account if account.starts_with("/account") => "/account",
        other => other,
    }
}

impl PageCtx {
    /// The URL of a static file, by its fingerprinted name (src/web/assets).
    pub fn asset(&self, path: &str) -> String {
        crate::web::assets::url(path)
    }

    /// For error pages rendered outside a handler: no user, no forms.
    pub fn bare() -> PageCtx {
        PageCtx::default()
    }

    pub fn anonymous(session: &Session) -> PageCtx {
        PageCtx {
            csrf_token: session::csrf_token(session),
            ..PageCtx::default()
        }
    }

    pub fn for_user(user: &CurrentUser) -> PageCtx {
        let mut nav = vec![NavItem {
            href: "/",
            label: "Home",
        }];
        // Until the password is changed and two-factor sign-in set up, nothing else opens.
        if !user.must_change_password && !user.must_enrol {
            if permissions::allows(user.role, Permission::Administer) {
                nav.push(NavItem {
                    href: "/admin/users",
                    label: "Users",
                });
                nav.push(NavItem {
                    href: "/admin/service-areas",
                    label: "Service areas",
                });
                nav.push(NavItem {
                    href: "/admin/categories",
                    label: "Categories",
                });
                nav.push(NavItem {
                    href: "/admin/contractors",
                    label: "Contractors",
                });
                nav.push(NavItem {
                    href: "/admin/settings",
                    label: "Policy and landlord",
                });
                nav.push(NavItem {
                    href: "/admin/audit",
                    label: "Audit log",
                });
            }
            if permissions::allows(user.role, Permission::ViewCases) {
                nav.push(NavItem {
                    href: "/cases",
                    label: "Cases",
                });
            }
            if permissions::allows(user.role, Permission::ManageCases) {
                nav.push(NavItem {
                    href: "/cases/new",
                    label: "Log a complaint",
                });
                nav.push(NavItem {
                    href: "/emails",
                    label: "Emails",
                });
            }
            if permissions::allows(user.role, Permission::Approve) {
                nav.push(NavItem {
                    href: "/approvals",
                    label: "Approvals",
                });
            }
            if crate::ombudsman::access::may_open(
                &user.viewer(),
                crate::ombudsman::access::RegisterAction::Read,
            ) {
                // Issue 27: the Housing Ombudsman register.
                nav.push(NavItem {
                    href: "/ombudsman",
                    label: "Ombudsman",
                });
            }
            if permissions::allows(user.role, Permission::ViewReports) {
                nav.push(NavItem {
                    href: "/reports",
                    label: "Reports",
                });
            }
            if permissions::allows(user.role, Permission::ViewCases) {
                // Letters owed, and for officers the print queue and outbox beside it
                // (templates/letters/sections.html): one item keeps the bar on one line.
                nav.push(NavItem {
                    href: "/letters/owed",
                    label: "Letters",
                });
                nav.push(NavItem {
                    href: "/actions",
                    label: "Outstanding actions",
                });
            }
        }
        PageCtx {
            user_name: Some(user.display_name.clone()),
            role_label: user.role.label().to_string(),
            csrf_token: user.csrf_token.clone(),
            nav,
            flash: None,
            current: "",
            sends_letters: !user.must_change_password
                && !user.must_enrol
                && permissions::allows(user.role, Permission::ManageCases),
        }
    }

    pub fn with_flash(mut self, session: &Session) -> PageCtx {
        self.flash = session::take_flash(session);
        self
    }

    /// Marks the navigation item of the section `href` belongs to as current.
    pub fn current(mut self, href: &'static str) -> PageCtx {
        self.current = section_of(href);
        self
    }
}
