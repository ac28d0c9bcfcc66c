//! A real SMTP server on loopback for the mail tests: the `mailin` crate speaks the protocol
//! (EHLO, MAIL, RCPT, DATA, QUIT, with its replies); this file only accepts connections and
//! keeps what arrives. It can be stopped (listener closed, open connections cut) and started
//! again on the same port to stage an outage.

use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use mailin::{Action, Handler, Response, SessionBuilder};

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    /// The value of the first header called `name` (unfolded).
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or("");
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        let prefix = format!("{}:", name.to_ascii_lowercase());
        unfolded
            .split("\r\n")
            .find(|line| line.to_ascii_lowercase().starts_with(&prefix))
            .map(|line| line[prefix.len()..].trim().to_string())
    }
}

type Inbox = Arc<Mutex<Vec<Received>>>;

/// While on, the server keeps a sender waiting for the reply to the end of its message: a
/// send in flight that a test can hold open (the shutdown test stops an instance mid-send).
#[derive(Default)]
struct Hold {
    /// (held, senders waiting)
    state: Mutex<(bool, usize)>,
    changed: std::sync::Condvar,
}

impl Hold {
    fn wait_while_held(&self) {
        let mut state = self.state.lock().unwrap();
        state.1 += 1;
        while state.0 {
            state = self.changed.wait(state).unwrap();
        }
        state.1 -= 1;
    }

    fn set(&self, held: bool) {
        self.state.lock().unwrap().0 = held;
        self.changed.notify_all();
    }
}

#[derive(Clone)]
struct Collector {
    inbox: Inbox,
    current: Option<Received>,
    hold: Arc<Hold>,
}

impl Handler for Collector {
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some(Received {
            from: from.to_string(),
            to: to.to_vec(),
            data: String::new(),
        });
        mailin::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(current) = &mut self.current {
            current.data.push_str(&String::from_utf8_lossy(buf));
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        self.hold.wait_while_held();
        if let Some(done) = self.current.take() {
            self.inbox.lock().unwrap().push(done);
        }
        mailin::response::OK
    }
}

pub struct SmtpServer {
    pub port: u16,
    inbox: Inbox,
    hold: Arc<Hold>,
    running: Option<Running>,
}

struct Running {
    stop: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<TcpStream>>>,
    thread: JoinHandle<()>,
}

impl SmtpServer {
    /// Starts on a free loopback port.
    pub fn start() -> SmtpServer {
        let mut server = SmtpServer::down();
        server.start_again();
        server
    }

    /// Reserves a port with nothing listening on it yet: the relay is down.
    pub fn down() -> SmtpServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        SmtpServer {
            port,
            inbox: Inbox::default(),
            hold: Arc::default(),
            running: None,
        }
    }

    /// Listens again on the same port, keeping what was received before.
    pub fn start_again(&mut self) {
        assert!(self.running.is_none(), "already running");
        let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("bind SMTP port");
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(Mutex::new(Vec::new()));
        let (inbox, stopping, open) = (self.inbox.clone(), stop.clone(), connections.clone());
        let hold = self.hold.clone();
        let thread = std::thread::spawn(move || {
            while !stopping.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, peer)) => {
                        stream.set_nonblocking(false).unwrap();
                        open.lock().unwrap().push(stream.try_clone().unwrap());
                        let handler = Collector {
                            inbox: inbox.clone(),
                            current: None,
                            hold: hold.clone(),
                        };
                        std::thread::spawn(move || serve(stream, peer.ip(), handler));
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Err(_) => break,
                }
            }
        });
        self.running = Some(Running {
            stop,
            connections,
            thread,
        });
    }

    /// Stops listening and cuts every open connection: the relay is down.
    pub fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop.store(true, Ordering::SeqCst);
            running.thread.join().unwrap();
            for stream in running.connections.lock().unwrap().drain(..) {
                let _ = stream.shutdown(Shutdown::Both);
            }
        }
    }

    /// From now on, each message's sender waits for its reply until [`SmtpServer::release`].
    pub fn hold(&self) {
        self.hold.set(true);
    }

    /// Replies to the held messages and stops holding.
    pub fn release(&self) {
        self.hold.set(false);
    }

    /// How many senders are waiting for a reply to a held message.
    pub fn held(&self) -> usize {
        self.hold.state.lock().unwrap().1
    }

    pub fn received(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().clone()
    }

    /// Points the app's mail settings at this server (plain SMTP on loopback).
    pub fn configure(&self, settings: &mut redress::config::Settings) {
        settings.mail.transport = "smtp".into();
        settings.mail.smtp_host = "127.0.0.1".into();
        settings.mail.smtp_port = self.port;
        settings.mail.smtp_security = "none".into();
        settings.mail.smtp_timeout_seconds = 5;
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.release();
        self.stop();
    }
}

fn serve(stream: TcpStream, peer: IpAddr, handler: Collector) {
    let mut session = SessionBuilder::new("redress-test-smtp").build(peer, handler);
    let mut writer = match stream.try_clone() {
        Ok(w) => w,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    if session.greeting().write_to(&mut writer).is_err() {
        return;
    }
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let response = session.process(&line);
        match response.action {
            Action::Reply => {
                if response.write_to(&mut writer).is_err() || writer.flush().is_err() {
                    return;
                }
            }
            Action::Close | Action::UpgradeTls => {
                let _ = response.write_to(&mut writer);
                return;
            }
            Action::NoReply => {}
        }
    }
}
