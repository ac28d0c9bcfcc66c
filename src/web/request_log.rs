//! The access log: one span per request carrying a request id, so every line written while
//! the request is handled (database work included, see `AppState::db`) can be found
//! together. The request line is the redacted one (`csrf::loggable_request`): upload forms
//! carry the CSRF token in the query, and the log must never hold a live token.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::field::Empty;
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};

use crate::web::csrf::loggable_request;

/// Builds each request's span for `tracing_actix_web::TracingLogger`.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(|id| id.to_string())
            .unwrap_or_default();
        let client = request
            .peer_addr()
            .map(|addr| addr.ip().to_string())
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            request_id = %request_id,
            client = %client,
            request = %loggable_request(request),
            status = Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let status = match outcome {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        span.record("status", status.as_u16());
    }
}

/// Logs to standard error, filtered by `RUST_LOG` (default `info`); each request's span is
/// written when it closes, with its status and time taken, and `log` records from libraries
/// are carried over.
pub fn init() {
    use std::io::IsTerminal;
    use tracing_subscriber::fmt::format::FmtSpan;
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use actix_web::{test, web, App, HttpResponse};
    use tracing_actix_web::TracingLogger;
    use tracing_subscriber::fmt::format::FmtSpan;

    use super::RequestSpan;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[actix_web::test]
    async fn every_line_of_a_request_carries_its_id_and_no_csrf_token() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_span_events(FmtSpan::CLOSE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);

        let app = test::init_service(App::new().wrap(TracingLogger::<RequestSpan>::new()).route(
            "/cases/{reference}/attachments",
            web::post().to(|| async {
                tracing::info!("storing the upload");
                HttpResponse::SeeOther().finish()
            }),
        ))
        .await;
        let request = test::TestRequest::post()
            .uri("/cases/CMP-2026-000001/attachments?csrf_token=s3cret")
            .to_request();
        let response = test::call_service(&app, request).await;
        assert_eq!(response.status().as_u16(), 303);
        // The span closes when the response (its body) is done with.
        drop(response);

        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = log.lines().collect();
        assert_eq!(
            lines.len(),
            2,
            "the handler's line and the request's close: {log}"
        );
        let id_of = |line: &str| {
            let at = line.find("request_id=").expect("a request id") + "request_id=".len();
            line[at..]
                .chars()
                .take_while(|c| !c.is_whitespace())
                .collect::<String>()
        };
        assert!(id_of(lines[0]).len() >= 32, "{}", lines[0]);
        assert_eq!(id_of(lines[0]), id_of(lines[1]));
        assert!(lines[0].contains("storing the upload"));
        assert!(lines[1].contains("status=303"), "{}", lines[1]);
        assert!(
            lines[1].contains("csrf_token=%5Bredacted%5D"),
            "{}",
            lines[1]
        );
        assert!(!log.contains("s3cret"), "{log}");
    }
}
