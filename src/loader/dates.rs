//! Dates and ages, as files write them: RFC 3339, RFC 2822, ISO 8601 with
//! or without a `T` and a zone, a few written-out forms, Unix times in
//! seconds or milliseconds, and relative ages ("3 hours ago", "il y a 3
//! heures", "vor 2 Stunden", "3 小时前", "yesterday") in many languages.
//! A time without a zone is local time.

use std::sync::LazyLock;

use chrono::{DateTime, Duration, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use regex::Regex;

/// When a story was published, as an age line gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// This long before the page was saved.
    Ago(Duration),
    /// At this time.
    At(DateTime<Utc>),
}

impl When {
    /// The time, for a page saved at `saved`.
    pub fn resolve(self, saved: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            When::Ago(age) => saved.checked_sub_signed(age),
            When::At(time) => Some(time),
        }
    }
}

/// Parses a date or time in local time where it names no zone.
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    parse_date_in(text, &Local)
}

/// ISO 8601 and its relatives: `2026-11-20`, `2026/11/20 08:30`,
/// `2026-11-20T08:30:00.123+08:00`, Jekyll's `2026-11-20 08:30:00 +0800`.
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})
          (?:[t\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?
          \s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?$",
    )
    .expect("ISO date pattern")
});

/// Parses a date or time; `tz` is the zone of a time that names none.
pub fn parse_date_in<Tz: TimeZone>(text: &str, tz: &Tz) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    if let Some(caps) = ISO.captures(text) {
        return iso(&caps, tz);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(text) {
        return Some(d.with_timezone(&Utc));
    }
    if let Some(d) = written_out(text, tz) {
        return Some(d);
    }
    epoch(text)
}

fn iso<Tz: TimeZone>(caps: &regex::Captures, tz: &Tz) -> Option<DateTime<Utc>> {
    let num = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let date = NaiveDate::from_ymd_opt(caps[1].parse().ok()?, num(2)?, num(3)?)?;
    let nanos = caps.get(7).map_or(0, |m| {
        let digits = &m.as_str()[..m.as_str().len().min(9)];
        digits.parse::<u32>().unwrap_or(0) * 10u32.pow(9 - digits.len() as u32)
    });
    let time = NaiveTime::from_hms_nano_opt(
        num(4).unwrap_or(0),
        num(5).unwrap_or(0),
        num(6).unwrap_or(0),
        nanos,
    )?;
    let naive = date.and_time(time);
    match caps.get(8).map(|m| m.as_str().to_ascii_lowercase()) {
        None => local(naive, tz),
        Some(zone) if matches!(zone.as_str(), "z" | "utc" | "gmt") => Some(naive.and_utc()),
        Some(zone) => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone.chars().filter(char::is_ascii_digit).collect();
            let hours: i32 = digits.get(..2)?.parse().ok()?;
            let minutes: i32 = digits
                .get(2..)
                .filter(|m| !m.is_empty())
                .map_or(Some(0), |m| m.parse().ok())?;
            let offset = chrono::FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))?;
            offset
                .from_local_datetime(&naive)
                .single()
                .map(|d| d.with_timezone(&Utc))
        }
    }
}

/// A local time in `tz` (the earlier one, in the hour a clock goes back).
fn local<Tz: TimeZone>(naive: NaiveDateTime, tz: &Tz) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|d| d.with_timezone(&Utc))
        // In the hour a clock skips, an hour later is the same moment's name.
        .or_else(|| {
            tz.from_local_datetime(&(naive + Duration::hours(1)))
                .earliest()
                .map(|d| d.with_timezone(&Utc))
        })
}

/// "20 November 2026", "Nov 20, 2026 08:30", "Friday, 20 Nov 2026".
fn written_out<Tz: TimeZone>(text: &str, tz: &Tz) -> Option<DateTime<Utc>> {
    let text = text.split_once(", ").map_or(text, |(day, rest)| {
        // A leading weekday is dropped.
        if day.chars().all(char::is_alphabetic) {
            rest
        } else {
            text
        }
    });
    const DATES: &[&str] = &[
        "%d %B %Y",
        "%d %b %Y",
        "%B %d, %Y",
        "%b %d, %Y",
        "%B %d %Y",
        "%b %d %Y",
    ];
    for fmt in DATES {
        for (with_time, time_fmt) in [(true, " %H:%M"), (true, ", %H:%M"), (false, "")] {
            let full = format!("{fmt}{time_fmt}");
            let parsed = if with_time {
                NaiveDateTime::parse_from_str(text, &full).ok()
            } else {
                NaiveDate::parse_from_str(text, &full)
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
            };
            if let Some(naive) = parsed {
                return local(naive, tz);
            }
        }
    }
    None
}

/// A Unix time in seconds, milliseconds, microseconds or nanoseconds, told
/// apart by size: a time in seconds past 1e11 would be in the year 5138.
fn epoch(text: &str) -> Option<DateTime<Utc>> {
    let n: i64 = text.parse().ok()?;
    epoch_number(n)
}

/// [`epoch`] for a number already read (JSON).
pub fn epoch_number(n: i64) -> Option<DateTime<Utc>> {
    let abs = n.unsigned_abs();
    if abs < 100_000_000_000 {
        DateTime::from_timestamp(n, 0)
    } else if abs < 100_000_000_000_000 {
        DateTime::from_timestamp_millis(n)
    } else if abs < 100_000_000_000_000_000 {
        DateTime::from_timestamp_micros(n)
    } else {
        Some(DateTime::from_timestamp_nanos(n))
    }
}

/// Words for "a moment ago" and "a day ago", in the languages byline knows.
const NOW: &[&str] = &[
    "just now",
    "now",
    "today",
    "à l'instant",
    "a l'instant",
    "gerade eben",
    "jetzt",
    "heute",
    "ahora",
    "hoy",
    "agora",
    "hoje",
    "adesso",
    "oggi",
    "nu",
    "vandaag",
    "刚刚",
    "剛剛",
    "今天",
    "たった今",
    "今日",
    "방금",
    "오늘",
    "только что",
    "сегодня",
    "şimdi",
    "bugün",
];
const YESTERDAY: &[&str] = &[
    "yesterday",
    "hier",
    "gestern",
    "ayer",
    "ontem",
    "ieri",
    "gisteren",
    "昨天",
    "昨日",
    "어제",
    "вчера",
    "dün",
    "wczoraj",
    "igår",
    "i går",
];

/// Words that end an age: "3 hours ago", "3 ore fa", "3 小时前".
const AGO_AFTER: &[&str] = &[
    "ago",
    "fa",
    "geleden",
    "назад",
    "önce",
    "temu",
    "sedan",
    "siden",
    "前",
    "전",
];
/// Words that start one: "il y a 3 heures", "vor 3 Stunden".
const AGO_BEFORE: &[&str] = &["il y a", "vor", "hace", "há", "ha"];

/// Whether `text` (lower case) is worded as an age.
fn worded_as_age(text: &str) -> bool {
    let ends = AGO_AFTER.iter().any(|w| {
        text.strip_suffix(w).is_some_and(|head| {
            // A word of a spaced script stands alone; 前 and 전 may touch the unit.
            matches!(*w, "前" | "전") || head.is_empty() || head.ends_with(' ')
        })
    });
    let starts = AGO_BEFORE.iter().any(|w| {
        text.strip_prefix(w)
            .is_some_and(|rest| rest.starts_with(' '))
    });
    ends || starts
}

/// Words for one, where an age spells it out.
const ONE: &[&str] = &[
    "a", "an", "one", "un", "une", "ein", "eine", "einer", "einem", "einen", "uno", "una", "um",
    "uma", "een",
];

/// Unit words (prefixes, lower case) and the length of one unit, longest first.
static UNITS: LazyLock<Vec<(&'static str, Duration)>> = LazyLock::new(|| {
    let s = Duration::seconds(1);
    let m = Duration::minutes(1);
    let h = Duration::hours(1);
    let d = Duration::days(1);
    let w = Duration::weeks(1);
    let mo = Duration::days(30);
    let y = Duration::days(365);
    let mut units = vec![
        ("sec", s),
        ("second", s),
        ("seconde", s),
        ("sekunde", s),
        ("segundo", s),
        ("secondi", s),
        ("秒", s),
        ("초", s),
        ("секунд", s),
        ("saniye", s),
        ("min", m),
        ("minute", m),
        ("minuto", m),
        ("minuti", m),
        ("minuut", m),
        ("分钟", m),
        ("分鐘", m),
        ("分", m),
        ("분", m),
        ("минут", m),
        ("dakika", m),
        ("h", h),
        ("hr", h),
        ("hour", h),
        ("heure", h),
        ("stunde", h),
        ("hora", h),
        ("ora", h),
        ("ore", h),
        ("uur", h),
        ("小时", h),
        ("小時", h),
        ("時間", h),
        ("시간", h),
        ("час", h),
        ("saat", h),
        ("godzin", h),
        ("timm", h),
        ("time", h),
        ("day", d),
        ("jour", d),
        ("tag", d),
        ("día", d),
        ("dia", d),
        ("giorn", d),
        ("dag", d),
        ("天", d),
        ("日", d),
        ("일", d),
        ("дн", d),
        ("день", d),
        ("gün", d),
        ("week", w),
        ("semaine", w),
        ("woche", w),
        ("semana", w),
        ("settiman", w),
        ("周", w),
        ("週", w),
        ("星期", w),
        ("주", w),
        ("недел", w),
        ("hafta", w),
        ("veck", w),
        ("uge", w),
        ("month", mo),
        ("mois", mo),
        ("monat", mo),
        ("mes", mo),
        ("mês", mo),
        ("mese", mo),
        ("mesi", mo),
        ("maand", mo),
        ("个月", mo),
        ("個月", mo),
        ("か月", mo),
        ("ヶ月", mo),
        ("カ月", mo),
        ("月", mo),
        ("개월", mo),
        ("달", mo),
        ("месяц", mo),
        ("ay", mo),
        ("year", y),
        ("an", y),
        ("année", y),
        ("jahr", y),
        ("año", y),
        ("ano", y),
        ("anno", y),
        ("anni", y),
        ("jaar", y),
        ("年", y),
        ("년", y),
        ("год", y),
        ("лет", y),
        ("yıl", y),
        ("år", y),
    ];
    units.sort_by_key(|(word, _)| std::cmp::Reverse(word.chars().count()));
    units
});

/// An age ("10 minutes ago", "il y a 3 heures", "3 小时前", "Yesterday")
/// or a date and time ("2026-11-20 08:30", "08:30"), as the line under a
/// related item's source gives it.
pub fn parse_when(line: &str) -> Option<When> {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > 48 {
        return None;
    }
    if let Some(age) = parse_age(line) {
        return Some(When::Ago(age));
    }
    parse_date(line).map(When::At)
}

/// A relative age in any of the languages above.
pub fn parse_age(line: &str) -> Option<Duration> {
    let lower = line.trim().to_lowercase();
    let bare = lower.trim_end_matches(['.', '!']);
    if NOW.contains(&bare) {
        return Some(Duration::zero());
    }
    if YESTERDAY.contains(&bare) {
        return Some(Duration::days(1));
    }
    if !worded_as_age(bare) {
        return None;
    }
    // The count: the first number, or a word for one.
    let (count, rest) = match bare.find(|c: char| c.is_ascii_digit()) {
        Some(at) => {
            let digits: String = bare[at..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            (digits.parse::<i64>().ok()?, &bare[at + digits.len()..])
        }
        None => {
            let mut words = bare.split_whitespace();
            let at = words.position(|w| ONE.contains(&w))?;
            let skip: usize = bare
                .split_whitespace()
                .take(at + 1)
                .map(|w| w.len() + 1)
                .sum();
            (1, bare.get(skip.min(bare.len())..).unwrap_or(""))
        }
    };
    let rest = rest.trim_start();
    let unit = UNITS
        .iter()
        .find(|(word, _)| rest.starts_with(word))
        .map(|(_, unit)| *unit)?;
    unit.checked_mul(count.clamp(0, 1_000_000) as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn utc(text: &str) -> Option<String> {
        parse_date_in(text, &Utc).map(|d| d.to_rfc3339())
    }

    #[test]
    fn iso_and_rfc_forms() {
        let at = Some("2026-11-20T08:30:00+00:00".to_owned());
        assert_eq!(utc("2026-11-20T08:30:00Z"), at);
        assert_eq!(utc("2026-11-20 08:30:00Z"), at);
        assert_eq!(utc("2026-11-20T16:30:00+08:00"), at);
        assert_eq!(utc("2026-11-20 16:30:00 +0800"), at);
        assert_eq!(utc("2026-11-20T16:30+08"), at);
        assert_eq!(utc("2026-11-20 08:30"), at);
        assert_eq!(utc("2026/11/20 08:30"), at);
        assert_eq!(utc("Fri, 20 Nov 2026 08:30:00 +0000"), at);
        assert_eq!(utc("Fri, 20 Nov 2026 09:30:00 +0100"), at);
        assert_eq!(utc("20 November 2026 08:30"), at);
        assert_eq!(utc("Nov 20, 2026 08:30"), at);
        assert_eq!(utc("Friday, 20 Nov 2026, 08:30"), at);
        assert_eq!(
            utc("2026-11-20T08:30:00.250Z"),
            Some("2026-11-20T08:30:00.250+00:00".into())
        );
        assert_eq!(utc("2026-11-20"), Some("2026-11-20T00:00:00+00:00".into()));
        assert_eq!(utc("not a date"), None);
        assert_eq!(utc("2026-13-45"), None);
    }

    #[test]
    fn a_time_without_a_zone_is_local() {
        let singapore = FixedOffset::east_opt(8 * 3600).unwrap();
        let d = parse_date_in("2026-11-20 16:30", &singapore).unwrap();
        assert_eq!(d.to_rfc3339(), "2026-11-20T08:30:00+00:00");
        // A zone in the text wins over the local one.
        let d = parse_date_in("2026-11-20 16:30 +0000", &singapore).unwrap();
        assert_eq!(d.to_rfc3339(), "2026-11-20T16:30:00+00:00");
    }

    #[test]
    fn epochs_in_seconds_and_milliseconds() {
        let s = utc("1795163400").unwrap();
        assert_eq!(s, "2026-11-20T08:30:00+00:00");
        assert_eq!(utc("1795163400000").unwrap(), s);
        assert_eq!(utc("1795163400000000").unwrap(), s);
        assert_eq!(epoch_number(1_795_163_400_000).unwrap().to_rfc3339(), s);
    }

    #[test]
    fn ages_in_many_languages() {
        let h3 = Some(Duration::hours(3));
        for line in [
            "3 hours ago",
            "il y a 3 heures",
            "vor 3 Stunden",
            "hace 3 horas",
            "há 3 horas",
            "3 ore fa",
            "3 uur geleden",
            "3 小时前",
            "3小時前",
            "3時間前",
            "3시간 전",
            "3 часа назад",
        ] {
            assert_eq!(parse_age(line), h3, "{line}");
        }
        assert_eq!(parse_age("an hour ago"), Some(Duration::hours(1)));
        assert_eq!(parse_age("vor einem Tag"), Some(Duration::days(1)));
        assert_eq!(parse_age("il y a 2 jours"), Some(Duration::days(2)));
        assert_eq!(parse_age("10 minutes ago"), Some(Duration::minutes(10)));
        assert_eq!(parse_age("Yesterday"), Some(Duration::days(1)));
        assert_eq!(parse_age("昨天"), Some(Duration::days(1)));
        assert_eq!(parse_age("gestern"), Some(Duration::days(1)));
        assert_eq!(parse_age("just now"), Some(Duration::zero()));
        assert_eq!(parse_age("Straits Times"), None);
        assert_eq!(parse_age("3 hours of rain"), None);
        assert_eq!(parse_age("Vor dem Sturm"), None);
        assert_eq!(parse_age("3 hours in Chicago"), None);
        assert_eq!(parse_age("Storm for 3 hours"), None);
    }

    #[test]
    fn when_takes_ages_and_times() {
        let saved = Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap();
        let at = parse_when("2 hours ago").unwrap().resolve(saved).unwrap();
        assert_eq!(at, Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap());
        assert!(matches!(
            parse_when("2026-11-20 08:30+00:00"),
            Some(When::At(_))
        ));
        assert_eq!(parse_when("Harbour Post"), None);
    }
}
