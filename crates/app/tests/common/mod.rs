//! A fresh database per test, on each backend: SQLite in a temporary file, and PostgreSQL when
//! `JIXIAO_TEST_PG_URL` names a server (scripts/pg.sh starts a throw-away cluster and sets it).
//!
//! Without the URL the PostgreSQL variants are skipped with a note, unless `JIXIAO_REQUIRE_PG=1`
//! (the test script and CI), where a missing URL fails every PostgreSQL test.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use jixiao_app::App;
use jixiao_store::Store;
use sqlx::{AnyConnection, Connection};

/// A database of its own for one test, with the application opened on it.
pub struct Db {
    pub app: App,
    /// The same database as the store sees it, on the application's clock: what the tests
    /// arrange and inspect past the use cases (the application keeps its store private).
    pub store: Store,
    /// The URL the application was opened with (for side connections that tamper with rows).
    pub url: String,
    side: tokio::sync::Mutex<Option<AnyConnection>>,
    sqlite_file: Option<PathBuf>,
    /// For PostgreSQL: the URL to reconnect for `DROP DATABASE`, and the database's name.
    pg_admin: Option<(String, String)>,
}

/// A name no other test of any run uses: test name, process id, a counter and the clock.
fn unique(name: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(30)
        .collect();
    format!("jx_{name}_{}_{n}_{nanos:x}", std::process::id())
}

impl Db {
    /// A new SQLite database in a temporary file (deleted when the `Db` is dropped).
    pub async fn sqlite(test: &str) -> Db {
        Db::sqlite_on(test, jixiao_app::Clock::system()).await
    }

    /// [`Db::sqlite`] with the application on `clock` (a fixed clock the test moves on).
    pub async fn sqlite_on(test: &str, clock: jixiao_app::Clock) -> Db {
        let path = std::env::temp_dir().join(format!("{}.db", unique(test)));
        let url = format!("sqlite:{}", path.display());
        let app = App::open_with_clock(&url, clock)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
        let store = Store::open_with_clock(&url, app.clock().clone())
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
        Db {
            app,
            store,
            url,
            side: tokio::sync::Mutex::new(None),
            sqlite_file: Some(path),
            pg_admin: None,
        }
    }

    /// A new PostgreSQL database on the server of `JIXIAO_TEST_PG_URL`, or `None` (with a note)
    /// when the variable is not set. Fails when it is not set but `JIXIAO_REQUIRE_PG=1`.
    pub async fn postgres(test: &str) -> Option<Db> {
        let Some(admin_url) = std::env::var("JIXIAO_TEST_PG_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
        else {
            if std::env::var("JIXIAO_REQUIRE_PG").is_ok_and(|v| v == "1") {
                panic!(
                    "JIXIAO_REQUIRE_PG=1 but JIXIAO_TEST_PG_URL is not set: start a cluster with \
                     `eval \"$(bash scripts/pg.sh start)\"` (scripts/test.sh does this itself)"
                );
            }
            eprintln!(
                "PostgreSQL tests skipped ({test}): JIXIAO_TEST_PG_URL is not set \
                 (eval \"$(bash scripts/pg.sh start)\" starts a throw-away cluster)"
            );
            return None;
        };
        sqlx::any::install_default_drivers();
        let name = unique(test);
        let mut admin = AnyConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("connect to JIXIAO_TEST_PG_URL: {e}"));
        sqlx::raw_sql(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
        admin.close().await.ok();
        let url = jixiao_store::db::with_database(&admin_url, &name);
        let app = App::open(&url)
            .await
            .unwrap_or_else(|e| panic!("open the test database {name}: {e}"));
        let store = Store::open_with_clock(&url, app.clock().clone())
            .await
            .unwrap_or_else(|e| panic!("open the test database {name}: {e}"));
        Some(Db {
            app,
            store,
            url,
            side: tokio::sync::Mutex::new(None),
            sqlite_file: None,
            pg_admin: Some((admin_url, name)),
        })
    }

    /// Runs one statement on a connection of its own, past the application (as someone with
    /// access to the database would); returns the rows it affected.
    pub async fn execute(&self, sql: &str) -> u64 {
        let mut side = self.side().await;
        let conn = side.as_mut().expect("side connection");
        sqlx::query(sql)
            .execute(conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .rows_affected()
    }

    /// One integer from a query on the side connection.
    pub async fn scalar(&self, sql: &str) -> i64 {
        let mut side = self.side().await;
        let conn = side.as_mut().expect("side connection");
        let (v,): (i64,) = sqlx::query_as(sql)
            .fetch_one(conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        v
    }

    /// The side connection, opened on first use and kept (a PostgreSQL login is slow).
    async fn side(&self) -> tokio::sync::MutexGuard<'_, Option<AnyConnection>> {
        let mut side = self.side.lock().await;
        if side.is_none() {
            let conn = AnyConnection::connect(&self.url)
                .await
                .unwrap_or_else(|e| panic!("side connection: {e}"));
            *side = Some(conn);
        }
        side
    }

    /// Closes the application and removes the database (PostgreSQL; SQLite files go on drop).
    pub async fn finish(self) {
        if let Some(side) = self.side.lock().await.take() {
            side.close().await.ok();
        }
        self.store.close().await;
        self.app.close().await;
        if let Some((admin_url, name)) = &self.pg_admin
            && let Ok(mut admin) = AnyConnection::connect(admin_url).await
        {
            let _ = sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&mut admin)
                .await;
            admin.close().await.ok();
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Some(path) = &self.sqlite_file {
            let _ = std::fs::remove_file(path);
            for suffix in ["-wal", "-shm", "-journal"] {
                let mut side = path.clone().into_os_string();
                side.push(suffix);
                let _ = std::fs::remove_file(side);
            }
        }
    }
}

/// Runs each scenario (an `async fn(&Db)`) once on SQLite and once on PostgreSQL, as tests
/// `sqlite::NAME` and `postgres::NAME`.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = $crate::common::Db::sqlite(stringify!($name)).await;
                    $crate::$name(&db).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = $crate::common::Db::postgres(stringify!($name)).await else {
                        return;
                    };
                    $crate::$name(&db).await;
                    db.finish().await;
                }
            )*
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_replaced_in_urls() {
        assert_eq!(
            jixiao_store::db::with_database("postgres://u:p@127.0.0.1:5432/jx", "t1"),
            "postgres://u:p@127.0.0.1:5432/t1"
        );
        assert_eq!(
            jixiao_store::db::with_database("postgres://u:p@h:1/jx?sslmode=disable", "t1"),
            "postgres://u:p@h:1/t1?sslmode=disable"
        );
        assert_eq!(
            jixiao_store::db::with_database("postgres://h", "t1"),
            "postgres://h/t1"
        );
        assert!(unique("Two saves!").starts_with("jx_two_saves__"));
        assert_ne!(unique("a"), unique("a"));
    }
}
