//! Email through a submission server or relay, with `lettre`: STARTTLS (port 587), implicit TLS
//! (port 465) or, inside a closed network, plain SMTP; a login (AUTH PLAIN or LOGIN) when the
//! server asks for one; certificates checked against the system's roots and, where the
//! organisation runs its own, a private CA. Each message has a plain-text and an HTML part.

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use liaison_domain::notification::{envelope_safe, header_safe};
use liaison_domain::ports::{Email, Mailer, PortFuture};
use std::time::Duration;

/// How the connection to the mail server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain SMTP, then `STARTTLS` before anything else (refused if the server does not offer it).
    StartTls,
    /// TLS from the first byte (SMTPS).
    Tls,
    /// No TLS at all: only for a relay inside the network.
    None,
}

impl SmtpSecurity {
    pub fn parse(s: &str) -> Option<SmtpSecurity> {
        match s {
            "starttls" => Some(SmtpSecurity::StartTls),
            "tls" => Some(SmtpSecurity::Tls),
            "none" => Some(SmtpSecurity::None),
            _ => None,
        }
    }

    /// The usual port: 587 (submission), 465 (submissions) or 25.
    pub fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::StartTls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        }
    }
}

/// Where the mail server is, how to reach it, and how long a message may take.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// User name and password, when the server asks for a login.
    pub login: Option<(String, String)>,
    /// PEM certificates of a private CA to trust besides the system's roots.
    pub ca_pem: Option<Vec<u8>>,
    /// For the whole dialogue of one message.
    pub timeout: Duration,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.login.as_ref().map(|(u, _)| u))
            .field("ca_pem", &self.ca_pem.is_some())
            .finish_non_exhaustive()
    }
}

/// Sends each message in a connection of its own to the server of its [`SmtpSettings`].
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    timeout: Duration,
}

impl SmtpMailer {
    /// The mailer, or why the settings cannot be used (a private CA file that holds no
    /// certificate, say).
    pub fn new(s: SmtpSettings) -> Result<SmtpMailer, String> {
        let tls = |host: &str| -> Result<TlsParameters, String> {
            let mut b = TlsParameters::builder(host.to_string());
            if let Some(pem) = &s.ca_pem {
                let certs = split_pem(pem);
                if certs.is_empty() {
                    return Err("the private CA file holds no PEM certificate".into());
                }
                for c in certs {
                    b = b.add_root_certificate(Certificate::from_pem(c.as_bytes()).map_err(|e| format!("the private CA file: {e}"))?);
                }
            }
            b.build_rustls().map_err(|e| format!("TLS settings: {e}"))
        };
        let security = match s.security {
            SmtpSecurity::StartTls => Tls::Required(tls(&s.host)?),
            SmtpSecurity::Tls => Tls::Wrapper(tls(&s.host)?),
            SmtpSecurity::None => Tls::None,
        };
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(s.host.clone()).port(s.port).tls(security).timeout(Some(s.timeout));
        if let Some((user, password)) = &s.login {
            b = b.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(SmtpMailer { transport: b.build(), timeout: s.timeout })
    }
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmtpMailer(…)")
    }
}

/// The certificates of a PEM file, each with its armour.
fn split_pem(pem: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(pem);
    let mut out = Vec::new();
    let mut rest = text.as_ref();
    while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
        let Some(len) = rest[start..].find("-----END CERTIFICATE-----") else { break };
        let end = start + len + "-----END CERTIFICATE-----".len();
        out.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    out
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, email: &'a Email) -> PortFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let m = message(email)?;
            match tokio::time::timeout(self.timeout + Duration::from_secs(5), self.transport.send(m)).await {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(e)) => Err(explain(&e)),
                Err(_) => Err("the mail server did not answer in time".into()),
            }
        })
    }
}

/// What went wrong, in a sentence for the outbox (never the password).
fn explain(e: &lettre::transport::smtp::Error) -> String {
    if let Some(code) = e.status() {
        let what = if code.to_string().starts_with("535") || code.to_string().starts_with("534") { "refused the login" } else { "refused the message" };
        return format!("the mail server {what}: {e}");
    }
    if e.is_tls() {
        return format!("TLS with the mail server failed (is its certificate trusted?): {e}");
    }
    format!("cannot send through the mail server: {e}")
}

/// The message: from the installation, to one recipient, the subject on one line, a
/// plain-text and an HTML part. Addresses that could carry SMTP commands are refused.
pub fn message(email: &Email) -> Result<Message, String> {
    // The use cases check the addresses already; a stored address still never reaches the
    // envelope unchecked.
    if !envelope_safe(&email.from) {
        return Err("the sender address cannot be used in SMTP".into());
    }
    if !envelope_safe(&email.to) {
        return Err("the address cannot be used in SMTP".into());
    }
    let from: Mailbox = format!("Liaison <{}>", email.from).parse().map_err(|_| "the sender address cannot be used in SMTP".to_string())?;
    let to: Mailbox = email.to.parse().map_err(|_| "the address cannot be used in SMTP".to_string())?;
    let body = MultiPart::alternative_plain_html(email.body.clone(), email.html.clone());
    Message::builder()
        .from(from)
        .to(to)
        .subject(header_safe(&email.subject))
        .date(std::time::SystemTime::from(email.date))
        .multipart(body)
        .map_err(|e| format!("the message could not be written: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(from: &str, to: &str, subject: &str) -> Email {
        Email {
            from: from.into(),
            to: to.into(),
            subject: subject.into(),
            body: "line one\n.hidden dot\nend".into(),
            html: "<p>line one</p>".into(),
            date: chrono::Utc::now(),
        }
    }

    #[test]
    fn messages_have_both_parts_and_headers_cannot_inject() {
        let m = String::from_utf8(message(&email("a@b.c", "d@e.f", "Извештај — рок")).unwrap().formatted()).unwrap();
        assert!(m.contains("Subject: =?utf-8?"), "non-ASCII subjects are encoded: {m}");
        assert!(m.contains("multipart/alternative"), "{m}");
        assert!(m.contains("text/plain") && m.contains("text/html"), "{m}");
        let m = String::from_utf8(message(&email("a@b.c", "d@e.f", "Due\r\nBcc: x@y")).unwrap().formatted()).unwrap();
        assert!(!m.contains("\r\nBcc:"), "{m}");
    }

    #[tokio::test]
    async fn unsafe_addresses_never_reach_the_server() {
        // No server listens on port 9: a message that got as far as connecting would fail differently.
        let s = SmtpSettings { host: "127.0.0.1".into(), port: 9, security: SmtpSecurity::None, login: None, ca_pem: None, timeout: Duration::from_secs(5) };
        let mailer = SmtpMailer::new(s).unwrap();
        assert_eq!(mailer.send(&email("a@b.c>\r\nRCPT TO:<x@y", "d@e.f", "s")).await, Err("the sender address cannot be used in SMTP".to_string()));
        assert_eq!(mailer.send(&email("a@b.c", "d@e.f>\r\nDATA", "s")).await, Err("the address cannot be used in SMTP".to_string()));
        let down = mailer.send(&email("a@b.c", "d@e.f", "s")).await.unwrap_err();
        assert!(down.starts_with("cannot send through the mail server"), "{down}");
    }

    #[test]
    fn a_private_ca_file_must_hold_a_certificate_and_passwords_stay_out_of_debug() {
        let s = SmtpSettings {
            host: "mail.example".into(),
            port: 587,
            security: SmtpSecurity::StartTls,
            login: Some(("liaison".into(), "s3cret-pass".into())),
            ca_pem: Some(b"not a certificate".to_vec()),
            timeout: Duration::from_secs(5),
        };
        assert!(!format!("{s:?}").contains("s3cret-pass"));
        assert_eq!(SmtpMailer::new(s).unwrap_err(), "the private CA file holds no PEM certificate");
    }
}
