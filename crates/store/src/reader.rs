//! Reading by capability.
//!
//! A [`Reader`] is obtained for a [`ReadFilter`] — from the pool with [`Db::read`](crate::Db::read)
//! or inside a write transaction with [`Tx::read`](crate::Tx::read) — and every read function of
//! this crate takes one. Each applies the whole policy in its SQL: the plans the reader may look
//! into, the plan's own marking, the record's marking (clearance and releasability), the marking of
//! the item a record belongs to, and the Ally scope of Ally-owned records. A record the reader may
//! not see is simply absent: `None`, not in a list, not counted.
//!
//! System work that must see everything — a write's own checks (is this code taken by a hidden
//! item?), the command line, background jobs, the demo loader — takes the one separately named
//! entry, [`Db::unfiltered`](crate::Db::unfiltered) or [`Tx::unfiltered`](crate::Tx::unfiltered), so
//! that every bypass is found with one grep for `unfiltered(`.

use liaison_domain::access::{PlanScope, ReadFilter, Release};
use sea_orm::{DatabaseConnection, DatabaseExecutor, DatabaseTransaction};
use std::borrow::Cow;

/// The filter that admits everything: what [`Reader::unfiltered`] readers read with.
pub(crate) static EVERYTHING: ReadFilter = ReadFilter { max_rank: u8::MAX, release: Release::Any, plans: PlanScope::All, ally_scope: None };

#[derive(Clone, Copy)]
pub(crate) enum Conn<'a> {
    Pool(&'a DatabaseConnection),
    Tx(&'a DatabaseTransaction),
}

/// Reads for one reader. See the [module documentation](self).
#[derive(Clone)]
pub struct Reader<'a> {
    conn: Conn<'a>,
    filter: Cow<'a, ReadFilter>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(conn: Conn<'a>, filter: Cow<'a, ReadFilter>) -> Reader<'a> {
        Reader { conn, filter }
    }

    pub(crate) fn unfiltered(conn: Conn<'a>) -> Reader<'a> {
        Reader { conn, filter: Cow::Borrowed(&EVERYTHING) }
    }

    /// The connection to run a statement on (the pool, or the transaction this reader reads in).
    pub(crate) fn c(&self) -> DatabaseExecutor<'a> {
        match self.conn {
            Conn::Pool(p) => DatabaseExecutor::Connection(p),
            Conn::Tx(t) => DatabaseExecutor::Transaction(t),
        }
    }

    /// The rule this reader reads with.
    pub fn filter(&self) -> &ReadFilter {
        &self.filter
    }

    /// Whether this reader sees everything (so that no condition need be added).
    pub(crate) fn sees_all(&self) -> bool {
        self.filter.max_rank == u8::MAX && self.filter.release == Release::Any && self.filter.plans == PlanScope::All && self.filter.ally_scope.is_none()
    }
}
