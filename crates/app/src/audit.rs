//! The audit trail: listing it (security officers) and verifying its hash chain.

use crate::{App, Ctx, Paging, Result};
use liaison_domain::access::{Action, Target};
use liaison_domain::change::{AuditParams, AuditQuery, ChainFault, ChainVerifier, Change};
use liaison_domain::page::Page;
use liaison_store::changes;

/// Record that a person took an export (a report, an IATI file …): an `export` row with what
/// it held (`after`), marked like the export.
pub(crate) async fn record_export(app: &App, ctx: &Ctx, after: serde_json::Value, marking: &liaison_domain::marking::Marking) -> Result<()> {
    let tx = app.begin().await?;
    tx.record(liaison_domain::change::ChangeDraft {
        entity: "export",
        entity_id: app.new_id(),
        plan: None,
        version: 1,
        action: "export",
        before: None,
        after: Some(after),
        marking: Some(marking.clone()),
    });
    tx.commit(&ctx.provenance(app.now())).await?;
    Ok(())
}

pub async fn list(app: &App, ctx: &Ctx, q: &AuditQuery, paging: &Paging) -> Result<Page<Change>> {
    ctx.actor.require(Action::AuditRead, Target::Installation)?;
    Ok(changes::audit(&app.read(ctx), q, paging.cursor_seq()?, paging.limit()?).await?)
}

/// The audit list for filters as asked (query parameters): who may read the trail is checked
/// before what they asked for.
pub async fn search(app: &App, ctx: &Ctx, params: &AuditParams, paging: &Paging) -> Result<Page<Change>> {
    ctx.actor.require(Action::AuditRead, Target::Installation)?;
    let q = AuditQuery::parse(params)?;
    list(app, ctx, &q, paging).await
}

/// The sequence number of the latest change: equal answers mean nothing was written in between.
pub async fn head(app: &App, ctx: &Ctx) -> Result<i64> {
    ctx.actor.require(Action::AuditRead, Target::Installation)?;
    Ok(changes::head(&app.read(ctx)).await?.0)
}

/// The outcome of a verification.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verification {
    /// Rows checked.
    pub rows: i64,
    /// The recorded head (last sequence number).
    pub head_seq: i64,
    /// The first fault, if any.
    pub fault: Option<String>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.fault.is_none()
    }
}

/// Walk the whole chain in order; report the first edited, deleted, inserted or reordered row,
/// and a tail cut off after the recorded head. `progress` is called after each batch.
pub async fn verify(app: &App, mut progress: impl FnMut(i64, i64)) -> Result<Verification> {
    // The verifier must see every row: system work.
    let c = &app.unfiltered();
    let (head_seq, head_hash) = changes::head(c).await?;
    let mut v = ChainVerifier::default();
    let mut after = 0;
    loop {
        let rows = changes::in_order(c, after, 2000).await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            if let Err(f) = v.check(r) {
                return Ok(Verification { rows: v.count(), head_seq, fault: Some(f.to_string()) });
            }
        }
        after = rows.last().map(|r| r.seq).unwrap_or(after);
        progress(v.count(), head_seq);
    }
    let fault = if v.count() != head_seq || v.last_hash() != head_hash {
        let f = if v.count() < head_seq {
            ChainFault::Broken { seq: v.count() + 1, expected_seq: v.count() + 1 }.to_string()
                + &format!(" (the recorded head is change #{head_seq}: rows at the end were deleted)")
        } else {
            format!("the chain ends at change #{} but the recorded head is #{head_seq}", v.count())
        };
        Some(f)
    } else {
        None
    };
    Ok(Verification { rows: v.count(), head_seq, fault })
}
