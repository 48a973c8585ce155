//! [`Settings`]: everything one instance of Jixiao is configured with, in one typed place,
//! loaded once at start. Later sources win: the defaults, then a TOML file (`--config FILE` or
//! `JIXIAO_CONFIG`), then the environment, then the command line. A fiscal year's policies are
//! not here: they are data, edited in the application (`settings`). Every setting, its
//! variable and its default: docs/configuration.md.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use jixiao_grid::Limits;
use serde::{Deserialize, Serialize};

/// The database used when no source names one: the embedded SQLite file.
pub const DEFAULT_DATABASE: &str = "sqlite:jixiao.db";

/// An instance's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The database URL (`sqlite:FILE` or `postgres://…`); `DATABASE_URL`.
    pub database: String,
    /// Where the web server listens; `JIXIAO_LISTEN`.
    pub listen: SocketAddr,
    /// Session cookies only over HTTPS (behind a TLS proxy); `JIXIAO_SECURE_COOKIES`.
    pub secure_cookies: bool,
    /// Sessions.
    pub session: SessionSettings,
    /// Locking a user name after failed logins.
    pub lockout: LockoutSettings,
    /// Uploaded files: sizes, and how many are parsed at once.
    pub uploads: UploadSettings,
    /// What reading one untrusted file may cost.
    pub import: ImportSettings,
    /// Where the PDF writer looks for fonts before the system's; `JIXIAO_FONT_DIR`.
    pub fonts: FontSettings,
    /// PostgreSQL's client programs for backup and restore; `JIXIAO_PG_BIN`.
    pub postgres: PostgresSettings,
}

/// Sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionSettings {
    /// How long a session lives, in minutes (default 480: a working day).
    pub ttl_minutes: u32,
}

/// Locking a user name after failed logins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LockoutSettings {
    /// Failed logins within the window that lock the name (default 5).
    pub failures: u32,
    /// The window, and how long the lock lasts after the last failure, in minutes (default 15).
    pub window_minutes: u32,
}

/// Uploaded files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UploadSettings {
    /// The largest evidence file accepted, in MiB (default 20).
    pub attachment_mib: u32,
    /// Files parsed at once (default: one per core but one, at least one).
    pub parse_workers: Option<usize>,
    /// Files allowed to wait for a parse before the server answers that it is busy (default 32).
    pub parse_queue: usize,
    /// Background imports (scans read by OCR) this instance runs at once (default 1; 0: this
    /// instance runs none, others sharing the database do).
    pub import_jobs: usize,
}

/// What reading one untrusted file may cost (the rest of [`Limits`] keeps its defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImportSettings {
    /// The largest file read, in MiB (default 64).
    pub max_file_mib: u64,
    /// Rows in one table or sheet (default 20,000).
    pub max_rows: usize,
    /// Cells in one document (default 400,000).
    pub max_cells: usize,
    /// Pages of one PDF (default 2,000).
    pub max_pdf_pages: usize,
    /// Seconds reading one PDF may take (default 60).
    pub pdf_timeout_seconds: u64,
    /// Whether legacy .doc/.xls files are converted with LibreOffice (default true).
    pub convert_legacy: bool,
    /// Seconds a LibreOffice conversion may take before it is killed (default 120).
    pub convert_timeout_seconds: u64,
    /// Whether scans (images, PDFs without a text layer) are read by character recognition
    /// with tesseract (default true).
    pub ocr: bool,
    /// Pages of one scan read by character recognition (default 50).
    pub max_ocr_pages: usize,
    /// Seconds rasterising or recognising one page may take before it is killed (default 60).
    pub ocr_page_timeout_seconds: u64,
}

/// Fonts for the PDF writer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FontSettings {
    /// Folders searched first (then Jixiao's font cache, then the system's fonts).
    pub dirs: Vec<PathBuf>,
}

/// PostgreSQL's client programs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PostgresSettings {
    /// The folder of `pg_dump` and `pg_restore` (default: the newest
    /// `/usr/lib/postgresql/*/bin`, then `PATH`).
    pub bin: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            database: DEFAULT_DATABASE.to_string(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            secure_cookies: false,
            session: SessionSettings::default(),
            lockout: LockoutSettings::default(),
            uploads: UploadSettings::default(),
            import: ImportSettings::default(),
            fonts: FontSettings::default(),
            postgres: PostgresSettings::default(),
        }
    }
}

impl Default for SessionSettings {
    fn default() -> SessionSettings {
        SessionSettings { ttl_minutes: 480 }
    }
}

impl Default for LockoutSettings {
    fn default() -> LockoutSettings {
        LockoutSettings {
            failures: 5,
            window_minutes: 15,
        }
    }
}

impl Default for UploadSettings {
    fn default() -> UploadSettings {
        UploadSettings {
            attachment_mib: 20,
            parse_workers: None,
            parse_queue: 32,
            import_jobs: 1,
        }
    }
}

impl Default for ImportSettings {
    fn default() -> ImportSettings {
        let l = Limits::default();
        ImportSettings {
            max_file_mib: l.max_file_bytes >> 20,
            max_rows: l.max_rows,
            max_cells: l.max_cells,
            max_pdf_pages: l.max_pdf_pages,
            pdf_timeout_seconds: l.pdf_timeout.as_secs(),
            convert_legacy: l.convert_legacy,
            convert_timeout_seconds: l.convert_timeout.as_secs(),
            ocr: l.ocr,
            max_ocr_pages: l.max_ocr_pages,
            ocr_page_timeout_seconds: l.ocr_page_timeout.as_secs(),
        }
    }
}

/// Settings that could not be loaded: which source, and what is wrong with it.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The settings file could not be read.
    #[error("无法读取配置文件 {path}：{reason}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The settings file is not valid TOML, or holds an unknown or mistyped setting.
    #[error("配置文件 {path} 有误：{reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What and where (line and column, the setting's name).
        reason: String,
    },
    /// An environment variable holds a value its setting cannot take.
    #[error("环境变量 {name} 的取值“{value}”无效：{expected}")]
    Variable {
        /// The variable.
        name: &'static str,
        /// Its value.
        value: String,
        /// What it should be.
        expected: &'static str,
    },
    /// A setting is out of its range.
    #[error("配置项 {name} 无效：{reason}")]
    OutOfRange {
        /// The setting.
        name: &'static str,
        /// Why.
        reason: &'static str,
    },
}

impl Settings {
    /// The defaults, then the TOML file `file` (when given), then the environment as `var`
    /// reads it (`std::env::var` in the binary; a map in tests).
    pub fn load(
        file: Option<&Path>,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Settings, SettingsError> {
        let mut settings = match file {
            Some(path) => Settings::from_file(path)?,
            None => Settings::default(),
        };
        settings.apply_environment(var)?;
        settings.check()?;
        Ok(settings)
    }

    /// The settings of a TOML file over the defaults.
    pub fn from_file(path: &Path) -> Result<Settings, SettingsError> {
        let text = std::fs::read_to_string(path).map_err(|e| SettingsError::Unreadable {
            path: path.to_path_buf(),
            reason: jixiao_grid::io_reason(&e),
        })?;
        toml::from_str(&text).map_err(|e| SettingsError::Invalid {
            path: path.to_path_buf(),
            reason: e.to_string().trim().to_string(),
        })
    }

    /// Takes what the environment sets (empty variables are unset).
    fn apply_environment(
        &mut self,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(), SettingsError> {
        let get = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        if let Some(url) = get("DATABASE_URL") {
            self.database = url;
        }
        if let Some(addr) = get("JIXIAO_LISTEN") {
            self.listen = addr.trim().parse().map_err(|_| SettingsError::Variable {
                name: "JIXIAO_LISTEN",
                value: addr.clone(),
                expected: "应为 地址:端口，如 127.0.0.1:8080",
            })?;
        }
        if let Some(flag) = get("JIXIAO_SECURE_COOKIES") {
            self.secure_cookies = match flag.trim() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" => false,
                _ => {
                    return Err(SettingsError::Variable {
                        name: "JIXIAO_SECURE_COOKIES",
                        value: flag,
                        expected: "应为 true 或 false",
                    });
                }
            };
        }
        if let Some(dirs) = var("JIXIAO_FONT_DIR").filter(|v| !v.is_empty()) {
            let mut from_env: Vec<PathBuf> = std::env::split_paths(&dirs).collect();
            from_env.append(&mut self.fonts.dirs);
            self.fonts.dirs = from_env;
        }
        if let Some(bin) = get("JIXIAO_PG_BIN") {
            self.postgres.bin = Some(PathBuf::from(bin));
        }
        Ok(())
    }

    /// Refuses values no instance can run with.
    pub fn check(&self) -> Result<(), SettingsError> {
        let positive = |name, value: u64| {
            if value == 0 {
                Err(SettingsError::OutOfRange {
                    name,
                    reason: "必须大于 0",
                })
            } else {
                Ok(())
            }
        };
        positive("session.ttl_minutes", self.session.ttl_minutes.into())?;
        positive("lockout.failures", self.lockout.failures.into())?;
        positive("lockout.window_minutes", self.lockout.window_minutes.into())?;
        positive("uploads.attachment_mib", self.uploads.attachment_mib.into())?;
        positive("import.max_file_mib", self.import.max_file_mib)?;
        positive(
            "import.pdf_timeout_seconds",
            self.import.pdf_timeout_seconds,
        )?;
        if self.uploads.parse_workers == Some(0) {
            return Err(SettingsError::OutOfRange {
                name: "uploads.parse_workers",
                reason: "必须大于 0",
            });
        }
        Ok(())
    }

    /// How long a session lives, in milliseconds.
    pub fn session_ttl_ms(&self) -> i64 {
        i64::from(self.session.ttl_minutes) * 60_000
    }

    /// The lockout window, in milliseconds.
    pub fn lockout_window_ms(&self) -> i64 {
        i64::from(self.lockout.window_minutes) * 60_000
    }

    /// The largest evidence file accepted, in bytes.
    pub fn attachment_limit(&self) -> usize {
        usize::try_from(u64::from(self.uploads.attachment_mib) << 20).unwrap_or(usize::MAX)
    }

    /// The import limits these settings give.
    pub fn limits(&self) -> Limits {
        let i = &self.import;
        Limits {
            max_file_bytes: i.max_file_mib.saturating_mul(1 << 20),
            max_rows: i.max_rows,
            max_cells: i.max_cells,
            max_pdf_pages: i.max_pdf_pages,
            pdf_timeout: Duration::from_secs(i.pdf_timeout_seconds),
            convert_legacy: i.convert_legacy,
            convert_timeout: Duration::from_secs(i.convert_timeout_seconds),
            ocr: i.ocr,
            max_ocr_pages: i.max_ocr_pages,
            ocr_page_timeout: Duration::from_secs(i.ocr_page_timeout_seconds),
            ..Limits::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let s = Settings::load(None, &env(&[])).expect("defaults");
        assert_eq!(s.database, "sqlite:jixiao.db");
        assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(s.session_ttl_ms(), 8 * 60 * 60 * 1000);
        assert_eq!(
            (s.lockout.failures, s.lockout_window_ms()),
            (5, 15 * 60 * 1000)
        );
        assert_eq!(s.attachment_limit(), 20 << 20);
        assert_eq!(s.limits(), Limits::default());
    }

    #[test]
    fn a_file_then_the_environment_win_over_the_defaults() {
        let dir = tempfile_dir();
        let path = dir.join("jixiao.toml");
        std::fs::write(
            &path,
            "database = \"sqlite:/var/lib/jixiao/jixiao.db\"\n\
             [session]\nttl_minutes = 60\n\
             [lockout]\nfailures = 3\n\
             [import]\nmax_file_mib = 8\n\
             [fonts]\ndirs = [\"/srv/fonts\"]\n",
        )
        .expect("write");
        let s = Settings::load(
            Some(&path),
            &env(&[
                ("DATABASE_URL", "postgres://jixiao@db/jixiao"),
                ("JIXIAO_FONT_DIR", "/opt/fonts"),
                ("JIXIAO_PG_BIN", "/usr/lib/postgresql/15/bin"),
            ]),
        )
        .expect("loads");
        assert_eq!(s.database, "postgres://jixiao@db/jixiao");
        assert_eq!(s.session_ttl_ms(), 60 * 60 * 1000);
        assert_eq!(s.lockout.failures, 3);
        assert_eq!(
            s.lockout.window_minutes, 15,
            "untouched settings keep their default"
        );
        assert_eq!(s.limits().max_file_bytes, 8 << 20);
        assert_eq!(
            s.fonts.dirs,
            [PathBuf::from("/opt/fonts"), PathBuf::from("/srv/fonts")]
        );
        assert_eq!(
            s.postgres.bin.as_deref(),
            Some(Path::new("/usr/lib/postgresql/15/bin"))
        );
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn bad_settings_say_which_and_where() {
        let dir = tempfile_dir();
        let path = dir.join("bad.toml");
        std::fs::write(&path, "[session]\nttl_minutes = \"long\"\n").expect("write");
        let e = Settings::load(Some(&path), &env(&[])).expect_err("mistyped");
        assert!(e.to_string().contains("ttl_minutes"), "{e}");
        std::fs::write(&path, "[sesion]\nttl_minutes = 5\n").expect("write");
        let e = Settings::load(Some(&path), &env(&[])).expect_err("unknown");
        assert!(e.to_string().contains("sesion"), "{e}");
        std::fs::write(&path, "[lockout]\nfailures = 0\n").expect("write");
        let e = Settings::load(Some(&path), &env(&[])).expect_err("zero");
        assert!(e.to_string().contains("lockout.failures"), "{e}");
        let e = Settings::load(None, &env(&[("JIXIAO_LISTEN", "eighty")])).expect_err("addr");
        assert!(e.to_string().contains("JIXIAO_LISTEN"), "{e}");
        let e = Settings::load(Some(&dir.join("missing.toml")), &env(&[])).expect_err("none");
        assert!(e.to_string().contains("missing.toml"), "{e}");
        std::fs::remove_dir_all(dir).ok();
    }

    /// A fresh folder under the system's temporary folder.
    fn tempfile_dir() -> PathBuf {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("jixiao-settings-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }
}
