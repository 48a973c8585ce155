//! Connecting: the backend is chosen by the URL, the schema is migrated on start.

use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

use crate::StoreError;
use crate::clock::Clock;

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file (WAL mode).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend a URL names.
    pub fn of(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(redact(url)))
        }
    }
}

/// The database, shared by every request. Cloning is cheap (a pool handle).
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    /// What every row, session and log entry is stamped with.
    pub(crate) clock: Clock,
}

/// `url` with its database (the path after the host) replaced by `db`; the query is kept.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    let mut out = format!("{}/{db}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// A URL with its password replaced by `***`, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Store {
    /// Opens the database at `url` (`sqlite:FILE` creates the file; `postgres://…`) and
    /// migrates it to the current schema.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_with_clock(url, Clock::system()).await
    }

    /// [`Store::open`], stamping with `clock` instead of the machine's clock.
    pub async fn open_with_clock(url: &str, clock: Clock) -> Result<Store, StoreError> {
        install_default_drivers();
        let backend = Backend::of(url)?;
        let url = match backend {
            Backend::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_string(),
        };
        let options = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(30));
        let options = match backend {
            Backend::Sqlite => options.after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    Ok(())
                })
            }),
            Backend::Postgres => options,
        };
        let pool = options.connect(&url).await?;
        if backend == Backend::Sqlite {
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        match backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&pool).await?,
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await?,
        }
        tracing::info!(backend = ?backend, "database ready");
        Ok(Store {
            pool,
            backend,
            clock,
        })
    }

    /// The clock this store stamps with.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every connection (waits for checked-out ones).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://jixiao:s3cret@127.0.0.1:5433/jx"),
            "postgres://jixiao:***@127.0.0.1:5433/jx"
        );
        assert_eq!(redact("sqlite:jixiao.db"), "sqlite:jixiao.db");
    }

    #[test]
    fn backend_from_url() {
        assert_eq!(Backend::of("sqlite:x.db").ok(), Some(Backend::Sqlite));
        assert_eq!(Backend::of("postgres://h/d").ok(), Some(Backend::Postgres));
        assert!(Backend::of("mysql://h/d").is_err());
    }
}
