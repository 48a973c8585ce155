//! Sessions and failed logins, kept in the database so application instances hold no state.
//!
//! Only the SHA-256 of a session token is stored: a copy of the database does not let anyone
//! log in.

use sha2::{Digest, Sha256};

use crate::{Store, StoreError};

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    /// The user.
    pub user_id: i64,
    /// The CSRF token of this session.
    pub csrf_token: String,
    /// Expiry (Unix ms).
    pub expires_at: i64,
}

/// The stored form of a session token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Store {
    /// Starts a session for `user_id`.
    pub async fn create_session(
        &self,
        token: &str,
        user_id: i64,
        csrf_token: &str,
        ttl_ms: i64,
    ) -> Result<(), StoreError> {
        let now = self.clock.now_ms();
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash(token))
        .bind(user_id)
        .bind(csrf_token)
        .bind(now)
        .bind(now + ttl_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The live session of a token; expired sessions are not returned.
    pub async fn session(&self, token: &str) -> Result<Option<SessionRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT user_id, csrf_token, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash(token))
        .bind(self.clock.now_ms())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Ends a session.
    pub async fn delete_session(&self, token: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Sets a session's expiry (tests use it to expire one).
    pub async fn set_session_expiry(&self, token: &str, expires_at: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET expires_at = $2 WHERE token_hash = $1")
            .bind(token_hash(token))
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a failed login for `username` (known or not) and drops old records.
    pub async fn record_login_failure(
        &self,
        username: &str,
        window_ms: i64,
    ) -> Result<(), StoreError> {
        let now = self.clock.now_ms();
        sqlx::query("INSERT INTO login_failures (username, at) VALUES ($1, $2)")
            .bind(username)
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(now - window_ms)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Failed logins for `username` within the last `window_ms`, and the newest one's time.
    pub async fn login_failures(
        &self,
        username: &str,
        window_ms: i64,
    ) -> Result<(i64, Option<i64>), StoreError> {
        let row: (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MAX(at) FROM login_failures WHERE username = $1 AND at >= $2",
        )
        .bind(username)
        .bind(self.clock.now_ms() - window_ms)
        .fetch_one(&self.pool)
        .await?;
        Ok(row)
    }

    /// Forgets the failed logins of `username` (after a successful login).
    pub async fn clear_login_failures(&self, username: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE username = $1")
            .bind(username)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
