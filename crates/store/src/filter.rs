//! The access policy's read rule, as SQL. [`ReadFilter::admits`] is the same rule in Rust;
//! the store's tests check that both agree on every combination.

use crate::row::like_escape;
use liaison_domain::access::{PlanScope, ReadFilter, Release};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
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
            any = any.add(Expr::col(rel_to).like(LikeExpr::new(format!("%,{},%", like_escape(t))).escape('!')));
        }
        c = c.add(any);
    }
    c
}

/// The plan part: the plans the reader has a role on (or all).
pub fn plans<C: ColumnTrait>(f: &ReadFilter, plan_col: C) -> Condition {
    match &f.plans {
        PlanScope::All => Condition::all(),
        PlanScope::Only(ids) if ids.is_empty() => Condition::all().add(Expr::val(1).eq(0)),
        PlanScope::Only(ids) => Condition::all().add(plan_col.is_in(ids.iter().map(|p| p.uuid()))),
    }
}

/// The Ally-scope part: for members of an Ally or agency, records they own or that were
/// shared with them (`shared_col` holds `,id,id,`).
pub fn ally_scope<C: ColumnTrait>(f: &ReadFilter, owner_col: C, shared_col: C) -> Condition {
    match f.ally_scope {
        None => Condition::all(),
        Some(me) => Condition::any().add(owner_col.eq(me.uuid())).add(Expr::col(shared_col).like(LikeExpr::new(format!("%,{},%", me.uuid())).escape('!'))),
    }
}
