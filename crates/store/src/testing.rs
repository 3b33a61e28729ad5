//! A fresh database per test: SQLite in a temporary directory, or — when
//! `LIAISON_TEST_DATABASE_URL` names a PostgreSQL server — a new database on that server,
//! dropped afterwards. A server that was asked for and does not answer fails the test.

use crate::{Db, DbOptions};
use sea_orm::sqlx::{Connection, PgConnection};

/// The environment variable that selects PostgreSQL for the test suites.
pub const ENV: &str = "LIAISON_TEST_DATABASE_URL";

pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[scheme_end..].find('/').map(|i| i + scheme_end).unwrap_or(base.len());
    format!("{}/{}{}", &base[..host_end], name, query)
}

impl TestDb {
    /// Whether the suite runs on PostgreSQL.
    pub fn is_postgres() -> bool {
        std::env::var(ENV).map(|u| u.starts_with("postgres")).unwrap_or(false)
    }

    pub async fn new() -> TestDb {
        match std::env::var(ENV) {
            Ok(admin) if !admin.trim().is_empty() => {
                assert!(
                    admin.starts_with("postgres://") || admin.starts_with("postgresql://"),
                    "{ENV} must be a postgres:// URL (or unset for SQLite), not {admin:?}"
                );
                let name = format!("liaison_t_{}", uuid::Uuid::now_v7().simple());
                let mut conn = PgConnection::connect(&admin)
                    .await
                    .unwrap_or_else(|e| panic!("{ENV} is set but PostgreSQL does not answer at {}: {e}", crate::redact_url(&admin)));
                sea_orm::sqlx::query(sea_orm::sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await
                    .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
                let _ = conn.close().await;
                TestDb { url: with_database(&admin, &name), _dir: None, pg: Some((admin, name)) }
            }
            _ => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!("sqlite://{}", dir.path().join("liaison.db").display());
                TestDb { url, _dir: Some(dir), pg: None }
            }
        }
    }

    /// Connect and migrate.
    pub async fn open(&self) -> Db {
        let db = Db::connect(&DbOptions::new(&self.url)).await.expect("connect to the test database");
        crate::migrate::run(&db).await.expect("migrate the test database");
        db
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg.take() {
            // Drop runs outside async context; use a small runtime on its own thread.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build();
                if let Ok(rt) = rt {
                    rt.block_on(async {
                        if let Ok(mut conn) = PgConnection::connect(&admin).await {
                            let _ = sea_orm::sqlx::query(sea_orm::sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                                .execute(&mut conn)
                                .await;
                            let _ = conn.close().await;
                        }
                    });
                }
            })
            .join();
        }
    }
}

/// Run raw SQL on the database outside any audited transaction: for tests that damage or
/// downgrade a database on purpose (tampering with the audit chain, an older schema).
pub async fn execute_raw(db: &Db, sql: &str) -> crate::Result<u64> {
    use sea_orm::ConnectionTrait;
    let b = db.pool().get_database_backend();
    Ok(db.pool().execute_raw(sea_orm::Statement::from_string(b, sql)).await?.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_swapped_in_urls() {
        assert_eq!(with_database("postgres://u@127.0.0.1:5432/postgres", "x"), "postgres://u@127.0.0.1:5432/x");
        assert_eq!(with_database("postgres://u@h/postgres?sslmode=disable", "x"), "postgres://u@h/x?sslmode=disable");
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
