//! Telling background work that the server is stopping (SIGTERM, or a test's graceful stop).
//!
//! Why a signal of its own rather than dropping the background futures: the outbox worker
//! must finish the message it is sending and then hand back the messages it has claimed but
//! not sent, so another instance sends them at once instead of after the lease runs out.
//! Its database work runs on blocking threads, so it asks [`Shutdown::is_stopping`] between
//! messages; async code awaits [`Shutdown::wait`]. The server listens for SIGTERM itself
//! ([`requested`]) rather than leaving it to actix-web, so the outbox worker hears it at the
//! same moment the server stops accepting, not only after in-flight requests have finished.

use std::sync::Arc;

use tokio::sync::watch;

/// A one-way switch shared by the server and its background work. Cloning shares it.
#[derive(Debug, Clone)]
pub struct Shutdown {
    stopping: Arc<watch::Sender<bool>>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown {
            stopping: Arc::new(watch::Sender::new(false)),
        }
    }
}

impl Shutdown {
    /// Starts the shutdown; everything waiting on it wakes.
    pub fn begin(&self) {
        self.stopping.send_replace(true);
    }

    pub fn is_stopping(&self) -> bool {
        *self.stopping.borrow()
    }

    /// Resolves once [`Shutdown::begin`] has been called (at once if it already was).
    pub async fn wait(&self) {
        let mut changes = self.stopping.subscribe();
        // The sender lives in `self`, so this only ends when the switch is on.
        let _ = changes.wait_for(|stopping| *stopping).await;
    }
}

/// Resolves when the process is asked to stop: SIGTERM (a service manager, a container
/// runtime, a deploy) or SIGINT (Ctrl-C). If the handlers cannot be installed, never.
pub async fn requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(mut term), Ok(mut int)) => {
                let (term, int) = (std::pin::pin!(term.recv()), std::pin::pin!(int.recv()));
                match futures_util::future::select(term, int).await {
                    futures_util::future::Either::Left(_) => {
                        tracing::info!("SIGTERM: stopping gracefully")
                    }
                    futures_util::future::Either::Right(_) => {
                        tracing::info!("SIGINT: stopping gracefully")
                    }
                }
            }
            (Err(e), _) | (_, Err(e)) => {
                tracing::error!("cannot listen for SIGTERM/SIGINT: {e}");
                std::future::pending::<()>().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waiting_ends_when_the_switch_is_on_even_if_it_was_turned_on_first() {
        let shutdown = Shutdown::default();
        assert!(!shutdown.is_stopping());
        let waiter = {
            let shutdown = shutdown.clone();
            tokio::spawn(async move { shutdown.wait().await })
        };
        shutdown.begin();
        waiter.await.unwrap();
        assert!(shutdown.is_stopping());
        // Already on: returns at once.
        shutdown.wait().await;
    }
}
