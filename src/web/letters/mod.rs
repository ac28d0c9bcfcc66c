//! Letters on the web: a case's letters (owed, drafts, sent), the draft editor with its
//! preview and content check, sending, the frozen letter and its print view, the print queue
//! and the "letters owed" work list. Who may do what is the case actions' one check
//! (`actions::allowed` with a [`Who`]); the rules live in `crate::letters`.

mod edit;
mod elsewhere;
mod lists;
mod progress;
mod receipt;

use actix_web::web;

use crate::letters::kind::Records;
use crate::letters::LetterKind;
use crate::web::cases::actions::Who;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/letters/owed", web::get().to(lists::owed))
        .route("/letters/print-queue", web::get().to(lists::print_queue))
        .route("/letters/receipt", web::get().to(receipt::form))
        .route("/letters/receipt", web::post().to(receipt::submit))
        .route("/letters/{id}", web::get().to(lists::show))
        .route("/letters/{id}/print", web::get().to(lists::print))
        .route("/letters/{id}/posted", web::post().to(lists::mark_posted))
        .route("/cases/{reference}/letters", web::get().to(lists::for_case))
        .route(
            "/cases/{reference}/letters/{kind}",
            web::get().to(edit::form),
        )
        .route(
            "/cases/{reference}/letters/{kind}",
            web::post().to(edit::submit),
        )
        .route(
            "/cases/{reference}/letters/{kind}/sent-elsewhere",
            web::get().to(elsewhere::form),
        )
        .route(
            "/cases/{reference}/letters/{kind}/sent-elsewhere",
            web::post().to(elsewhere::submit),
        )
        // How often the resident is updated (Code 5.9).
        .route(
            "/cases/{reference}/progress-updates",
            web::get().to(progress::form),
        )
        .route(
            "/cases/{reference}/progress-updates",
            web::post().to(progress::submit),
        );
}

/// Who may draft and send a letter of `kind`: the complaints team sends letters (SPEC
/// section 1); a decision or response also by the manager or director it is assigned to,
/// who decided it; an extension letter by anyone working the case, as extensions are.
pub(crate) fn who_for(kind: LetterKind) -> Who {
    match kind.records() {
        // The complaints team refuses escalations, and so explains the refusal.
        Records::Notice if kind == LetterKind::EscalationRefusal => Who::Officers,
        // Updates come from whoever is working the case, as extensions do.
        Records::Notice => Who::CaseTeam,
        Records::Acknowledgement | Records::Decline | Records::RestrictionNotice => Who::Officers,
        Records::ExtensionNotified => Who::CaseTeam,
        Records::Response => Who::OfficersOrAssignedManager,
    }
}
