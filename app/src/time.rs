//! Showing times. Stored times are Unix milliseconds; the product shows them in Japan
//! time (a per-tenant zone comes with tenant settings).

pub const JST_OFFSET_MS: i64 = 9 * 3600 * 1000;
pub const DAY_MS: i64 = 86_400_000;

/// When the Japan-time day holding `unix_ms` began.
pub fn day_start_of(unix_ms: i64) -> i64 {
    (unix_ms + JST_OFFSET_MS).div_euclid(DAY_MS) * DAY_MS - JST_OFFSET_MS
}

/// `2026-11-25 09:30:05` in Japan time.
pub fn format_datetime(unix_ms: i64) -> String {
    let local = unix_ms + JST_OFFSET_MS;
    let days = local.div_euclid(86_400_000);
    let ms_of_day = local.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let secs = ms_of_day / 1000;
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// `mm:ss`, or `h:mm:ss` from an hour on: how long an agent has been in a status.
pub fn format_duration(ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m:02}:{s:02}") }
}

/// The Unix milliseconds at which the Japan-time day `YYYY-MM-DD` begins; `None` for
/// anything that is not a real date.
pub fn day_start_ms(date: &str) -> Option<i64> {
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        date.get(r).filter(|s| s.bytes().all(|c| c.is_ascii_digit()))?.parse().ok()
    };
    let (y, m, d) = (digits(0..4)?, digits(5..7)? as u32, digits(8..10)? as u32);
    let days = days_from_civil(y, m, d)?;
    Some(days * 86_400_000 - JST_OFFSET_MS)
}

/// The day count since 1970-01-01 of a proleptic Gregorian date, if it exists.
fn days_from_civil(y: i64, m: u32, d: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let (ya, ma) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = ya.div_euclid(400);
    let yoe = ya.rem_euclid(400);
    let doy = (153 * ma as i64 + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    // Round-trip to reject the 31st of a 30-day month and 29 February of common years.
    (civil_from_days(days) == (y, m, d)).then_some(days)
}

/// Howard Hinnant's days-to-civil algorithm: proleptic Gregorian, any era.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_japan_time_day_begins_at_midnight_in_tokyo() {
        let day = day_start_ms("2026-12-06").unwrap();
        assert_eq!(day_start_of(day), day);
        assert_eq!(day_start_of(day + DAY_MS - 1), day);
        assert_eq!(day_start_of(day - 1), day - DAY_MS);
        // 23:59 UTC on the 5th is 08:59 on the 6th in Tokyo.
        assert_eq!(format_datetime(day_start_of(day + 9 * 3600 * 1000 - 60_000)), "2026-12-06 00:00:00");
    }

    #[test]
    fn formats_in_japan_time() {
        // 2026-11-25T00:00:00Z is 09:00 in Tokyo.
        assert_eq!(format_datetime(1_795_564_800_000), "2026-11-25 09:00:00");
        assert_eq!(format_datetime(0), "1970-01-01 09:00:00");
    }

    #[test]
    fn days_begin_at_japan_midnight() {
        assert_eq!(day_start_ms("2026-11-25"), Some(1_795_564_800_000 - 9 * 3_600_000));
        assert_eq!(format_datetime(day_start_ms("2024-02-29").unwrap()), "2024-02-29 00:00:00");
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-04-31",
            "2026-1-01",
            "26-11-25",
            "2026/11/25",
            "",
            "abcd-ef-gh",
            "2026-11-+5",
        ] {
            assert_eq!(day_start_ms(bad), None, "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn every_day_round_trips(days in -100_000i64..100_000) {
            let ms = days * 86_400_000 - JST_OFFSET_MS;
            let date = format_datetime(ms)[..10].to_owned();
            proptest::prop_assert_eq!(day_start_ms(&date), Some(ms));
        }
    }

    #[test]
    fn durations_read_like_a_clock() {
        assert_eq!(format_duration(5_000), "00:05");
        assert_eq!(format_duration(61_000), "01:01");
        assert_eq!(format_duration(3_661_000), "1:01:01");
        assert_eq!(format_duration(-10), "00:00");
    }
}
