//! The signed-in home page: who you are and where you can go.

use actix_session::Session;
use askama::Template;
use askama_web::WebTemplate;

use crate::web::current_user::CurrentUser;
use crate::web::page::PageCtx;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    pub ctx: PageCtx,
}

pub async fn home(user: CurrentUser, session: Session) -> HomePage {
    HomePage {
        ctx: user.page().with_flash(&session).current("/"),
    }
}
