//! Notifications: reminders before reports fall due, and news of the review workflow. They go
//! to an outbox per user, shown in the workspace, and are sent by email when SMTP is
//! configured. Every notification is checked against the recipient's access: nobody is told
//! about a record they may not see, and a reminder counts only the items its recipient sees.

use crate::{App, Ctx, Result};
use liaison_domain::access::{Action, Role, Target, Verdict};
use liaison_domain::calendar::{Phase, Reportable, missing_reports};
use liaison_domain::item::Item;
use liaison_domain::marking::Marking;
use liaison_domain::notification::{Notification, envelope_safe, header_safe, kind};
use liaison_domain::plan::Plan;
use liaison_domain::progress::{ProgressUpdate, Reporter, Step, may_report};
use liaison_domain::{ItemId, NotificationId, Timestamp, UserId};
use liaison_store::{Tx, memberships, notifications as store, users};
use std::collections::HashSet;
use std::time::Duration;

#[allow(clippy::too_many_arguments)]
fn new(app: &App, user: UserId, plan: &Plan, marking: Marking, kind: &str, subject: String, body: String, link: String, dedup: String) -> Notification {
    Notification {
        id: NotificationId(app.new_id()),
        user,
        plan: Some(plan.id),
        marking,
        kind: kind.to_string(),
        subject,
        body,
        link,
        email_state: if app.config.email { "pending".into() } else { "none".into() },
        dedup_key: dedup,
        email_attempts: 0,
        created_at: app.now(),
        read_at: None,
    }
}

/// Whether `user` may read the report `update`, through the recipient's own reader inside the
/// write (an inactive account reads nothing).
async fn recipient_reads(app: &App, tx: &Tx, user: UserId, update: liaison_domain::UpdateId) -> Result<bool> {
    let Some(u) = users::get(&tx.unfiltered(), user).await? else { return Ok(false) };
    if u.status != liaison_domain::user::UserStatus::Active {
        return Ok(false);
    }
    let actor = crate::auth::actor_for(app, u).await?;
    Ok(liaison_store::progress::get(&tx.read(actor.filter()), update).await?.is_some())
}

/// Tell the coordinators of a submitted update, and the reporter of its review.
pub(crate) async fn on_step(app: &App, tx: &Tx, plan: &Plan, item: &Item, u: &ProgressUpdate, step: Step) -> Result<()> {
    let link = format!("/items/{}#progress", item.id);
    let recipients: Vec<UserId> = match step {
        Step::Submit => memberships::of_plan(&tx.unfiltered(), plan.id).await?.into_iter().filter(|m| m.role == Role::Coordinator).map(|m| m.user).collect(),
        _ => vec![u.reporter],
    };
    let (k, subject, body) = match step {
        Step::Submit => (
            kind::UPDATE_SUBMITTED,
            format!("{} {}: progress report for {} submitted", plan.code, item.code, u.period),
            format!("{} submitted a progress report on {} for {}; it waits for your review.", u.reporter_name, item.code, u.period),
        ),
        Step::Return | Step::Reopen => (
            kind::UPDATE_REVIEWED,
            format!("{} {}: progress report for {} returned", plan.code, item.code, u.period),
            format!("Your progress report on {} for {} was returned: {}", item.code, u.period, u.reason.clone().unwrap_or_default()),
        ),
        Step::Approve => (
            kind::UPDATE_REVIEWED,
            format!("{} {}: progress report for {} approved", plan.code, item.code, u.period),
            format!("Your progress report on {} for {} was approved.", item.code, u.period),
        ),
    };
    // The notification carries the marking of what it is about: the report on its item.
    let about = u.marking.join(&item.marking);
    for r in recipients {
        if !recipient_reads(app, tx, r, u.id).await? {
            continue;
        }
        let dedup = format!("step:{}:{}:{}", u.id, u.version, r);
        let n = new(app, r, plan, about.clone(), k, subject.clone(), body.clone(), link.clone(), dedup);
        store::add(tx, &n).await?;
    }
    Ok(())
}

/// Write reminders for every period due within a week or late, to each reporter and partner
/// editor who still owes reports, counting only the items they may see and report on. Safe to
/// run often and from several servers: each reminder is written once per phase.
pub async fn remind(app: &App) -> Result<usize> {
    let today = app.now().date_naive();
    let mut written = 0;
    let mut cursor = None;
    loop {
        let page = liaison_store::plans::list(&app.unfiltered(), None, cursor, 200).await?;
        for plan in &page.items {
            if plan.state.accepts_reports() {
                written += remind_plan(app, plan, today).await?;
            }
        }
        match page.next_cursor.as_deref().and_then(|c| liaison_store::cursor::decode(c, 1)).and_then(|p| uuid::Uuid::try_parse(&p[0]).ok()) {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    Ok(written)
}

async fn remind_plan(app: &App, plan: &Plan, today: chrono::NaiveDate) -> Result<usize> {
    let periods: Vec<_> = crate::calendar::ensure(app, &app.unfiltered(), plan).await?.into_iter().filter(|p| !p.locked && p.remind(today)).collect();
    if periods.is_empty() {
        return Ok(0);
    }
    let members: Vec<_> =
        memberships::of_plan(&app.unfiltered(), plan.id).await?.into_iter().filter(|m| matches!(m.role, Role::Reporter | Role::PartnerEditor)).collect();
    let mut written = 0;
    let tx = app.begin().await?;
    for m in members {
        let Some(user) = users::get(&tx.unfiltered(), m.user).await? else { continue };
        if user.status != liaison_domain::user::UserStatus::Active {
            continue;
        }
        let actor = crate::auth::actor_for(app, user.clone()).await?;
        let Some(subject) = actor.subject() else { continue };
        if actor.decide(Action::PlanRead, Target::Plan { id: plan.id, marking: &plan.marking }) != Verdict::Allow {
            continue;
        }
        // What the recipient may see, read through the recipient's own reader.
        let theirs = tx.read(actor.filter());
        let visible = liaison_store::items::of_plan(&theirs, plan.id).await?;
        let parents: HashSet<ItemId> = visible.iter().filter_map(|i| i.parent).collect();
        let who = Reporter { role: Some(m.role), organisation: subject.organisation };
        let mut mine = Vec::new();
        for i in &visible {
            let chain = crate::reporting::lead_chain(&tx.unfiltered(), i.lead_organisation).await?;
            if may_report(who, &chain) {
                mine.push(Reportable { item: i.id, lead: i.lead_organisation, status: i.status, start: i.start, has_children: parents.contains(&i.id) });
            }
        }
        for p in &periods {
            let updates = liaison_store::progress::of_plan(&tx.unfiltered(), plan.id, Some(&p.key)).await?;
            let reported: HashSet<ItemId> = updates.iter().filter(|u| u.state.reported()).map(|u| u.item).collect();
            let missing: usize = missing_reports(&mine, &reported, p).values().map(Vec::len).sum();
            if missing == 0 {
                continue;
            }
            let late = p.phase(today) == Phase::Overdue;
            let subject_line = if late {
                format!("{}: reports for {} are late ({} outstanding)", plan.code, p.key, missing)
            } else {
                format!("{}: reports for {} are due on {} ({} outstanding)", plan.code, p.key, p.due, missing)
            };
            let body = format!(
                "{missing} item(s) you report on in {} have no submitted report for {} (from {} to {}); reports are due on {}.",
                plan.code, p.key, p.starts, p.ends, p.due
            );
            let dedup = format!("due:{}:{}:{}:{}", plan.id, p.key, user.id, if late { "late" } else { "due" });
            let n = new(
                app,
                user.id,
                plan,
                plan.marking.clone(),
                kind::REPORT_DUE,
                subject_line,
                body,
                format!("/plans/{}/calendar?period={}", plan.id, p.key),
                dedup,
            );
            if store::add(&tx, &n).await? {
                written += 1;
            }
        }
    }
    tx.commit(&Ctx::system("reminders").provenance(app.now())).await?;
    Ok(written)
}

/// The actor's notifications, newest first.
pub async fn mine(app: &App, ctx: &Ctx, limit: u64) -> Result<Vec<Notification>> {
    let Some(user) = ctx.actor.user_id() else { return Ok(Vec::new()) };
    Ok(store::of_user(&app.read(ctx), user, limit).await?)
}

pub async fn unread(app: &App, ctx: &Ctx) -> Result<u64> {
    let Some(user) = ctx.actor.user_id() else { return Ok(0) };
    Ok(store::unread_count(&app.read(ctx), user).await?)
}

/// Mark one notification (or all, with `None`) read. Returns how many changed.
pub async fn mark_read(app: &App, ctx: &Ctx, id: Option<NotificationId>) -> Result<u64> {
    let Some(user) = ctx.actor.user_id() else { return Ok(0) };
    let tx = app.begin().await?;
    let n = store::mark_read(&tx, user, id, app.now()).await?;
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(n)
}

/// Where and how to send email: a plain SMTP relay inside the network (no TLS, no login).
#[derive(Clone, Debug)]
pub struct SmtpSettings {
    /// `host:port`, e.g. `mail.internal:25`.
    pub relay: String,
    pub from: String,
    /// The workspace's address, for links in emails, e.g. `https://liaison.example`.
    pub public_url: String,
    pub timeout: Duration,
}

/// Most attempts to send one email.
pub const MAX_ATTEMPTS: i32 = 5;

/// Send the waiting emails. Returns (sent, failed).
pub async fn send_pending(app: &App, smtp: &SmtpSettings) -> Result<(usize, usize)> {
    // The outbox is system work; each message is sent only if its recipient may still read it.
    let pending = store::pending_email(&app.unfiltered(), MAX_ATTEMPTS, 100).await?;
    let (mut sent, mut failed) = (0, 0);
    for n in pending {
        let recipient = users::get(&app.unfiltered(), n.user).await?;
        let still_theirs = match &recipient {
            Some(u) if u.status == liaison_domain::user::UserStatus::Active => {
                let actor = crate::auth::actor_for(app, u.clone()).await?;
                store::get(&app.read_with(actor.filter()), n.id).await?.is_some()
            }
            _ => false,
        };
        let outcome = match recipient {
            _ if !still_theirs => Err("the recipient may no longer read what it is about".to_string()),
            Some(u) if envelope_safe(&u.email) => {
                let body = format!("{}\n\n{}{}\n", n.body, smtp.public_url.trim_end_matches('/'), n.link);
                smtp_send(smtp, &u.email, &n.subject, &body, app.now()).await
            }
            Some(_) => Err("the address cannot be used in SMTP".to_string()),
            None => Err("no such user".to_string()),
        };
        if outcome.is_ok() {
            sent += 1;
        } else {
            failed += 1;
        }
        if let Err(e) = &outcome {
            tracing::warn!(notification = %n.id, error = %e, "email not sent");
        }
        let tx = app.begin().await?;
        store::email_outcome(&tx, n.id, outcome.err()).await?;
        tx.commit(&Ctx::system("email").provenance(app.now())).await?;
    }
    Ok((sent, failed))
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

async fn smtp_send(s: &SmtpSettings, to: &str, subject: &str, body: &str, at: Timestamp) -> std::result::Result<(), String> {
    if !envelope_safe(&s.from) {
        return Err("the sender address cannot be used in SMTP".into());
    }
    let data = message(&s.from, to, subject, body, at, &hex::encode(rand::random::<[u8; 16]>()));
    tokio::time::timeout(s.timeout, smtp_dialogue(&s.relay, &s.from, to, &data)).await.map_err(|_| "the mail relay did not answer in time".to_string())?
}

async fn smtp_dialogue(relay: &str, from: &str, to: &str, data: &str) -> std::result::Result<(), String> {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let stream = tokio::net::TcpStream::connect(relay).await.map_err(|e| format!("cannot reach the mail relay: {e}"))?;
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    async fn reply(r: &mut BufReader<tokio::net::tcp::OwnedReadHalf>, want: &[u16]) -> std::result::Result<(), String> {
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
    let mut send = async |cmd: String, want: &[u16], r: &mut BufReader<tokio::net::tcp::OwnedReadHalf>| -> std::result::Result<(), String> {
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
