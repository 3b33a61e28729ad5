//! Notifications: reminders before reports fall due, and news of the review workflow. They go
//! to an outbox per user, shown in the workspace, and are sent by email through the mailer
//! port when one is configured. Every notification is checked against the recipient's access:
//! nobody is told about a record they may not see, and a reminder counts only the items its
//! recipient sees.

use crate::{App, Ctx, Result};
use liaison_domain::access::{Action, Role, Target, Verdict};
use liaison_domain::calendar::{Phase, Reportable, missing_reports};
use liaison_domain::item::Item;
use liaison_domain::marking::Marking;
use liaison_domain::notification::{Notification, envelope_safe, header_safe, kind};
use liaison_domain::plan::Plan;
use liaison_domain::ports::Email;
use liaison_domain::progress::{ProgressUpdate, Reporter, Step, may_report};
use liaison_domain::user::User;
use liaison_domain::{ItemId, NotificationId, UserId};
use liaison_i18n::Tr;
use liaison_store::{Tx, memberships, notifications as store, users};
use std::collections::HashSet;

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

/// The recipient `user`, if they may read the report `update`, through their own reader inside
/// the write (an inactive account reads nothing).
async fn recipient_reading(app: &App, tx: &Tx, user: UserId, update: liaison_domain::UpdateId) -> Result<Option<User>> {
    let Some(u) = users::get(&tx.unfiltered(), user).await? else { return Ok(None) };
    if u.status != liaison_domain::user::UserStatus::Active {
        return Ok(None);
    }
    let actor = crate::auth::actor_for(app, u.clone()).await?;
    Ok(liaison_store::progress::get(&tx.read(actor.filter()), update).await?.is_some().then_some(u))
}

/// Tell the coordinators of a submitted update, and the reporter of its review, each in their
/// own language.
pub(crate) async fn on_step(app: &App, tx: &Tx, plan: &Plan, item: &Item, u: &ProgressUpdate, step: Step) -> Result<()> {
    let link = format!("/items/{}#progress", item.id);
    let recipients: Vec<UserId> = match step {
        Step::Submit => memberships::of_plan(&tx.unfiltered(), plan.id).await?.into_iter().filter(|m| m.role == Role::Coordinator).map(|m| m.user).collect(),
        _ => vec![u.reporter],
    };
    let (k, message) = match step {
        Step::Submit => (kind::UPDATE_SUBMITTED, "notification-report-submitted"),
        Step::Return | Step::Reopen => (kind::UPDATE_REVIEWED, "notification-report-returned"),
        Step::Approve => (kind::UPDATE_REVIEWED, "notification-report-approved"),
    };
    let reason = u.reason.clone().unwrap_or_default();
    let args = [
        ("plan", plan.code.as_str()),
        ("item", item.code.as_str()),
        ("period", u.period.as_str()),
        ("reporter", u.reporter_name.as_str()),
        ("reason", reason.as_str()),
    ];
    // The notification carries the marking of what it is about: the report on its item.
    let about = u.marking.join(&item.marking);
    for r in recipients {
        let Some(recipient) = recipient_reading(app, tx, r, u.id).await? else { continue };
        let tr = Tr { lang: recipient.language };
        let subject = tr.with(&format!("{message}-subject"), &args);
        let body = tr.with(&format!("{message}-body"), &args);
        let dedup = format!("step:{}:{}:{}", u.id, u.version, r);
        let n = new(app, r, plan, about.clone(), k, subject, body, link.clone(), dedup);
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
            let tr = Tr { lang: user.language };
            let (starts, ends, due) = (p.starts.to_string(), p.ends.to_string(), p.due.to_string());
            let args = [("plan", plan.code.as_str()), ("period", p.key.as_str()), ("starts", &starts), ("ends", &ends), ("due", &due)];
            let message = if late { "notification-reports-late" } else { "notification-reports-due" };
            let count = i64::try_from(missing).unwrap_or(i64::MAX);
            let subject_line = tr.with_count(&format!("{message}-subject"), count, &args);
            let body = tr.with_count(&format!("{message}-body"), count, &args);
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

/// Most attempts to send one email: with the backoff of [`retry_delay`], about a day and a half
/// of a mail server that is down. The email stays in the inbox either way.
pub const MAX_ATTEMPTS: i32 = 40;

/// How long a server holds an email it is sending before another may try it.
const CLAIM_SECONDS: i64 = 600;

/// How long to wait after the `attempts`-th failure: a minute, doubling, at most an hour.
pub fn retry_delay(attempts: i32) -> chrono::TimeDelta {
    let doublings = u32::try_from(attempts.saturating_sub(1)).unwrap_or(0).min(6);
    chrono::TimeDelta::seconds((60i64 << doublings).min(3600))
}

/// How many emails wait in the outbox (pending, or failed and to be tried again).
pub async fn outbox_depth(app: &App) -> Result<u64> {
    // A count for operators, of no one's records: system work.
    Ok(store::pending_email_count(&app.unfiltered(), MAX_ATTEMPTS).await?)
}

/// Whether a person gets one email a day instead of one per notification.
pub async fn digest(app: &App, ctx: &Ctx) -> Result<bool> {
    let user = ctx.actor.user_id().ok_or(crate::AppError::Unauthenticated)?;
    Ok(users::mail_digest(&app.unfiltered(), user).await?.0)
}

/// Choose one email a day (a digest of the notifications) or one email per notification.
pub async fn set_digest(app: &App, ctx: &Ctx, on: bool) -> Result<()> {
    let user = ctx.actor.user().ok_or(crate::AppError::Unauthenticated)?;
    let tx = app.begin().await?;
    users::set_mail_digest(&tx, user.id, on).await?;
    tx.record(liaison_domain::change::ChangeDraft::unmarked(
        "user",
        user.id.uuid(),
        user.version,
        "mail_preference",
        None,
        Some(serde_json::json!({"digest": on})),
    ));
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(())
}

/// Whether the recipient of `n` may still read what it is about (an inactive account reads
/// nothing); their account if so.
async fn still_theirs(app: &App, n: &Notification) -> Result<Option<User>> {
    match users::get(&app.unfiltered(), n.user).await? {
        Some(u) if u.status == liaison_domain::user::UserStatus::Active => {
            let actor = crate::auth::actor_for(app, u.clone()).await?;
            Ok(store::get(&app.read_with(actor.filter()), n.id).await?.is_some().then_some(u))
        }
        _ => Ok(None),
    }
}

/// Send the waiting emails through the app's mailer (none configured: nothing to do): those due
/// now, each claimed first so that of several servers one sends it. Each is sent only if its
/// recipient may still read what it is about; a failed one is tried again after a growing
/// while ([`retry_delay`]), up to [`MAX_ATTEMPTS`] times. People who chose the daily digest get
/// one email listing theirs, at most once a day. Returns (sent, failed) notifications.
pub async fn send_pending(app: &App) -> Result<(usize, usize)> {
    let Some(mailer) = app.mailer.clone() else { return Ok((0, 0)) };
    let now = app.now();
    // The outbox is system work; each message is sent only if its recipient may still read it.
    let pending = store::pending_email(&app.unfiltered(), MAX_ATTEMPTS, now, 200).await?;
    let (mut sent, mut failed) = (0, 0);
    let mut digests: std::collections::BTreeMap<UserId, Vec<Notification>> = Default::default();
    for n in pending {
        let (digest, last) = users::mail_digest(&app.unfiltered(), n.user).await?;
        if digest {
            // Once a day: the first run a day after the last digest takes everything waiting.
            if last.is_none_or(|l| now - l >= chrono::TimeDelta::hours(24)) {
                digests.entry(n.user).or_default().push(n);
            }
            continue;
        }
        if !claim(app, &n, now).await? {
            continue;
        }
        let outcome = match still_theirs(app, &n).await? {
            None => Err("the recipient may no longer read what it is about".to_string()),
            Some(u) if envelope_safe(&u.email) => match email_of(app, &u, std::slice::from_ref(&n)) {
                Ok(email) => mailer.send(&email).await,
                Err(e) => Err(e),
            },
            Some(_) => Err("the address cannot be used in SMTP".to_string()),
        };
        if outcome.is_ok() {
            sent += 1
        } else {
            failed += 1
        }
        record(app, &n, outcome.err(), now).await?;
    }
    for (user, ns) in digests {
        let mut mine = Vec::new();
        let mut recipient = None;
        for n in ns {
            if !claim(app, &n, now).await? {
                continue;
            }
            match still_theirs(app, &n).await? {
                Some(u) => {
                    recipient = Some(u);
                    mine.push(n);
                }
                None => {
                    failed += 1;
                    record(app, &n, Some("the recipient may no longer read what it is about".into()), now).await?;
                }
            }
        }
        let Some(u) = recipient else { continue };
        let outcome = if envelope_safe(&u.email) { email_of(app, &u, &mine) } else { Err("the address cannot be used in SMTP".to_string()) };
        let outcome = match outcome {
            Ok(email) => mailer.send(&email).await,
            Err(e) => Err(e),
        };
        if outcome.is_ok() {
            sent += mine.len();
            let tx = app.begin().await?;
            users::mail_digest_sent(&tx, user, now).await?;
            tx.commit(&Ctx::system("email").provenance(now)).await?;
        } else {
            failed += mine.len();
        }
        for n in &mine {
            record(app, n, outcome.clone().err(), now).await?;
        }
    }
    Ok((sent, failed))
}

async fn claim(app: &App, n: &Notification, now: chrono::DateTime<chrono::Utc>) -> Result<bool> {
    let tx = app.begin().await?;
    let mine = store::claim_email(&tx, n.id, now, now + chrono::TimeDelta::seconds(CLAIM_SECONDS)).await?;
    tx.commit(&Ctx::system("email").provenance(now)).await?;
    Ok(mine)
}

async fn record(app: &App, n: &Notification, error: Option<String>, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
    if let Some(e) = &error {
        tracing::warn!(notification = %n.id, error = %e, attempt = n.email_attempts + 1, "email not sent");
    }
    let retry_at = error.as_ref().map(|_| now + retry_delay(n.email_attempts + 1));
    let tx = app.begin().await?;
    store::email_outcome(&tx, n.id, error, retry_at).await?;
    tx.commit(&Ctx::system("email").provenance(now)).await?;
    Ok(())
}

/// The email to `to` (checked by the caller) of one notification, or of several as a digest:
/// from the installation's sender, in the recipient's language, the subject on one line, each
/// notification's text and absolute link, as plain text and as HTML.
fn email_of(app: &App, to: &User, ns: &[Notification]) -> std::result::Result<Email, String> {
    let from = &app.config.mail_from;
    if !envelope_safe(from) {
        return Err("the sender address cannot be used in SMTP".into());
    }
    let base = app.config.public_url.trim_end_matches('/');
    let tr = Tr { lang: to.language };
    let (subject, intro) = match ns {
        [one] => (one.subject.clone(), None),
        _ => (tr.count("email-digest-subject", i64::try_from(ns.len()).unwrap_or(i64::MAX)), Some(tr.get("email-digest-intro"))),
    };
    let mut body = String::new();
    let mut html =
        format!("<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head><body>\n", to.language.tag(), escape(&subject));
    if let Some(i) = &intro {
        body.push_str(&format!("{i}\n\n"));
        html.push_str(&format!("<p>{}</p>\n", escape(i)));
    }
    for n in ns {
        let link = format!("{base}{}", n.link);
        if intro.is_some() {
            body.push_str(&format!("* {}\n", n.subject));
            html.push_str(&format!("<h2>{}</h2>\n", escape(&n.subject)));
        }
        body.push_str(&format!("{}\n\n{link}\n\n", n.body));
        for para in n.body.split("\n\n") {
            html.push_str(&format!("<p>{}</p>\n", escape(para).replace('\n', "<br>")));
        }
        html.push_str(&format!("<p><a href=\"{}\">{}</a></p>\n", escape(&link), escape(&link)));
    }
    html.push_str(&format!("<hr><p><small>{}</small></p>\n</body></html>\n", escape(&tr.get("email-footer"))));
    Ok(Email { from: from.clone(), to: to.email.clone(), subject: header_safe(&subject), body: body.trim_end().to_string() + "\n", html, date: app.now() })
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}
