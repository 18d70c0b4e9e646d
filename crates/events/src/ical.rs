//! The calendar feed (RFC 5545), written by hand: a few properties of all-day events, with text
//! escaped (§3.3.11) and lines folded at 75 octets without splitting a UTF-8 character (§3.1).
//! Dates are all-day `VALUE=DATE`, which calendar programs never shift by time zone; DTSTAMP is
//! UTC.
use time::Date;

/// One event of the feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEvent {
    /// Stable across every change, e.g. `event-42@megapolis`.
    pub uid: String,
    /// Grows on each change of the event.
    pub sequence: i64,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub start: Date,
    /// The last day, included (the feed writes the day after, as RFC 5545 wants).
    pub end: Date,
    /// The event's page.
    pub url: String,
    pub cancelled: bool,
    /// Categories, e.g. the kind.
    pub category: String,
    /// When it last changed, UTC, written `YYYYMMDDTHHMMSSZ`.
    pub stamp: String,
}

/// Escapes a TEXT value: backslash, semicolon, comma and new lines.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets (continuations start with a space), ending in CRLF.
pub fn fold_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        let octets = c.len_utf8();
        if width + octets > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += octets;
    }
    out.push_str("\r\n");
    out
}

fn day(date: Date) -> String {
    format!(
        "{:04}{:02}{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The whole calendar: `name` as its display name.
pub fn write_calendar(name: &str, events: &[FeedEvent]) -> String {
    let mut out = String::new();
    let mut line = |l: String| out.push_str(&fold_line(&l));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Megapolis//Plan of events//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape_text(name)));
    for e in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", e.uid));
        line(format!("DTSTAMP:{}", e.stamp));
        line(format!("LAST-MODIFIED:{}", e.stamp));
        line(format!("SEQUENCE:{}", e.sequence));
        line(format!("DTSTART;VALUE=DATE:{}", day(e.start)));
        let after = e.end.next_day().unwrap_or(e.end);
        line(format!("DTEND;VALUE=DATE:{}", day(after)));
        line(format!("SUMMARY:{}", escape_text(&e.summary)));
        if !e.description.is_empty() {
            line(format!("DESCRIPTION:{}", escape_text(&e.description)));
        }
        if !e.location.is_empty() {
            line(format!("LOCATION:{}", escape_text(&e.location)));
        }
        if !e.category.is_empty() {
            line(format!("CATEGORIES:{}", escape_text(&e.category)));
        }
        line(format!("URL:{}", e.url));
        line(format!(
            "STATUS:{}",
            if e.cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
        ));
        line("TRANSP:TRANSPARENT".into());
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

/// A moment written RFC 3339 (`2027-01-02T03:04:05Z`) as an iCalendar UTC date-time.
pub fn utc_stamp(rfc3339: &str) -> String {
    let digits: String = rfc3339
        .chars()
        .take(19)
        .filter(|c| c.is_ascii_digit() || *c == 'T')
        .collect();
    if digits.len() == 15 {
        format!("{digits}Z")
    } else {
        "19700101T000000Z".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// Unfolds the lines as a reader does.
    fn unfold(text: &str) -> Vec<String> {
        text.replace("\r\n ", "")
            .split("\r\n")
            .map(String::from)
            .collect()
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let line = format!("SUMMARY:{}", "Форум умных городов ".repeat(10));
        let folded = fold_line(&line);
        for part in folded.split("\r\n") {
            assert!(part.len() <= 75, "{} octets: {part}", part.len());
        }
        assert_eq!(unfold(&folded)[0], line);
    }

    #[test]
    fn a_calendar_has_all_day_events_with_uid_sequence_and_status() {
        let feed = write_calendar(
            "Plan 2027",
            &[FeedEvent {
                uid: "event-7@megapolis".into(),
                sequence: 2,
                summary: "Форум, «Умный город»".into(),
                description: String::new(),
                location: "Kazan".into(),
                start: date!(2027 - 12 - 31),
                end: date!(2027 - 12 - 31),
                url: "https://megapolis.example/events/7".into(),
                cancelled: true,
                category: "forum".into(),
                stamp: utc_stamp("2027-01-02T03:04:05Z"),
            }],
        );
        let lines = unfold(&feed);
        for expected in [
            "BEGIN:VCALENDAR",
            "UID:event-7@megapolis",
            "SEQUENCE:2",
            "DTSTART;VALUE=DATE:20271231",
            "DTEND;VALUE=DATE:20280101",
            "SUMMARY:Форум\\, «Умный город»",
            "STATUS:CANCELLED",
            "DTSTAMP:20270102T030405Z",
            "URL:https://megapolis.example/events/7",
            "END:VCALENDAR",
        ] {
            assert!(lines.iter().any(|l| l == expected), "{expected} in {feed}");
        }
        assert!(feed.ends_with("END:VCALENDAR\r\n"));
    }
}
