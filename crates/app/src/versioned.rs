//! The one way a versioned record is saved after an edit: the next version number and time,
//! the write (refused by the store if someone saved another version meanwhile), and the Change
//! row from the old version to the new, marked like the record. Every use case that changes a
//! record ends with [`save`] (or [`save_as`], when the change has its own action name).
//! What the use cases do before it — read inside the transaction, check the version, check
//! the rules — differs per record; what they do here must not.

use crate::{Result, snapshot};
use liaison_domain::PlanId;
use liaison_domain::Timestamp;
use liaison_domain::change::ChangeDraft;
use liaison_domain::marking::Marking;
use liaison_store::Tx;
use std::future::Future;
use uuid::Uuid;

/// A record edited by version.
pub(crate) trait Versioned: serde::Serialize + Sync {
    /// The entity name of its Change rows, e.g. `item`.
    const KIND: &'static str;
    fn uuid(&self) -> Uuid;
    fn version(&self) -> i64;
    /// The plan it belongs to (for plan-scoped Change rows), if any.
    fn plan(&self) -> Option<PlanId>;
    /// Its marking, if it is marked (its Change rows are then marked alike).
    fn marking(&self) -> Option<&Marking>;
    fn set_version(&mut self, version: i64, at: Timestamp);
    /// Write this version in place of version `expected`.
    fn write<'a>(tx: &'a Tx, v: &'a Self, expected: i64) -> impl Future<Output = liaison_store::Result<()>> + Send + 'a;
}

/// Give `next` the version number and time after `cur` and write it in place of `cur` (the
/// store refuses if another version was saved meanwhile). For changes whose Change row is
/// their own (a transition, a photo); the others use [`save`].
pub(crate) async fn write_next<T: Versioned>(tx: &Tx, now: Timestamp, cur: &T, next: &mut T) -> Result<()> {
    next.set_version(cur.version() + 1, now);
    T::write(tx, next, cur.version()).await?;
    Ok(())
}

/// Save `next` as the version after `cur`, with an `update` Change row marked like the record
/// (or unmarked, for records without a marking). The caller commits, after any further rows
/// of the same change.
pub(crate) async fn save<T: Versioned>(tx: &Tx, now: Timestamp, cur: &T, next: &mut T) -> Result<()> {
    save_as(tx, now, "update", cur, next).await
}

/// [`save`] with the Change row's action named, e.g. `finalise` or `move`.
pub(crate) async fn save_as<T: Versioned>(tx: &Tx, now: Timestamp, action: &'static str, cur: &T, next: &mut T) -> Result<()> {
    write_next(tx, now, cur, next).await?;
    let row = match (cur.marking(), next.marking()) {
        (Some(before), Some(after)) => {
            ChangeDraft::marked(T::KIND, next.uuid(), next.plan(), next.version(), action, Some((before, snapshot(cur))), Some((after, snapshot(next))))
        }
        _ => ChangeDraft::unmarked(T::KIND, next.uuid(), next.version(), action, Some(snapshot(cur)), Some(snapshot(next))),
    };
    tx.record(row);
    Ok(())
}

/// [`save_as`] for a record without a marking of its own, whose Change row carries the
/// marking of what it belongs to (an indicator: its item's).
pub(crate) async fn save_under<T: Versioned>(tx: &Tx, now: Timestamp, action: &'static str, marking: &Marking, cur: &T, next: &mut T) -> Result<()> {
    write_next(tx, now, cur, next).await?;
    tx.record(ChangeDraft::marked(T::KIND, next.uuid(), next.plan(), next.version(), action, Some((marking, snapshot(cur))), Some((marking, snapshot(next)))));
    Ok(())
}

/// `Versioned` for a record type: its entity name, how its plan and marking are found, and
/// the store function that writes it.
macro_rules! versioned {
    ($ty:ty, $kind:literal, $write:path, plan: $plan:expr, marking: $marking:expr) => {
        impl Versioned for $ty {
            const KIND: &'static str = $kind;
            fn uuid(&self) -> Uuid {
                self.id.uuid()
            }
            fn version(&self) -> i64 {
                self.version
            }
            fn plan(&self) -> Option<PlanId> {
                let f: fn(&$ty) -> Option<PlanId> = $plan;
                f(self)
            }
            fn marking(&self) -> Option<&Marking> {
                let f: fn(&$ty) -> Option<&Marking> = $marking;
                f(self)
            }
            fn set_version(&mut self, version: i64, at: Timestamp) {
                self.version = version;
                self.updated_at = at;
            }
            fn write<'a>(tx: &'a Tx, v: &'a Self, expected: i64) -> impl Future<Output = liaison_store::Result<()>> + Send + 'a {
                $write(tx, v, expected)
            }
        }
    };
    ($ty:ty, $kind:literal, $write:path, in_plan) => {
        versioned!($ty, $kind, $write, plan: |r| Some(r.plan), marking: |r| Some(&r.marking));
    };
}

use liaison_store as store;
versioned!(liaison_domain::plan::Plan, "plan", store::plans::update, plan: |p| Some(p.id), marking: |p| Some(&p.marking));
versioned!(liaison_domain::item::Item, "item", store::items::update, in_plan);
versioned!(liaison_domain::decision::Decision, "decision", store::decisions::update, in_plan);
versioned!(liaison_domain::story::Story, "story", store::stories::update, in_plan);
versioned!(liaison_domain::assistance::AssistanceRequest, "request", store::assistance::update_request, in_plan);
versioned!(liaison_domain::assistance::AssistanceOffer, "offer", store::assistance::update_offer, in_plan);
versioned!(liaison_domain::progress::ProgressUpdate, "progress_update", store::progress::update, in_plan);
versioned!(liaison_domain::indicator::Indicator, "indicator", store::indicators::update, plan: |r| Some(r.plan), marking: |_| None);
versioned!(liaison_domain::calendar::ReportingPeriod, "period", store::calendar::update, plan: |r| Some(r.plan), marking: |_| None);
versioned!(liaison_domain::activity::Activity, "activity", store::activities::update, in_plan);
versioned!(liaison_domain::assessment::Assessment, "assessment", store::assessments::update, in_plan);
versioned!(liaison_domain::organisation::Organisation, "organisation", store::organisations::update, plan: |_| None, marking: |_| None);
versioned!(liaison_domain::user::User, "user", store::users::update, plan: |_| None, marking: |_| None);
