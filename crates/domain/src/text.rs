//! Limits on free text, in one place: every text field a person or another
//! system fills in has a [`TextLimit`] here, and [`check`] is the one
//! validator the rulebook, the protocol and the server's HTTP layer use.
//!
//! Lengths are counted in characters (Unicode scalar values), not bytes, so
//! a limit means the same for Chinese and Latin text. A single-line field
//! refuses every control character; a multi-line field allows newline
//! (`\n`, or `\r\n` as a Windows editor writes it) and tab, and refuses every
//! other control character. Both refuse the bidirectional embedding,
//! override and isolate controls (U+202A–U+202E, U+2066–U+2069), which can
//! make text display differently from what it says.
//!
//! An over-long text is refused with `text_too_long`, a bad character with
//! `invalid_text`; both name the field (see [`DomainError::TextTooLong`] and
//! [`DomainError::InvalidText`]).

use crate::error::DomainError;

/// How long a text field may be and whether it may span lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextLimit {
    /// At most this many characters.
    pub max_chars: usize,
    /// Newline and tab are allowed.
    pub multiline: bool,
}

const fn line(max_chars: usize) -> TextLimit {
    TextLimit {
        max_chars,
        multiline: false,
    }
}

const fn lines(max_chars: usize) -> TextLimit {
    TextLimit {
        max_chars,
        multiline: true,
    }
}

/// A person's name: the customer's name.
pub const PERSON_NAME: TextLimit = line(100);
/// A phone number as typed, before it is normalised.
pub const PHONE: TextLimit = line(40);
/// A code or number: complaint number, category code, customer id,
/// department id.
pub const CODE: TextLimit = line(64);
/// What a complaint is against: product name, order number, business line
/// or agent id.
pub const SUBJECT_REFERENCE: TextLimit = line(200);
/// A user name (sign-in name, the author of a change).
pub const USER_NAME: TextLimit = line(64);
/// A device's display name, as registered at sign-in.
pub const DEVICE_NAME: TextLimit = line(100);
/// What the customer asks for.
pub const DEMAND: TextLimit = lines(2_000);
/// The complaint's description.
pub const DESCRIPTION: TextLimit = lines(10_000);
/// The text of a progress update.
pub const PROGRESS_TEXT: TextLimit = lines(4_000);
/// A note or a reason given with a step (judgement, root cause, remedy,
/// approval decision, callback, close, reopen), and a review's lessons.
pub const NOTE: TextLimit = lines(4_000);
/// One improvement action of a review, and a tiered remedy's condition.
pub const SHORT_TEXT: TextLimit = line(500);

/// Every limit with the name the documentation uses, for docs and tests.
pub const ALL: [(&str, TextLimit); 11] = [
    ("person_name", PERSON_NAME),
    ("phone", PHONE),
    ("code", CODE),
    ("subject_reference", SUBJECT_REFERENCE),
    ("user_name", USER_NAME),
    ("device_name", DEVICE_NAME),
    ("demand", DEMAND),
    ("description", DESCRIPTION),
    ("progress_text", PROGRESS_TEXT),
    ("note", NOTE),
    ("short_text", SHORT_TEXT),
];

/// Is `ch` a bidirectional embedding, override or isolate control?
fn is_bidi_control(ch: char) -> bool {
    matches!(ch, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Checks `text`, the value of `field`, against `limit`: `text_too_long`
/// when it has more than `limit.max_chars` characters, `invalid_text` at
/// the first character it may not hold.
pub fn check(field: &str, text: &str, limit: TextLimit) -> Result<(), DomainError> {
    let mut length = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        let allowed = match ch {
            '\n' | '\t' => limit.multiline,
            '\r' => limit.multiline && chars.peek() == Some(&'\n'),
            _ => !ch.is_control() && !is_bidi_control(ch),
        };
        if !allowed {
            return Err(DomainError::InvalidText {
                field: field.to_owned(),
                position: length,
                code_point: u32::from(ch),
            });
        }
        length += 1;
    }
    if length > limit.max_chars {
        return Err(DomainError::TextTooLong {
            field: field.to_owned(),
            limit: limit.max_chars,
            length,
        });
    }
    Ok(())
}

/// [`check`] for an optional text: `None` passes.
pub fn check_opt(field: &str, text: Option<&str>, limit: TextLimit) -> Result<(), DomainError> {
    text.map_or(Ok(()), |t| check(field, t, limit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(field: &str, text: &str, limit: TextLimit) -> Option<&'static str> {
        check(field, text, limit).err().map(|e| e.code().as_str())
    }

    #[test]
    fn lengths_are_characters_not_bytes() {
        let limit = line(3);
        assert_eq!(code("n", "王先生", limit), None);
        assert_eq!(code("n", "", limit), None);
        let e = check("customer.name", "王先生们", limit).expect_err("too long");
        assert_eq!(
            e,
            DomainError::TextTooLong {
                field: "customer.name".into(),
                limit: 3,
                length: 4,
            }
        );
        assert_eq!(e.code(), "text_too_long");
    }

    #[test]
    fn multi_line_text_allows_newline_and_tab_only() {
        let text = "line one\n\tline two\r\nline three";
        assert_eq!(code("note", text, NOTE), None);
        assert_eq!(code("name", text, PERSON_NAME), Some("invalid_text"));
        for bad in [
            "a\rb",
            "a\u{0}b",
            "a\u{7}b",
            "a\u{1b}[31mb",
            "a\u{7f}",
            "a\u{85}",
        ] {
            assert_eq!(code("note", bad, NOTE), Some("invalid_text"), "{bad:?}");
        }
        let e = check("note", "ab\u{0}", NOTE).expect_err("a NUL");
        assert_eq!(
            e,
            DomainError::InvalidText {
                field: "note".into(),
                position: 2,
                code_point: 0,
            }
        );
    }

    #[test]
    fn bidi_controls_are_refused_everywhere() {
        for ch in ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}'] {
            assert_eq!(
                code("d", &format!("x{ch}y"), DESCRIPTION),
                Some("invalid_text")
            );
        }
        for ch in ['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
            assert_eq!(
                code("d", &format!("x{ch}y"), PERSON_NAME),
                Some("invalid_text")
            );
        }
        // Ordinary punctuation, CJK, emoji and marks pass.
        assert_eq!(code("d", "退款 ¥50 — 已完成 ✅ «ok» é", DESCRIPTION), None);
    }

    #[test]
    fn a_bad_character_is_reported_before_the_length() {
        let long = format!("{}\u{0}", "a".repeat(10));
        assert_eq!(code("n", &long, line(5)), Some("invalid_text"));
    }

    #[test]
    fn every_limit_is_listed_once() {
        let mut names = std::collections::BTreeSet::new();
        for (name, limit) in ALL {
            assert!(names.insert(name), "{name}");
            assert!(limit.max_chars > 0);
        }
    }
}
