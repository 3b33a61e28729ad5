//! Schema migrations: applied in order at start-up and by `liaison migrate`, each in its own
//! transaction. A database whose schema is newer than this program is refused.

use crate::{Backend, Db, Result, StoreError, genesis};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};

/// One schema step. The SQL uses `{uuid}`, `{ts}`, `{date}`, `{bool}`, `{seqpk}` for the types
/// that differ between backends; where the statements themselves differ, each backend has
/// its own script.
struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "plan core", sqlite: include_str!("migrations/0001_plan_core.sql"), postgres: include_str!("migrations/0001_plan_core.sql") },
    Migration {
        version: 2,
        name: "audit head follows the change log",
        sqlite: include_str!("migrations/0002_audit_head_trigger.sqlite.sql"),
        postgres: include_str!("migrations/0002_audit_head_trigger.postgres.sql"),
    },
    Migration { version: 3, name: "comments", sqlite: include_str!("migrations/0003_comments.sql"), postgres: include_str!("migrations/0003_comments.sql") },
    Migration {
        version: 4,
        name: "implementation: calendar, indicators, progress, assessments, attachments, notifications",
        sqlite: include_str!("migrations/0004_implementation.sql"),
        postgres: include_str!("migrations/0004_implementation.sql"),
    },
    Migration {
        version: 5,
        name: "assistance: requests, offers, activities",
        sqlite: include_str!("migrations/0005_assistance.sql"),
        postgres: include_str!("migrations/0005_assistance.sql"),
    },
    Migration {
        version: 6,
        name: "the public portal: pages, stories, photos",
        sqlite: include_str!("migrations/0006_portal.sql"),
        postgres: include_str!("migrations/0006_portal.sql"),
    },
    Migration {
        version: 7,
        name: "notifications are marked; accounts remember their language",
        sqlite: include_str!("migrations/0007_notification_marking.sql"),
        postgres: include_str!("migrations/0007_notification_marking.sql"),
    },
    Migration {
        version: 8,
        name: "IATI: organisations' identifiers, areas' DAC sectors",
        sqlite: include_str!("migrations/0008_iati_settings.sql"),
        postgres: include_str!("migrations/0008_iati_settings.sql"),
    },
    Migration {
        version: 9,
        name: "imports: uploads, their previews and what applying did",
        sqlite: include_str!("migrations/0009_imports.sql"),
        postgres: include_str!("migrations/0009_imports.sql"),
    },
    Migration {
        version: 10,
        name: "imports: previews as rows (activities, problems), read in pages",
        sqlite: include_str!("migrations/0010_import_rows.sql"),
        postgres: include_str!("migrations/0010_import_rows.sql"),
    },
    Migration {
        version: 11,
        name: "search: the index of every searchable record; evidence files' text",
        sqlite: include_str!("migrations/0011_search.sqlite.sql"),
        postgres: include_str!("migrations/0011_search.postgres.sql"),
    },
    Migration {
        version: 12,
        name: "exchange: peers and keys, bundles, exchanged states, origins, conflicts, peers' history",
        sqlite: include_str!("migrations/0012_exchange.sql"),
        postgres: include_str!("migrations/0012_exchange.sql"),
    },
    Migration {
        version: 13,
        name: "second factor: TOTP keys, recovery codes, sign-ins waiting for their second factor",
        sqlite: include_str!("migrations/0013_second_factor.sql"),
        postgres: include_str!("migrations/0013_second_factor.sql"),
    },
    Migration {
        version: 14,
        name: "mail: retries with backoff, claims between servers, the daily digest",
        sqlite: include_str!("migrations/0014_mail.sql"),
        postgres: include_str!("migrations/0014_mail.sql"),
    },
    Migration {
        version: 15,
        name: "single sign-on: linked provider accounts, sign-ins on their way",
        sqlite: include_str!("migrations/0015_sso.sql"),
        postgres: include_str!("migrations/0015_sso.sql"),
    },
    Migration {
        version: 16,
        name: "passkeys: registered authenticators, registrations and sign-ins under way",
        sqlite: include_str!("migrations/0016_passkeys.sql"),
        postgres: include_str!("migrations/0016_passkeys.sql"),
    },
];

impl Migration {
    fn script(&self, backend: Backend) -> &'static str {
        match backend {
            Backend::Sqlite => self.sqlite,
            Backend::Postgres => self.postgres,
        }
    }
}

/// The newest schema version this program knows.
pub fn latest() -> i64 {
    MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
}

fn render(sql: &str, backend: Backend) -> String {
    let pg = backend == Backend::Postgres;
    sql.replace("{uuid}", if pg { "uuid" } else { "blob" })
        .replace("{ts}", if pg { "timestamptz" } else { "text" })
        .replace("{date}", if pg { "date" } else { "text" })
        .replace("{bool}", if pg { "boolean" } else { "integer" })
        .replace("{bytes}", if pg { "bytea" } else { "blob" })
        .replace("{seqpk}", if pg { "bigint PRIMARY KEY" } else { "INTEGER PRIMARY KEY" })
}

/// Split a script into statements at semicolons that end a line.
fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in sql.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("--") || trimmed.is_empty() {
            continue;
        }
        cur.push_str(line);
        cur.push('\n');
        if trimmed.ends_with(';') {
            out.push(cur.trim().trim_end_matches(';').to_string());
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// The schema version the database is at (0 for an empty database).
pub async fn current(db: &Db) -> Result<i64> {
    let conn = db.pool();
    let b = conn.get_database_backend();
    let exists_sql = match b {
        DbBackend::Postgres => "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'liaison_schema' AND table_schema = current_schema()",
        _ => "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'liaison_schema'",
    };
    let row = conn.query_one_raw(Statement::from_string(b, exists_sql)).await?;
    let exists: i64 = row.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0);
    if exists == 0 {
        return Ok(0);
    }
    let row = conn.query_one_raw(Statement::from_string(b, "SELECT max(version) AS v FROM liaison_schema")).await?;
    Ok(row.map(|r| r.try_get::<Option<i64>>("", "v")).transpose()?.flatten().unwrap_or(0))
}

/// Refuse a database written by a newer Liaison.
pub async fn check_not_newer(db: &Db) -> Result<i64> {
    let at = current(db).await?;
    if at > latest() {
        return Err(StoreError::SchemaTooNew(format!(
            "the database is at schema version {at}, but this Liaison knows versions up to {}; run a newer Liaison (or restore a backup)",
            latest()
        )));
    }
    Ok(at)
}

/// Apply every missing migration. Returns the versions applied. Safe to run from several
/// servers at once on PostgreSQL (an advisory lock serialises them). All of them run in one
/// transaction: if one fails, the database is left as it was.
pub async fn run(db: &Db) -> Result<Vec<i64>> {
    run_to(db, latest()).await
}

/// Apply the missing migrations up to version `to` (the upgrade tests build each earlier
/// schema with it).
pub async fn run_to(db: &Db, to: i64) -> Result<Vec<i64>> {
    check_not_newer(db).await?;
    let mut applied = Vec::new();
    let tx = db.begin().await?;
    let conn = tx.conn();
    let b = conn.get_database_backend();
    if b == DbBackend::Postgres {
        conn.execute_raw(Statement::from_string(b, "SELECT pg_advisory_xact_lock(7243501)")).await?;
    }
    conn.execute_raw(Statement::from_string(
        b,
        "CREATE TABLE IF NOT EXISTS liaison_schema (version bigint PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)",
    ))
    .await?;
    let row = conn.query_one_raw(Statement::from_string(b, "SELECT max(version) AS v FROM liaison_schema")).await?;
    let at: i64 = row.map(|r| r.try_get::<Option<i64>>("", "v")).transpose()?.flatten().unwrap_or(0);
    if at > latest() {
        return Err(StoreError::SchemaTooNew(format!("the database is at schema version {at}, newer than this Liaison ({})", latest())));
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > at && m.version <= to) {
        for stmt in statements(&render(m.script(db.backend()), db.backend())) {
            conn.execute_raw(Statement::from_string(b, stmt.clone()))
                .await
                .map_err(|e| StoreError::Corrupt(format!("migration {} ({}) failed: {e}\n{stmt}", m.version, m.name)))?;
        }
        let now = liaison_domain::format_ts(&chrono::Utc::now());
        let insert = match b {
            DbBackend::Postgres => "INSERT INTO liaison_schema (version, name, applied_at) VALUES ($1, $2, $3)",
            _ => "INSERT INTO liaison_schema (version, name, applied_at) VALUES (?, ?, ?)",
        };
        conn.execute_raw(Statement::from_sql_and_values(b, insert, [m.version.into(), m.name.into(), now.into()])).await?;
        if m.version == 1 {
            let head = match b {
                DbBackend::Postgres => "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, $1)",
                _ => "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, ?)",
            };
            conn.execute_raw(Statement::from_sql_and_values(b, head, [genesis().into()])).await?;
        }
        applied.push(m.version);
    }
    tx.commit(&liaison_domain::change::Provenance { actor: None, at: chrono::Utc::now(), request_id: String::new(), source: String::new() }).await?;
    Ok(applied)
}

/// Mark the database as written by a future version (tests of the refusal use this).
pub async fn pretend_newer(db: &Db) -> Result<()> {
    let b = db.pool().get_database_backend();
    let sql = format!("INSERT INTO liaison_schema (version, name, applied_at) VALUES ({}, 'from the future', '2999-01-01T00:00:00.000Z')", latest() + 1);
    let tx = db.write_conn().begin().await?;
    tx.execute_raw(Statement::from_string(b, sql)).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_split_into_statements() {
        let s = statements("-- c\nCREATE TABLE a (x int);\n\nCREATE INDEX i\n  ON a (x);\n");
        assert_eq!(s, vec!["CREATE TABLE a (x int)", "CREATE INDEX i\n  ON a (x)"]);
    }

    #[test]
    fn types_render_per_backend() {
        assert_eq!(render("{uuid} {ts}", Backend::Postgres), "uuid timestamptz");
        assert_eq!(render("{uuid} {ts}", Backend::Sqlite), "blob text");
        for m in MIGRATIONS {
            for b in [Backend::Sqlite, Backend::Postgres] {
                let sql = render(m.script(b), b);
                assert!(!sql.contains('{'), "migration {} has an unknown placeholder", m.version);
            }
        }
    }
}
