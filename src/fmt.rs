//! Small text helpers every layer shares: counts, plurals, cutting text to
//! a width, ages and local times.

use chrono::{DateTime, Local, Utc};
use unicode_width::UnicodeWidthChar;

/// 12345 -> "12,345".
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 story", "12,345 stories".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// Cuts `text` to `width` columns, ending with an ellipsis when it is cut.
pub fn truncate(text: &str, width: usize) -> String {
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len().min(width * 4 + 3));
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        // Room for the ellipsis.
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// [`truncate`], then padded with spaces to exactly `width` columns.
pub fn fit(text: &str, width: usize) -> String {
    let mut out = truncate(text, width);
    let used: usize = out.chars().map(|c| c.width().unwrap_or(0)).sum();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

/// "now", "12m", "3h", "2d", "5mo", "2y".
pub fn age(published: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    let Some(published) = published else {
        return "-".to_owned();
    };
    let minutes = (now - published).num_minutes();
    match minutes {
        i64::MIN..=0 => "now".to_owned(),
        1..=59 => format!("{minutes}m"),
        60..=1439 => format!("{}h", minutes / 60),
        1440..=43_199 => format!("{}d", minutes / 1440),
        43_200..=525_599 => format!("{}mo", minutes / 43_200),
        _ => format!("{}y", minutes / 525_600),
    }
}

/// "2026-11-20 12:00" in local time, or "-".
pub fn local_time(time: Option<DateTime<Utc>>) -> String {
    time.map_or_else(
        || "-".to_owned(),
        |t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_plurals_and_widths() {
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(count(12), "12");
        assert_eq!(plural(1, "file", "files"), "1 file");
        assert_eq!(plural(2000, "file", "files"), "2,000 files");
        assert_eq!(truncate("Harbour pilots", 8), "Harbour…");
        assert_eq!(truncate("深圳发生洪水", 5), "深圳…");
        assert_eq!(truncate("short", 8), "short");
        assert_eq!(fit("深圳发生洪水", 6), "深圳… ");
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(truncate("x", 0), "");
    }

    #[test]
    fn ages() {
        use chrono::TimeZone;
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap();
        assert_eq!(age(Some(now), now), "now");
        assert_eq!(age(Some(now - chrono::Duration::minutes(5)), now), "5m");
        assert_eq!(age(Some(now - chrono::Duration::hours(3)), now), "3h");
        assert_eq!(age(Some(now - chrono::Duration::days(2)), now), "2d");
        assert_eq!(age(Some(now - chrono::Duration::days(400)), now), "1y");
        assert_eq!(age(None, now), "-");
    }
}
