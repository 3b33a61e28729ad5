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

/// Most attempts to send one email.
pub const MAX_ATTEMPTS: i32 = 5;

/// How many emails wait in the outbox (pending, or failed and to be tried again).
pub async fn outbox_depth(app: &App) -> Result<u64> {
    // A count for operators, of no one's records: system work.
    Ok(store::pending_email_count(&app.unfiltered(), MAX_ATTEMPTS).await?)
}

/// Send the waiting emails through the app's mailer (none configured: nothing to do). Each is
/// sent only if its recipient may still read what it is about; the outcome is recorded, and a
/// failed one is tried again up to [`MAX_ATTEMPTS`] times. Returns (sent, failed).
pub async fn send_pending(app: &App) -> Result<(usize, usize)> {
    let Some(mailer) = app.mailer.clone() else { return Ok((0, 0)) };
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
            Some(u) if envelope_safe(&u.email) => match email_of(app, &n, u.email) {
                Ok(email) => mailer.send(&email).await,
                Err(e) => Err(e),
            },
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

/// The email of a notification to `to` (checked by the caller): from the installation's sender,
/// the subject on one line, the body ending in the absolute link.
fn email_of(app: &App, n: &Notification, to: String) -> std::result::Result<Email, String> {
    let from = &app.config.mail_from;
    if !envelope_safe(from) {
        return Err("the sender address cannot be used in SMTP".into());
    }
    let body = format!("{}\n\n{}{}\n", n.body, app.config.public_url.trim_end_matches('/'), n.link);
    Ok(Email { from: from.clone(), to, subject: header_safe(&n.subject), body, date: app.now() })
}
