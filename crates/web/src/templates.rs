//! Templates of every capability, embedded in the binary, with `t()` for translated strings and `loc()` for the
//! field of a bilingual record in the page's language.
use crate::i18n::Translations;
use fluent_bundle::FluentValue;
use megapolis_domain::Lang;
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, Error, ErrorKind, State};
use std::sync::Arc;

fn page_lang(state: &State) -> Lang {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::from_tag))
        .unwrap_or_default()
}

pub fn environment(i18n: Arc<Translations>) -> Environment<'static> {
    let mut env = Environment::new();
    let capabilities = crate::capabilities();
    for (name, source) in capabilities.iter().flat_map(|c| c.templates) {
        // A broken template is a build defect; the test that renders every page catches it.
        if let Err(e) = env.add_template(name, source) {
            tracing::error!("template {name}: {e}");
        }
    }
    let names = i18n.clone();
    // Who did something: a person as recorded, the platform itself in the reader's language.
    env.add_filter("actor", move |state: &State, actor: &str| -> String {
        match actor.strip_prefix("system:") {
            Some(which) => names.get_or(page_lang(state), &format!("actor-system-{which}"), actor),
            None => actor.to_string(),
        }
    });
    env.add_function(
        "t",
        move |state: &State, key: &str, kwargs: Kwargs| -> Result<String, Error> {
            let mut args: Vec<(&str, FluentValue)> = Vec::new();
            for name in kwargs.args() {
                let value: Value = kwargs.get(name)?;
                let fluent = match value.as_i64() {
                    Some(n) => FluentValue::from(n),
                    None => FluentValue::from(value.to_string()),
                };
                args.push((name, fluent));
            }
            Ok(i18n.get(page_lang(state), key, &args))
        },
    );
    env.add_function(
        "loc",
        |state: &State, record: Value, field: &str| -> Result<Value, Error> {
            let lang = page_lang(state);
            let ru = record.get_attr(&format!("{field}_ru"))?;
            let en = record.get_attr(&format!("{field}_en"))?;
            if ru.is_undefined() && en.is_undefined() {
                return Err(Error::new(
                    ErrorKind::UndefinedError,
                    format!("no field {field}_ru/_en"),
                ));
            }
            let text = lang.pick(
                ru.as_str().unwrap_or_default(),
                en.as_str().unwrap_or_default(),
            );
            Ok(Value::from(text.to_string()))
        },
    );
    // The code pages a plain-text decision may be read in, for the import form's choice.
    env.add_global(
        "text_encodings",
        Value::from(megapolis_decisions::encoding::CHOICES.to_vec()),
    );
    // A stored date or moment in the page's language.
    env.add_filter("moment", |state: &State, at: &str| -> String {
        crate::dates::moment(at, page_lang(state))
    });
    env.add_filter("thousands", |n: i64| -> String {
        let digits = n.abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push('\u{a0}');
            }
            out.push(c);
        }
        if n < 0 {
            format!("-{out}")
        } else {
            out
        }
    });
    env
}
