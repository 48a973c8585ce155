//! Time as the store keeps it: Unix milliseconds, shown in China Standard Time (UTC+8).

use time::{OffsetDateTime, UtcOffset};

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    let now = OffsetDateTime::now_utc();
    i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
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

/// `2026-11-29` (tables), today in Beijing time.
pub fn today() -> String {
    let t = at(now_ms());
    format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
}

/// The date `days` from today in Beijing time (`2027-01-28`).
pub fn in_days(days: i64) -> String {
    let t = at(now_ms().saturating_add(days.saturating_mul(86_400_000)));
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
}
