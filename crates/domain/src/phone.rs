//! Phone normalisation, so that repeat detection recognises one customer who
//! called from "138-0013-8000" and "+86 138 0013 8000".

/// Normalises a phone number towards E.164: drops spaces, dashes, dots and
/// brackets (full-width ones too, as a Chinese keyboard types them), turns a leading `00` into `+`, and, when the site has a default
/// country calling code (`86` in China), writes national numbers as
/// international ones, dropping the trunk prefix `0` (`010 6552 1234` becomes
/// `+861065521234`, `138 0013 8000` becomes `+8613800138000`). Returns `None`
/// when fewer than 3 digits remain or other characters appear.
pub fn normalize_phone(raw: &str, default_calling_code: Option<&str>) -> Option<String> {
    let trimmed = raw.trim();
    let mut out = String::with_capacity(trimmed.len());
    for (i, ch) in trimmed.chars().map(crate::repeat::fold_width).enumerate() {
        match ch {
            '0'..='9' => out.push(ch),
            '+' if i == 0 => out.push('+'),
            ' ' | '-' | '.' | '(' | ')' | '\u{3000}' => {}
            _ => return None,
        }
    }
    if let Some(rest) = out.strip_prefix("00") {
        out = format!("+{rest}");
    }
    let digits = out.chars().filter(char::is_ascii_digit).count();
    if digits < 3 {
        return None;
    }
    match default_calling_code {
        Some(cc) if !out.starts_with('+') => {
            let national = out.strip_prefix('0').unwrap_or(&out);
            Some(format!("+{cc}{national}"))
        }
        _ => Some(out),
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_phone;

    #[test]
    fn strips_separators_and_keeps_plus() {
        let n = |raw| normalize_phone(raw, None);
        assert_eq!(n(" +86 138-0013 8000 ").as_deref(), Some("+8613800138000"));
        assert_eq!(n("(010) 6552.1234").as_deref(), Some("01065521234"));
        assert_eq!(n("0086 13800138000").as_deref(), Some("+8613800138000"));
    }

    #[test]
    fn one_customer_written_three_ways_is_one_number() {
        let n = |raw| normalize_phone(raw, Some("86"));
        for raw in ["138-0013-8000", "+86 138 0013 8000", "0086 13800138000"] {
            assert_eq!(n(raw).as_deref(), Some("+8613800138000"), "{raw}");
        }
        assert_eq!(n("(010) 6552-1234").as_deref(), Some("+861065521234"));
        assert_eq!(n("+1 212 555 0100").as_deref(), Some("+12125550100"));
        assert_eq!(
            n("１３８－００１３－８０００").as_deref(),
            Some("+8613800138000")
        );
    }

    #[test]
    fn rejects_garbage() {
        for raw in ["call me", "12", "1+2345", ""] {
            assert_eq!(normalize_phone(raw, Some("86")), None, "{raw}");
        }
    }
}
