//! Email through a plain SMTP relay inside the network (no TLS, no login), spoken over a TCP
//! socket: `EHLO`, `MAIL FROM`, `RCPT TO`, `DATA`, `QUIT`.

use liaison_domain::Timestamp;
use liaison_domain::notification::{envelope_safe, header_safe};
use liaison_domain::ports::{Email, Mailer, PortFuture};
use std::time::Duration;

/// Where the relay is and how long a message may take.
#[derive(Clone, Debug)]
pub struct SmtpSettings {
    /// `host:port`, e.g. `mail.internal:25`.
    pub relay: String,
    /// For the whole dialogue of one message.
    pub timeout: Duration,
}

/// Sends each message in a connection of its own to the relay of its [`SmtpSettings`].
#[derive(Clone, Debug)]
pub struct SmtpMailer {
    settings: SmtpSettings,
}

impl SmtpMailer {
    pub fn new(settings: SmtpSettings) -> SmtpMailer {
        SmtpMailer { settings }
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, email: &'a Email) -> PortFuture<'a, Result<(), String>> {
        Box::pin(smtp_send(&self.settings, email))
    }
}

/// A subject as an RFC 2047 encoded word when it is not plain ASCII.
fn encode_header(s: &str) -> String {
    let s = header_safe(s);
    if s.is_ascii() {
        s
    } else {
        use base64::Engine;
        format!("=?UTF-8?B?{}?=", base64::engine::general_purpose::STANDARD.encode(s.as_bytes()))
    }
}

/// The message as sent after DATA: CRLF line ends, leading dots doubled, ending in `.`.
pub fn message(from: &str, to: &str, subject: &str, body: &str, at: Timestamp, id: &str) -> String {
    let mut m = format!(
        "From: Liaison <{from}>\r\nTo: <{to}>\r\nSubject: {}\r\nDate: {}\r\nMessage-ID: <{id}@liaison>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
        encode_header(subject),
        at.to_rfc2822()
    );
    for line in body.replace("\r\n", "\n").split('\n') {
        if line.starts_with('.') {
            m.push('.');
        }
        m.push_str(line);
        m.push_str("\r\n");
    }
    m.push_str(".\r\n");
    m
}

async fn smtp_send(s: &SmtpSettings, email: &Email) -> Result<(), String> {
    // The use cases check the addresses already; a stored address still never reaches the
    // envelope unchecked.
    if !envelope_safe(&email.from) {
        return Err("the sender address cannot be used in SMTP".into());
    }
    if !envelope_safe(&email.to) {
        return Err("the address cannot be used in SMTP".into());
    }
    let data = message(&email.from, &email.to, &email.subject, &email.body, email.date, &hex::encode(rand::random::<[u8; 16]>()));
    tokio::time::timeout(s.timeout, smtp_dialogue(&s.relay, &email.from, &email.to, &data))
        .await
        .map_err(|_| "the mail relay did not answer in time".to_string())?
}

async fn smtp_dialogue(relay: &str, from: &str, to: &str, data: &str) -> Result<(), String> {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let stream = tokio::net::TcpStream::connect(relay).await.map_err(|e| format!("cannot reach the mail relay: {e}"))?;
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    async fn reply(r: &mut BufReader<tokio::net::tcp::OwnedReadHalf>, want: &[u16]) -> Result<(), String> {
        loop {
            let mut line = String::new();
            let n = r.read_line(&mut line).await.map_err(|e| format!("mail relay: {e}"))?;
            if n == 0 {
                return Err("the mail relay closed the connection".into());
            }
            let code: u16 = line.get(..3).and_then(|c| c.parse().ok()).ok_or_else(|| "the mail relay answered nonsense".to_string())?;
            if line.as_bytes().get(3) == Some(&b'-') {
                continue;
            }
            return if want.contains(&code) { Ok(()) } else { Err(format!("the mail relay refused: {}", line.trim_end())) };
        }
    }
    let mut send = async |cmd: String, want: &[u16], r: &mut BufReader<tokio::net::tcp::OwnedReadHalf>| -> Result<(), String> {
        w.write_all(cmd.as_bytes()).await.map_err(|e| format!("mail relay: {e}"))?;
        reply(r, want).await
    };
    reply(&mut r, &[220]).await?;
    send("EHLO liaison\r\n".into(), &[250], &mut r).await?;
    send(format!("MAIL FROM:<{from}>\r\n"), &[250], &mut r).await?;
    send(format!("RCPT TO:<{to}>\r\n"), &[250, 251], &mut r).await?;
    send("DATA\r\n".into(), &[354], &mut r).await?;
    send(data.to_string(), &[250], &mut r).await?;
    let _ = send("QUIT\r\n".into(), &[221], &mut r).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_dot_stuffed_and_headers_cannot_inject() {
        let at = chrono::Utc::now();
        let msg = message("a@b.c", "d@e.f", "Izveštaj — rok", "line one\n.hidden dot\nend", at, "x");
        assert!(msg.contains("\r\n..hidden dot\r\n"), "leading dots are doubled");
        assert!(msg.contains("Subject: =?UTF-8?B?"), "non-ASCII subjects are encoded");
        assert!(msg.ends_with("\r\n.\r\n"));
        let msg = message("a@b.c", "d@e.f", "Due\r\nBcc: x@y", "body", at, "x");
        assert!(msg.contains("Subject: Due  Bcc: x@y\r\n"), "{msg}");
    }

    #[tokio::test]
    async fn unsafe_addresses_never_reach_the_relay() {
        // No relay listens on port 9: a message that got as far as connecting would fail differently.
        let mailer = SmtpMailer::new(SmtpSettings { relay: "127.0.0.1:9".into(), timeout: Duration::from_secs(5) });
        let email = |from: &str, to: &str| Email { from: from.into(), to: to.into(), subject: "s".into(), body: "b".into(), date: chrono::Utc::now() };
        assert_eq!(mailer.send(&email("a@b.c>\r\nRCPT TO:<x@y", "d@e.f")).await, Err("the sender address cannot be used in SMTP".to_string()));
        assert_eq!(mailer.send(&email("a@b.c", "d@e.f>\r\nDATA")).await, Err("the address cannot be used in SMTP".to_string()));
    }
}
