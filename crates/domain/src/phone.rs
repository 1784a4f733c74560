//! Phone numbers, validated and formatted with libphonenumber's data (the
//! `phonenumber` crate), so that `123` is refused, a mobile or fixed line of
//! the site's country is accepted as the agent types it, an international
//! number with its `+` or `00` prefix, and one customer who called from
//! "138-0013-8000" and "+86 138 0013 8000" is recognised as one (repeat
//! detection compares the stored E.164 form).

use phonenumber::metadata::DATABASE;
use phonenumber::{Mode, PhoneNumber, country};
use serde::{Deserialize, Serialize};

/// What kind of line a number is, as libphonenumber classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum PhoneKind {
    Mobile,
    FixedLine,
    /// The numbering plan does not tell the two apart (e.g. North America).
    FixedOrMobile,
    /// Toll-free, shared-cost, VoIP, pager, ...
    Other,
}

/// A phone number that passed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Phone {
    /// `+8613800138000`: what is stored and compared.
    pub e164: String,
    /// How the console shows it: national for the site's country
    /// (`138 0013 8000`), international otherwise (`+44 20 7946 0958`).
    pub display: String,
    pub kind: PhoneKind,
}

/// The site's region for a country calling code (`86` is CN): the main
/// country of that code in libphonenumber's data.
fn region(calling_code: Option<&str>) -> Option<country::Id> {
    let code: u16 = calling_code?.trim().trim_start_matches('+').parse().ok()?;
    let main = DATABASE.by_code(&code)?.into_iter().next()?;
    main.id().parse().ok()
}

/// Full-width digits, plus and separators (as a Chinese keyboard types
/// them) as ASCII; anything but digits, `+`, spaces, dashes, dots and
/// brackets makes the input not a number.
fn ascii_form(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    for ch in raw.trim().chars().map(crate::repeat::fold_width) {
        match ch {
            '0'..='9' | '+' | ' ' | '-' | '.' | '(' | ')' => out.push(ch),
            '\u{3000}' => out.push(' '),
            _ => return None,
        }
    }
    Some(out)
}

fn parse(raw: &str, default_calling_code: Option<&str>) -> Option<PhoneNumber> {
    let ascii = ascii_form(raw)?;
    let compact: String = ascii.chars().filter(|c| !c.is_whitespace()).collect();
    // `00` is the international prefix of most countries, China among them.
    let text = match compact.strip_prefix("00") {
        Some(rest) => format!("+{rest}"),
        None => ascii,
    };
    let number = phonenumber::parse(region(default_calling_code), text).ok()?;
    phonenumber::is_valid(&number).then_some(number)
}

/// Validates `raw` and returns the number in all its forms, or `None` when
/// it is not a valid number: too short or long for its country, not a range
/// in use, letters in it, or a national number on a site without a default
/// country calling code.
pub fn check_phone(raw: &str, default_calling_code: Option<&str>) -> Option<Phone> {
    let number = parse(raw, default_calling_code)?;
    let e164 = number.format().mode(Mode::E164).to_string();
    let site = default_calling_code.map(|c| c.trim().trim_start_matches('+'));
    let national = site == Some(number.code().value().to_string().as_str());
    let display = number
        .format()
        .mode(if national {
            Mode::National
        } else {
            Mode::International
        })
        .to_string();
    let kind = match number.number_type(&DATABASE) {
        phonenumber::Type::Mobile => PhoneKind::Mobile,
        phonenumber::Type::FixedLine => PhoneKind::FixedLine,
        phonenumber::Type::FixedLineOrMobile => PhoneKind::FixedOrMobile,
        _ => PhoneKind::Other,
    };
    Some(Phone {
        e164,
        display,
        kind,
    })
}

/// The E.164 form of a valid number (`+8613800138000`), or `None`.
pub fn normalize_phone(raw: &str, default_calling_code: Option<&str>) -> Option<String> {
    check_phone(raw, default_calling_code).map(|p| p.e164)
}

/// A stored number as the console shows it; a stored value that does not
/// parse (recorded before validation) is shown as it is.
pub fn display_phone(stored: &str, default_calling_code: Option<&str>) -> String {
    check_phone(stored, default_calling_code)
        .map_or_else(|| stored.trim().to_owned(), |p| p.display)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CN: Option<&str> = Some("86");

    #[test]
    fn one_customer_written_many_ways_is_one_number() {
        for raw in [
            "138-0013-8000",
            "13800138000",
            "+86 138 0013 8000",
            "0086 13800138000",
            "１３８－００１３－８０００",
            "+86\u{3000}138 0013 8000",
        ] {
            assert_eq!(
                normalize_phone(raw, CN).as_deref(),
                Some("+8613800138000"),
                "{raw}"
            );
        }
    }

    #[test]
    fn mobile_and_fixed_lines_of_the_site_and_international_numbers() {
        let cases = [
            (
                "138 0013 8000",
                "+8613800138000",
                "138 0013 8000",
                PhoneKind::Mobile,
            ),
            (
                "(010) 6552-1234",
                "+861065521234",
                "010 6552 1234",
                PhoneKind::FixedLine,
            ),
            (
                "021-12345678",
                "+862112345678",
                "021 1234 5678",
                PhoneKind::FixedLine,
            ),
            (
                "+44 20 7946 0958",
                "+442079460958",
                "+44 20 7946 0958",
                PhoneKind::FixedLine,
            ),
            (
                "+1 650 253 0000",
                "+16502530000",
                "+1 650-253-0000",
                PhoneKind::FixedOrMobile,
            ),
        ];
        for (raw, e164, display, kind) in cases {
            let p = check_phone(raw, CN).unwrap_or_else(|| panic!("{raw} refused"));
            assert_eq!(
                (p.e164.as_str(), p.display.as_str(), p.kind),
                (e164, display, kind),
                "{raw}"
            );
        }
    }

    #[test]
    fn refuses_what_is_not_a_number_in_use() {
        for raw in [
            "123",
            "12345678",
            "call me",
            "12",
            "1+2345",
            "",
            "  ",
            "138 0013 800",
            "138 0013 80000",
            "+86 123",
            "95588",
            "138\u{0}0013 8000",
        ] {
            assert_eq!(check_phone(raw, CN), None, "{raw:?}");
        }
    }

    #[test]
    fn without_a_site_country_only_international_numbers_are_accepted() {
        assert_eq!(normalize_phone("138 0013 8000", None), None);
        assert_eq!(
            normalize_phone("+86 138 0013 8000", None).as_deref(),
            Some("+8613800138000")
        );
        assert_eq!(display_phone("+8613800138000", None), "+86 138 0013 8000");
    }

    #[test]
    fn a_stored_value_from_before_validation_shows_as_it_is() {
        assert_eq!(display_phone(" +86123 ", CN), "+86123");
        assert_eq!(display_phone("+8613800138000", CN), "138 0013 8000");
    }
}
