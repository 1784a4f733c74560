//! Phone normalisation, so that repeat detection recognises one customer who
//! called from "138-0013-8000" and "+86 138 0013 8000".

/// Normalises a phone number: keeps digits and a leading `+`, turns a leading
/// `00` into `+`, and drops spaces, dashes, dots and brackets. Returns `None`
/// when fewer than 3 digits remain or other characters appear.
pub fn normalize_phone(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let mut out = String::with_capacity(trimmed.len());
    for (i, ch) in trimmed.chars().enumerate() {
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
    (digits >= 3).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::normalize_phone;

    #[test]
    fn strips_separators_and_keeps_plus() {
        assert_eq!(
            normalize_phone(" +86 138-0013 8000 ").as_deref(),
            Some("+8613800138000")
        );
        assert_eq!(
            normalize_phone("(010) 6552.1234").as_deref(),
            Some("01065521234")
        );
        assert_eq!(
            normalize_phone("0086 13800138000").as_deref(),
            Some("+8613800138000")
        );
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(normalize_phone("call me"), None);
        assert_eq!(normalize_phone("12"), None);
        assert_eq!(normalize_phone("1+2345"), None);
        assert_eq!(normalize_phone(""), None);
    }
}
