//! Time as the store keeps it: Unix milliseconds, shown in China Standard Time (UTC+8).
//!
//! Nothing reads the system clock but [`Clock::system`]: the store stamps rows, sessions,
//! lockouts and the change log with the [`Clock`] it was opened with, and the app asks the same
//! clock for today's date, so tests set the time (deadlines, lockouts, session expiry) instead
//! of waiting for it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use time::{OffsetDateTime, UtcOffset};

/// Where "now" comes from. Cloning is cheap and clones share the time (a fixed clock set
/// through one clone is set for all).
#[derive(Debug, Clone)]
pub struct Clock(Arc<Source>);

#[derive(Debug)]
enum Source {
    System,
    Fixed(AtomicI64),
}

impl Clock {
    /// The machine's clock.
    pub fn system() -> Clock {
        Clock(Arc::new(Source::System))
    }

    /// A clock that stands at `ms` (Unix milliseconds) until it is set or advanced.
    pub fn fixed(ms: i64) -> Clock {
        Clock(Arc::new(Source::Fixed(AtomicI64::new(ms))))
    }

    /// Milliseconds since the Unix epoch, now.
    pub fn now_ms(&self) -> i64 {
        match &*self.0 {
            Source::System => {
                let now = OffsetDateTime::now_utc();
                i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
            }
            Source::Fixed(ms) => ms.load(Ordering::SeqCst),
        }
    }

    /// Sets a fixed clock to `ms`; a system clock cannot be set (returns false).
    pub fn set(&self, ms: i64) -> bool {
        match &*self.0 {
            Source::System => false,
            Source::Fixed(at) => {
                at.store(ms, Ordering::SeqCst);
                true
            }
        }
    }

    /// Moves a fixed clock on by `ms`; a system clock cannot be moved (returns false).
    pub fn advance(&self, ms: i64) -> bool {
        self.set(self.now_ms().saturating_add(ms))
    }

    /// `2026-11-29`, today in Beijing time.
    pub fn today(&self) -> String {
        date(self.now_ms())
    }

    /// The date `days` from today in Beijing time (`2027-01-28`).
    pub fn in_days(&self, days: i64) -> String {
        date(
            self.now_ms()
                .saturating_add(days.saturating_mul(86_400_000)),
        )
    }

    /// This year in Beijing time.
    pub fn year(&self) -> i64 {
        i64::from(at(self.now_ms()).year())
    }
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::system()
    }
}

/// Beijing time, the one the forms and deadlines are written in.
fn cst() -> UtcOffset {
    UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC)
}

fn at(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(cst())
}

/// `2026-11-29 14:03` (tables).
pub fn minute(ms: i64) -> String {
    let t = at(ms);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// `2026-11-29`, the date of `ms` in Beijing time.
pub fn date(ms: i64) -> String {
    let t = at(ms);
    format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minute_is_beijing_time() {
        // 2022-03-10 00:00 UTC is 08:00 in Beijing.
        assert_eq!(minute(1_646_870_400_000), "2022-03-10 08:00");
    }

    #[test]
    fn a_fixed_clock_is_set_and_moved_for_every_clone() {
        let clock = Clock::fixed(1_646_870_400_000);
        let other = clock.clone();
        assert_eq!(other.today(), "2022-03-10");
        assert!(clock.advance(86_400_000));
        assert_eq!(other.today(), "2022-03-11");
        assert_eq!(other.in_days(30), "2022-04-10");
        assert_eq!(other.year(), 2022);
        assert!(!Clock::system().set(0));
    }
}
