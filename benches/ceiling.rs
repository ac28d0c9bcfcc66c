//! The ceiling for `benches/pages.sh` (issue 31): a bare actix-web server that answers every
//! request with the same 20 KB HTML page from memory. It runs with actix-web's default
//! workers (one per physical core) and sets `TCP_NODELAY` on each connection, as Redress
//! does, so the ratio of a Redress page to this one is the share of the machine left after
//! the page's own work (queries, templates, sessions).
//!
//! A bench target without a harness that `benches/pages.sh` builds and starts with the
//! address to listen on. Run without one (as `cargo bench` does) it prints how to use it and
//! stops, so a plain `cargo bench` does not wait on a server.
//!
//! ```sh
//! cargo build --release --bench ceiling   # the binary is target/release/deps/ceiling-<hash>
//! target/release/deps/ceiling-<hash> 127.0.0.1:8099
//! ```

use actix_web::{web, App, HttpResponse, HttpServer};

/// The page's size in bytes: about what a work list of 50 cases weighs.
const PAGE_BYTES: usize = 20 * 1024;

/// A well-formed HTML page of exactly [`PAGE_BYTES`] bytes.
fn page() -> String {
    let head = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\
                <title>Ceiling</title></head>\n<body>\n";
    let tail = "</body>\n</html>\n";
    let line = "<p>A static paragraph, about as long as a row of a work list, repeated.</p>\n";
    let mut html = String::with_capacity(PAGE_BYTES);
    html.push_str(head);
    while html.len() + line.len() + tail.len() <= PAGE_BYTES {
        html.push_str(line);
    }
    let padding = PAGE_BYTES - html.len() - tail.len();
    html.push_str(&" ".repeat(padding));
    html.push_str(tail);
    assert_eq!(html.len(), PAGE_BYTES);
    html
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // `cargo bench` passes `--bench`; the script passes the address.
    let Some(bind) = std::env::args().skip(1).find(|a| !a.starts_with('-')) else {
        eprintln!("ceiling: give the address to listen on (benches/pages.sh starts it)");
        return Ok(());
    };
    let body = web::Bytes::from(page());
    HttpServer::new(move || {
        let body = body.clone();
        App::new().default_service(web::to(move || {
            let body = body.clone();
            async move {
                HttpResponse::Ok()
                    .content_type("text/html; charset=utf-8")
                    .body(body)
            }
        }))
    })
    .on_connect(|connection, _| {
        if let Some(stream) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
            let _ = stream.set_nodelay(true);
        }
    })
    .bind(bind)?
    .run()
    .await
}
