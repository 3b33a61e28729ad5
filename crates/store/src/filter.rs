//! The access policy's read rule, as SQL. [`ReadFilter::admits`] and its siblings are the same
//! rule in Rust; the generated reader test (`tests/store/readers.rs`) checks that every read
//! function of this crate answers exactly what the pure rule admits.
//!
//! Every condition here names its columns with their table, so that they can be nested as
//! subqueries (`item_id IN (SELECT item.id FROM item WHERE …)`).

use crate::entity::{item, plan, portal};
use crate::row::like_escape;
use liaison_domain::access::{PlanScope, ReadFilter, Release};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition};

/// The marking part: clearance rank and releasability, on the given columns.
pub fn marking<C: ColumnTrait>(f: &ReadFilter, rank: C, rel_to: C) -> Condition {
    let mut c = Condition::all();
    if f.max_rank != u8::MAX {
        c = c.add(rank.lte(i32::from(f.max_rank)));
    }
    if let Release::Tokens(tokens) = &f.release {
        let mut any = Condition::any().add(rank.eq(0));
        for t in tokens {
            any = any.add(Expr::col(rel_to.as_column_ref()).like(LikeExpr::new(format!("%,{},%", like_escape(t))).escape('!')));
        }
        c = c.add(any);
    }
    c
}

/// The plan-scope part alone: the plans the reader has a role on (or all); for the public, the
/// portal's plan once it is on the portal.
pub fn plans<C: ColumnTrait>(f: &ReadFilter, plan_col: C) -> Condition {
    match &f.plans {
        PlanScope::All => Condition::all(),
        PlanScope::Only(ids) if ids.is_empty() => Condition::all().add(Expr::val(1).eq(0)),
        PlanScope::Only(ids) => Condition::all().add(plan_col.is_in(ids.iter().map(|p| p.uuid()))),
        PlanScope::Portal(p) => {
            let published =
                Query::select().column((portal::Entity, portal::Column::PlanId)).from(portal::Entity).and_where(portal::Column::Published.eq(true)).to_owned();
            Condition::all().add(plan_col.eq(p.uuid())).add(plan_col.in_subquery(published))
        }
    }
}

fn marks_nothing(f: &ReadFilter) -> bool {
    f.max_rank == u8::MAX && f.release == Release::Any
}

/// A plan the reader may see: in its scope, and cleared by the plan's own marking.
pub fn plan_itself(f: &ReadFilter) -> Condition {
    Condition::all().add(plans(f, plan::Column::Id)).add(marking(f, plan::Column::MarkingRank, plan::Column::RelTo))
}

fn plan_ids(f: &ReadFilter) -> SelectStatement {
    Query::select().column((plan::Entity, plan::Column::Id)).from(plan::Entity).cond_where(plan_itself(f)).to_owned()
}

/// A record whose plan (in `plan_col`) the reader may look into: in scope and cleared by the
/// plan's marking; for the public, the portal's plan (its own marking does not apply).
pub fn in_visible_plan<C: ColumnTrait>(f: &ReadFilter, plan_col: C) -> Condition {
    if marks_nothing(f) || matches!(f.plans, PlanScope::Portal(_)) {
        return plans(f, plan_col);
    }
    Condition::all().add(plans(f, plan_col)).add(plan_col.in_subquery(plan_ids(f)))
}

/// A workspace record of a plan with no marking of its own that the portal never shows
/// (memberships, approvals, agreed versions): the plan visible, and never for the public.
pub fn workspace_of_plan<C: ColumnTrait>(f: &ReadFilter, plan_col: C) -> Condition {
    if matches!(f.plans, PlanScope::Portal(_)) {
        return Condition::all().add(Expr::val(1).eq(0));
    }
    in_visible_plan(f, plan_col)
}

/// A marked record of a plan: the plan visible, and the record's own marking cleared.
pub fn record<C: ColumnTrait>(f: &ReadFilter, plan_col: C, rank: C, rel_to: C) -> Condition {
    Condition::all().add(in_visible_plan(f, plan_col)).add(marking(f, rank, rel_to))
}

/// The ids of the items the reader may see.
pub fn item_ids(f: &ReadFilter) -> SelectStatement {
    Query::select()
        .column((item::Entity, item::Column::Id))
        .from(item::Entity)
        .cond_where(record(f, item::Column::PlanId, item::Column::MarkingRank, item::Column::RelTo))
        .to_owned()
}

/// A record that belongs to an item (in `item_col`) the reader may see.
///
/// Written as a correlated `EXISTS (SELECT 1 FROM item WHERE item.id = <item_col> AND …)`, not
/// as `item_col IN (SELECT item.id FROM item WHERE …)`: SQLite materialises an uncorrelated
/// `IN` subquery, that is every item the reader may see in all its plans, for each statement
/// (100,000 at alliance scale, 10–25 ms per query at an eighth of it), where `EXISTS` looks up
/// the one item by its key. PostgreSQL plans both as the same semi-join.
pub fn of_visible_item<C: ColumnTrait>(f: &ReadFilter, item_col: C) -> Condition {
    if marks_nothing(f) && f.plans == PlanScope::All {
        return Condition::all();
    }
    let one = item_ids(f).and_where(Expr::col((item::Entity, item::Column::Id)).equals(item_col.as_column_ref())).to_owned();
    Condition::all().add(Expr::exists(one))
}

/// The Ally-scope part: for members of an Ally or agency, records they own or that were
/// shared with them (`shared_col` holds `,id,id,`).
pub fn ally_scope<C: ColumnTrait>(f: &ReadFilter, owner_col: C, shared_col: C) -> Condition {
    match f.ally_scope {
        None => Condition::all(),
        Some(me) => Condition::any()
            .add(owner_col.eq(me.uuid()))
            .add(Expr::col(shared_col.as_column_ref()).like(LikeExpr::new(format!("%,{},%", me.uuid())).escape('!'))),
    }
}
