//! JSON Canonicalization Scheme (RFC 8785) for the JSON this crate produces: object members
//! sorted by the UTF-16 code units of their names, no whitespace, strings escaped as
//! ECMAScript's `JSON.stringify` does (which is what serde_json writes: `\"`, `\\`, the short
//! escapes and `\u00xx` in lower case for other control characters, everything else literal).
//! Numbers: integers are written as they are; the credentials carry no fractions, and a float is
//! written by serde_json's shortest round-trip form, which agrees with ECMAScript for the
//! magnitudes a certificate could hold (not for exponents ≥ 21, which none does).
use serde_json::Value;

/// The canonical form of a JSON value.
pub fn canonicalize(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            out.push_str(&value.to_string())
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut names: Vec<&String> = members.keys().collect();
            // RFC 8785 §3.2.3: by UTF-16 code units, not by UTF-8 bytes or chars.
            names.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, name) in names.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(name.clone()).to_string());
                out.push(':');
                write(&members[name], out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn members_are_sorted_and_whitespace_dropped() {
        let value = json!({"b": [1, {"z": null, "a": true}], "a": "x\ny", "é": 1, "\u{10000}": 2, "\u{ff61}": 3});
        // U+10000 is the surrogate pair D800 DC00, which sorts before U+FF61 in UTF-16.
        assert_eq!(
            canonicalize(&value),
            "{\"a\":\"x\\ny\",\"b\":[1,{\"a\":true,\"z\":null}],\"é\":1,\"\u{10000}\":2,\"\u{ff61}\":3}"
        );
    }

    #[test]
    fn control_characters_are_escaped_in_lower_case() {
        assert_eq!(canonicalize(&json!("\u{1f}\"\\")), "\"\\u001f\\\"\\\\\"");
    }
}
