//! The store's errors.

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such row.
    #[error("记录不存在：{0}")]
    NotFound(String),
    /// The save was based on an old version.
    #[error("表单已被他人修改：您基于第{based_on}版修改，当前为第{current}版")]
    Conflict {
        /// The version the save was based on.
        based_on: i64,
        /// The version in the database.
        current: i64,
    },
    /// A unique key was violated (the constraint's name).
    #[error("重复的记录（{0}）")]
    Duplicate(String),
    /// A row holds something that cannot be read back.
    #[error("数据库中的数据无法读取：{0}")]
    Corrupt(String),
    /// JSON text the store was given to keep (and to record in the change log) is not JSON:
    /// nothing was written.
    #[error("{what}不是有效的 JSON，未保存：{reason}")]
    InvalidJson {
        /// What the text was meant to be (`年度设置`, `评价判断`).
        what: &'static str,
        /// What the parser said.
        reason: String,
    },
    /// The database URL names no supported backend.
    #[error("不支持的数据库地址“{0}”：请使用 sqlite:文件 或 postgres://…")]
    UnsupportedUrl(String),
    /// The database failed.
    #[error("数据库错误：{0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("数据库迁移失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Reads JSON text the store is to keep, refusing text that is not JSON
    /// ([`StoreError::InvalidJson`]).
    pub(crate) fn json(what: &'static str, text: &str) -> Result<serde_json::Value, StoreError> {
        serde_json::from_str(text).map_err(|e| StoreError::InvalidJson {
            what,
            reason: e.to_string(),
        })
    }

    /// Maps a unique-key violation to [`StoreError::Duplicate`] with its constraint name.
    pub(crate) fn from_insert(e: sqlx::Error) -> StoreError {
        if let sqlx::Error::Database(db) = &e
            && db.is_unique_violation()
        {
            let name = db
                .constraint()
                .map(str::to_string)
                .unwrap_or_else(|| db.message().to_string());
            return StoreError::Duplicate(name);
        }
        StoreError::Database(e)
    }
}
