//! Time rules of the committee's calendar: months from assignment, working days for first
//! contact and evaluation. Dates are counted in China Standard Time (UTC+8), where the
//! committees work; instants are stored as UTC milliseconds.
//!
//! Public holidays and the make-up working weekends are not modelled yet: a working day is
//! Monday to Friday.

use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, FixedOffset, Months, NaiveTime, TimeZone, Utc, Weekday};

/// An instant, always UTC.
pub type Timestamp = DateTime<Utc>;

/// Where "now" comes from: the wall clock in the apps and the server, a fixed or moved
/// instant in tests. Every decision that depends on the time takes it from a `Clock`.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// The wall clock.
pub fn system_clock() -> Clock {
    Arc::new(now)
}

/// China Standard Time.
pub fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// Milliseconds since the Unix epoch, as stored in SQLite.
pub fn to_millis(t: Timestamp) -> i64 {
    t.timestamp_millis()
}

/// The instant for stored milliseconds; out-of-range values clamp to the epoch rather than panic.
pub fn from_millis(ms: i64) -> Timestamp {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// The current instant, truncated to milliseconds so that it survives a round trip through storage.
pub fn now() -> Timestamp {
    from_millis(Utc::now().timestamp_millis())
}

/// `t` plus whole calendar months (31 January + 1 month = 28/29 February).
pub fn add_months(t: Timestamp, months: u32) -> Timestamp {
    t.checked_add_months(Months::new(months)).unwrap_or(t)
}

/// The end (23:59:59.999 CST) of the `n`th working day after the day of `start`.
/// The day of `start` itself does not count, as in "reply within 15 working days".
pub fn add_working_days(start: Timestamp, n: u32) -> Timestamp {
    let mut day = start.with_timezone(&cst()).date_naive();
    let mut left = n;
    while left > 0 {
        day = day.succ_opt().unwrap_or(day);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    let end = day.and_time(NaiveTime::from_hms_milli_opt(23, 59, 59, 999).expect("valid time"));
    cst().from_local_datetime(&end).single().map(|t| t.with_timezone(&Utc)).unwrap_or(start)
}

/// `t` plus whole days.
pub fn add_days(t: Timestamp, days: u32) -> Timestamp {
    t + Duration::days(i64::from(days))
}

/// A date and time in CST for messages a member reads, e.g. `2027-01-15 18:00`.
pub fn display(t: Timestamp) -> String {
    t.with_timezone(&cst()).format("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cst_time(y: i32, m: u32, d: u32, h: u32) -> Timestamp {
        cst().with_ymd_and_hms(y, m, d, h, 0, 0).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn working_days_skip_weekends() {
        // Friday 2027-01-15 10:00 CST + 1 working day = Monday the 18th, end of day.
        let fri = cst_time(2027, 1, 15, 10);
        let due = add_working_days(fri, 1);
        assert_eq!(display(due), "2027-01-18 23:59");
        // 15 working days from Monday 2027-03-01 = Monday 2027-03-22.
        let mon = cst_time(2027, 3, 1, 9);
        assert_eq!(display(add_working_days(mon, 15)), "2027-03-22 23:59");
    }

    #[test]
    fn working_days_use_china_dates() {
        // 2027-01-15 20:00 UTC is already Saturday 04:00 in China.
        let t = Utc.with_ymd_and_hms(2027, 1, 15, 20, 0, 0).unwrap();
        assert_eq!(display(add_working_days(t, 1)), "2027-01-18 23:59");
    }

    #[test]
    fn months_clamp_to_month_end() {
        let t = Utc.with_ymd_and_hms(2027, 1, 31, 0, 0, 0).unwrap();
        assert_eq!(add_months(t, 1), Utc.with_ymd_and_hms(2027, 2, 28, 0, 0, 0).unwrap());
    }

    #[test]
    fn millis_round_trip() {
        let t = now();
        assert_eq!(from_millis(to_millis(t)), t);
    }
}
