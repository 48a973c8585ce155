//! One schema: the SQLite and the PostgreSQL migration trees must build the same database.
//!
//! A fresh database of each backend is migrated by `Store::open`, then both catalogs are read
//! into one neutral shape and compared: the tables, each table's columns (a type family, whether
//! it takes NULL, its place in the primary key, what it references) and the indexes (name,
//! table, columns with their direction, unique). Every difference is printed.
//!
//! PostgreSQL comes from `JIXIAO_TEST_PG_URL` (`eval "$(bash scripts/pg.sh start)"`); without it
//! the comparison is skipped with a note, unless `JIXIAO_REQUIRE_PG=1`, where it fails.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use jixiao_store::Store;
use sqlx::{AnyConnection, Connection};

/// sqlx's own bookkeeping, not part of the schema.
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// Indexes that differ between the backends on purpose, each pinned to its exact definition on
/// both sides (`None`: absent there), so that any other change to them still fails.
///
/// SQLite stores a row's columns in order and walks the overflow pages of a form's JSON (`data`)
/// to reach the columns after it, so its lists read every list column from two covering indexes
/// (migration 0007). PostgreSQL keeps a large `data` value out of line and needs neither; and
/// its B-tree entries are limited to about 2.7 kB, so an index holding a form's name would make
/// a form with a long enough (imported) name impossible to save there.
const TUNED_INDEXES: &[(&str, Option<&str>, Option<&str>)] = &[
    (
        "forms_org_year",
        Some(
            "forms(org_id, year, stage, kind, name, id, version, total, grade, errors, warnings, \
             light, rate, codes, project_id, created_at, updated_at)",
        ),
        Some("forms(org_id, year)"),
    ),
    (
        "forms_listed",
        Some(
            "forms(year DESC, org_id, name, id, kind, stage, version, total, grade, errors, \
             warnings, light, rate, codes, project_id, created_at, updated_at)",
        ),
        None,
    ),
];

/// A column type, reduced to what both dialects mean by it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Family {
    Integer,
    Real,
    Numeric,
    Text,
    Blob,
    Boolean,
    Timestamp,
    /// A declared type this test does not know (the declaration, lower case).
    Other(String),
}

impl Family {
    /// A SQLite declared type (its affinity rules, with booleans and times told apart).
    fn sqlite(declared: &str) -> Family {
        let t = declared.to_ascii_lowercase();
        if t.contains("bool") {
            Family::Boolean
        } else if t.contains("time") || t == "date" {
            Family::Timestamp
        } else if t.contains("int") {
            Family::Integer
        } else if t.contains("char") || t.contains("clob") || t.contains("text") {
            Family::Text
        } else if t.contains("blob") {
            Family::Blob
        } else if t.contains("real") || t.contains("floa") || t.contains("doub") {
            Family::Real
        } else if t.contains("numeric") || t.contains("decimal") {
            Family::Numeric
        } else {
            Family::Other(t)
        }
    }

    /// A PostgreSQL `information_schema.columns.data_type`.
    fn postgres(data_type: &str) -> Family {
        let t = data_type.to_ascii_lowercase();
        match t.as_str() {
            "smallint" | "integer" | "bigint" => Family::Integer,
            "real" | "double precision" => Family::Real,
            "numeric" => Family::Numeric,
            "text" | "character varying" | "character" => Family::Text,
            "bytea" => Family::Blob,
            "boolean" => Family::Boolean,
            _ if t.starts_with("timestamp") || t == "date" => Family::Timestamp,
            _ => Family::Other(t),
        }
    }
}

/// One column as both backends can describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    family: Family,
    nullable: bool,
    /// Its place in the primary key (1-based), if part of it.
    primary_key: Option<i64>,
    /// `table.column` it references, if a foreign key.
    references: Option<String>,
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.family)?;
        f.write_str(if self.nullable { " NULL" } else { " NOT NULL" })?;
        if let Some(k) = self.primary_key {
            write!(f, " PRIMARY KEY#{k}")?;
        }
        if let Some(r) = &self.references {
            write!(f, " REFERENCES {r}")?;
        }
        Ok(())
    }
}

/// One index (not a primary key's).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Index {
    table: String,
    /// Key columns in order, `DESC` appended where descending.
    columns: Vec<String>,
    unique: bool,
}

impl fmt::Display for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.table, self.columns.join(", "))?;
        if self.unique {
            f.write_str(" UNIQUE")?;
        }
        Ok(())
    }
}

/// A database's schema in the neutral shape.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Schema {
    tables: BTreeMap<String, BTreeMap<String, Column>>,
    indexes: BTreeMap<String, Index>,
}

/// Every difference between the SQLite and the PostgreSQL schema, one line each (none when they
/// agree), with [`TUNED_INDEXES`] expected as declared.
fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let names: BTreeSet<&String> = sqlite.tables.keys().chain(postgres.tables.keys()).collect();
    for table in names {
        let (s, p) = match (sqlite.tables.get(table), postgres.tables.get(table)) {
            (Some(s), Some(p)) => (s, p),
            (Some(_), None) => {
                out.push(format!("table {table}: only on SQLite"));
                continue;
            }
            (None, Some(_)) => {
                out.push(format!("table {table}: only on PostgreSQL"));
                continue;
            }
            (None, None) => unreachable!(),
        };
        let columns: BTreeSet<&String> = s.keys().chain(p.keys()).collect();
        for column in columns {
            match (s.get(column), p.get(column)) {
                (Some(a), Some(b)) if a == b => {}
                (Some(a), Some(b)) => out.push(format!(
                    "column {table}.{column}: SQLite {a}, PostgreSQL {b}"
                )),
                (Some(a), None) => {
                    out.push(format!("column {table}.{column}: only on SQLite ({a})"));
                }
                (None, Some(b)) => {
                    out.push(format!("column {table}.{column}: only on PostgreSQL ({b})"));
                }
                (None, None) => unreachable!(),
            }
        }
    }
    let shown = |i: Option<&Index>| i.map_or_else(|| "absent".to_string(), Index::to_string);
    let names: BTreeSet<&String> = sqlite
        .indexes
        .keys()
        .chain(postgres.indexes.keys())
        .collect();
    for name in names {
        let (s, p) = (sqlite.indexes.get(name), postgres.indexes.get(name));
        match TUNED_INDEXES.iter().find(|t| t.0 == name.as_str()) {
            Some((_, want_s, want_p)) => {
                for (backend, have, want) in [("SQLite", s, want_s), ("PostgreSQL", p, want_p)] {
                    let have = have.map(|i| squeeze(&i.to_string()));
                    let want = want.map(squeeze);
                    if have != want {
                        out.push(format!(
                            "index {name} on {backend} (tuned per backend): {}, declared {}",
                            have.as_deref().unwrap_or("absent"),
                            want.as_deref().unwrap_or("absent"),
                        ));
                    }
                }
            }
            None if s == p => {}
            None => out.push(format!(
                "index {name}: SQLite {}, PostgreSQL {}",
                shown(s),
                shown(p)
            )),
        }
    }
    for (name, ..) in TUNED_INDEXES {
        if !sqlite.indexes.contains_key(*name) && !postgres.indexes.contains_key(*name) {
            out.push(format!(
                "index {name}: declared tuned but absent on both backends"
            ));
        }
    }
    out
}

/// Whitespace runs as one space (for the declared definitions wrapped across lines).
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The name PostgreSQL gives an unnamed UNIQUE constraint: `table_col1_col2_key`.
fn default_unique_name(table: &str, columns: &[String]) -> String {
    format!("{table}_{}_key", columns.join("_"))
}

/// The names of a SQLite table's named constraints, with their column lists, from its
/// `CREATE TABLE` text: `CONSTRAINT name UNIQUE (a, b)`.
fn sqlite_named_uniques(sql: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let upper = sql.to_ascii_uppercase();
    let mut from = 0;
    while let Some(at) = upper[from..].find("CONSTRAINT ") {
        let start = from + at + "CONSTRAINT ".len();
        from = start;
        let rest = &sql[start..];
        let mut words = rest.split_whitespace();
        let (Some(name), Some(kind)) = (words.next(), words.next()) else {
            continue;
        };
        if !kind.eq_ignore_ascii_case("UNIQUE") && !kind.to_ascii_uppercase().starts_with("UNIQUE(")
        {
            continue;
        }
        let (Some(open), Some(close)) = (rest.find('('), rest.find(')')) else {
            continue;
        };
        let columns = rest[open + 1..close]
            .split(',')
            .map(|c| c.trim().trim_matches('"').to_string())
            .collect();
        out.push((name.trim_matches('"').to_string(), columns));
    }
    out
}

async fn sqlite_schema(conn: &mut AnyConnection) -> Schema {
    let mut schema = Schema::default();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> $1 ORDER BY name",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(&mut *conn)
    .await
    .expect("SQLite tables");
    for (table, sql) in &tables {
        let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(table)
        .fetch_all(&mut *conn)
        .await
        .expect("SQLite columns");
        let keys: Vec<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list($1) ORDER BY id, seq",
        )
        .bind(table)
        .fetch_all(&mut *conn)
        .await
        .expect("SQLite foreign keys");
        let mut columns = BTreeMap::new();
        for (name, declared, not_null, pk) in rows {
            let references = keys
                .iter()
                .find(|k| k.0 == name)
                .map(|k| format!("{}.{}", k.1, k.2.as_deref().unwrap_or("?")));
            columns.insert(
                name,
                Column {
                    family: Family::sqlite(&declared),
                    // A primary key column is taken as NOT NULL, as PostgreSQL makes it (SQLite
                    // enforces it for INTEGER PRIMARY KEY only, a legacy quirk of its own).
                    nullable: not_null == 0 && pk == 0,
                    primary_key: (pk > 0).then_some(pk),
                    references,
                },
            );
        }
        schema.tables.insert(table.clone(), columns);

        let named = sqlite_named_uniques(sql);
        let indexes: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT name, \"unique\", origin FROM pragma_index_list($1) ORDER BY name",
        )
        .bind(table)
        .fetch_all(&mut *conn)
        .await
        .expect("SQLite indexes");
        for (index, unique, origin) in indexes {
            if origin == "pk" {
                continue;
            }
            let parts: Vec<(Option<String>, i64)> = sqlx::query_as(
                "SELECT name, \"desc\" FROM pragma_index_xinfo($1) WHERE key = 1 ORDER BY seqno",
            )
            .bind(&index)
            .fetch_all(&mut *conn)
            .await
            .expect("SQLite index columns");
            let plain: Vec<String> = parts
                .iter()
                .map(|p| p.0.clone().unwrap_or_else(|| "<expression>".into()))
                .collect();
            let columns = parts
                .iter()
                .zip(&plain)
                .map(|(p, c)| {
                    if p.1 == 1 {
                        format!("{c} DESC")
                    } else {
                        c.clone()
                    }
                })
                .collect();
            // An index SQLite made for a UNIQUE constraint is named after the constraint, as
            // PostgreSQL names it.
            let name = if origin == "u" {
                named
                    .iter()
                    .find(|(_, c)| *c == plain)
                    .map(|(n, _)| n.clone())
                    .unwrap_or_else(|| default_unique_name(table, &plain))
            } else {
                index
            };
            schema.indexes.insert(
                name,
                Index {
                    table: table.clone(),
                    columns,
                    unique: unique == 1,
                },
            );
        }
    }
    schema
}

async fn postgres_schema(conn: &mut AnyConnection) -> Schema {
    let mut schema = Schema::default();
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text
         FROM information_schema.columns c
         WHERE table_schema = 'public' AND table_name::text <> $1
           AND EXISTS (SELECT 1 FROM information_schema.tables t WHERE t.table_schema = 'public'
                       AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE')
         ORDER BY table_name, ordinal_position",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(&mut *conn)
    .await
    .expect("PostgreSQL columns");
    let primary: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT t.relname::text, a.attname::text, (k.n + 1)::int8
         FROM pg_index ix
         JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace ns ON ns.oid = t.relnamespace
         CROSS JOIN LATERAL generate_subscripts(ix.indkey, 1) AS k(n)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ix.indkey[k.n]
         WHERE ns.nspname = 'public' AND ix.indisprimary",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("PostgreSQL primary keys");
    let foreign: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT t.relname::text, a.attname::text, rt.relname::text, ra.attname::text
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_class rt ON rt.oid = c.confrelid
         JOIN pg_namespace ns ON ns.oid = t.relnamespace
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(col, ref)
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
         JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.ref
         WHERE c.contype = 'f' AND ns.nspname = 'public'",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("PostgreSQL foreign keys");
    for (table, column, data_type, nullable) in rows {
        let primary_key = primary
            .iter()
            .find(|p| p.0 == table && p.1 == column)
            .map(|p| p.2);
        let references = foreign
            .iter()
            .find(|f| f.0 == table && f.1 == column)
            .map(|f| format!("{}.{}", f.2, f.3));
        schema.tables.entry(table).or_default().insert(
            column,
            Column {
                family: Family::postgres(&data_type),
                nullable: nullable == "YES",
                primary_key,
                references,
            },
        );
    }

    let parts: Vec<(String, String, i64, String, i64)> = sqlx::query_as(
        "SELECT i.relname::text, t.relname::text, CASE WHEN ix.indisunique THEN 1 ELSE 0 END::int8,
                COALESCE(a.attname::text, pg_get_indexdef(ix.indexrelid, k.n + 1, false)),
                (ix.indoption[k.n] & 1)::int8
         FROM pg_index ix
         JOIN pg_class i ON i.oid = ix.indexrelid
         JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace ns ON ns.oid = t.relnamespace
         CROSS JOIN LATERAL generate_subscripts(ix.indkey, 1) AS k(n)
         LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ix.indkey[k.n]
         WHERE ns.nspname = 'public' AND NOT ix.indisprimary AND t.relname::text <> $1
           AND k.n < ix.indnkeyatts
         ORDER BY i.relname, k.n",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(&mut *conn)
    .await
    .expect("PostgreSQL indexes");
    for (index, table, unique, column, descending) in parts {
        let entry = schema.indexes.entry(index).or_insert_with(|| Index {
            table,
            columns: Vec::new(),
            unique: unique == 1,
        });
        entry.columns.push(if descending == 1 {
            format!("{column} DESC")
        } else {
            column
        });
    }
    schema
}

/// A name no other test of any run uses.
fn unique(name: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("jx_{name}_{}_{n}_{nanos:x}", std::process::id())
}

/// A fresh SQLite database file, migrated by the store; removed on drop.
struct SqliteFile(PathBuf);

impl SqliteFile {
    async fn migrated(name: &str) -> (SqliteFile, AnyConnection) {
        let path = std::env::temp_dir().join(format!("{}.db", unique(name)));
        let file = SqliteFile(path);
        let url = format!("sqlite:{}", file.0.display());
        let store = Store::open(&url).await.expect("open and migrate SQLite");
        store.close().await;
        let conn = AnyConnection::connect(&url).await.expect("connect SQLite");
        (file, conn)
    }
}

impl Drop for SqliteFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut side = self.0.clone().into_os_string();
            side.push(suffix);
            let _ = std::fs::remove_file(side);
        }
    }
}

/// The schema of a fresh PostgreSQL database migrated by the store, or `None` (with a note)
/// without `JIXIAO_TEST_PG_URL`; fails without it when `JIXIAO_REQUIRE_PG=1`.
async fn postgres_migrated() -> Option<Schema> {
    let Some(admin_url) = std::env::var("JIXIAO_TEST_PG_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
    else {
        assert!(
            std::env::var("JIXIAO_REQUIRE_PG").map_or(true, |v| v != "1"),
            "JIXIAO_REQUIRE_PG=1 but JIXIAO_TEST_PG_URL is not set: start a cluster with \
             `eval \"$(bash scripts/pg.sh start)\"`"
        );
        eprintln!(
            "schema comparison skipped: JIXIAO_TEST_PG_URL is not set \
             (eval \"$(bash scripts/pg.sh start)\" starts a throw-away cluster)"
        );
        return None;
    };
    sqlx::any::install_default_drivers();
    let name = unique("schema");
    let mut admin = AnyConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("connect to JIXIAO_TEST_PG_URL: {e}"));
    sqlx::raw_sql(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
    let url = jixiao_store::db::with_database(&admin_url, &name);
    let store = Store::open(&url)
        .await
        .unwrap_or_else(|e| panic!("open and migrate {name}: {e}"));
    store.close().await;
    let mut conn = AnyConnection::connect(&url).await.expect("connect");
    let schema = postgres_schema(&mut conn).await;
    conn.close().await.ok();
    sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("DROP DATABASE {name}: {e}"));
    admin.close().await.ok();
    Some(schema)
}

#[tokio::test]
async fn both_migration_trees_build_the_same_schema() {
    let (_file, mut conn) = SqliteFile::migrated("schema").await;
    let sqlite = sqlite_schema(&mut conn).await;
    conn.close().await.ok();
    assert!(
        sqlite.tables.contains_key("forms") && sqlite.indexes.contains_key("orgs_name_key"),
        "the SQLite catalog was not read: {sqlite:#?}"
    );
    let Some(postgres) = postgres_migrated().await else {
        return;
    };
    let found = differences(&sqlite, &postgres);
    assert!(
        found.is_empty(),
        "the SQLite and PostgreSQL migrations build different schemas ({} differences):\n  {}",
        found.len(),
        found.join("\n  ")
    );
}

/// The comparison sees what it must: a SQLite database changed behind the migrations differs
/// from itself unchanged, line by line.
#[tokio::test]
async fn a_difference_is_named() {
    let (_file, mut conn) = SqliteFile::migrated("schema_diff").await;
    let before = sqlite_schema(&mut conn).await;
    assert!(
        differences(&before, &before)
            .iter()
            .all(|d| d.contains("tuned"))
    );
    for sql in [
        "ALTER TABLE forms ADD COLUMN extra TEXT",
        "CREATE TABLE extras (id INTEGER PRIMARY KEY, note TEXT NOT NULL)",
        "DROP INDEX orgs_parent",
        "CREATE INDEX orgs_parent ON orgs(parent_id, name)",
        "DROP INDEX attachments_form",
        "CREATE UNIQUE INDEX attachments_form ON attachments(form_id)",
        "CREATE INDEX change_log_at ON change_log(at DESC)",
    ] {
        sqlx::raw_sql(sql)
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    let after = sqlite_schema(&mut conn).await;
    conn.close().await.ok();
    let mut found: Vec<String> = differences(&after, &before)
        .into_iter()
        .filter(|d| !d.contains("tuned"))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "column forms.extra: only on SQLite (Text NULL)",
            "index attachments_form: SQLite attachments(form_id) UNIQUE, PostgreSQL attachments(form_id)",
            "index change_log_at: SQLite change_log(at DESC), PostgreSQL absent",
            "index orgs_parent: SQLite orgs(parent_id, name), PostgreSQL orgs(parent_id)",
            "table extras: only on SQLite",
        ]
    );

    // Columns: type, nullability, key and reference are each compared.
    let mut changed = before.clone();
    let forms = changed.tables.get_mut("forms").expect("forms");
    forms.get_mut("version").expect("version").family = Family::Text;
    forms.get_mut("total").expect("total").nullable = false;
    forms.get_mut("org_id").expect("org_id").references = None;
    forms.get_mut("id").expect("id").primary_key = None;
    let mut found: Vec<String> = differences(&before, &changed)
        .into_iter()
        .filter(|d| !d.contains("tuned"))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "column forms.id: SQLite Integer NOT NULL PRIMARY KEY#1, PostgreSQL Integer NOT NULL",
            "column forms.org_id: SQLite Integer NOT NULL REFERENCES orgs.id, PostgreSQL Integer NOT NULL",
            "column forms.total: SQLite Text NULL, PostgreSQL Text NOT NULL",
            "column forms.version: SQLite Integer NOT NULL, PostgreSQL Text NOT NULL",
        ]
    );
}

#[test]
fn types_fall_into_families() {
    for (sqlite, postgres, family) in [
        ("INTEGER", "bigint", Family::Integer),
        ("BIGINT", "integer", Family::Integer),
        ("TEXT", "text", Family::Text),
        ("VARCHAR(20)", "character varying", Family::Text),
        ("BLOB", "bytea", Family::Blob),
        ("REAL", "double precision", Family::Real),
        ("BOOLEAN", "boolean", Family::Boolean),
        ("TIMESTAMP", "timestamp with time zone", Family::Timestamp),
        ("NUMERIC(10,2)", "numeric", Family::Numeric),
    ] {
        assert_eq!(Family::sqlite(sqlite), family, "{sqlite}");
        assert_eq!(Family::postgres(postgres), family, "{postgres}");
    }
    assert_eq!(
        sqlite_named_uniques(
            "CREATE TABLE p (a INT, b INT, CONSTRAINT p_ab_key UNIQUE (a, b), CONSTRAINT c CHECK (a > 0))"
        ),
        [(
            "p_ab_key".to_string(),
            vec!["a".to_string(), "b".to_string()]
        )]
    );
}
