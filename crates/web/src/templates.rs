//! Templates, embedded in the binary, with `t()` for translated strings and `loc()` for the
//! field of a bilingual record in the page's language.
use crate::i18n::Translations;
use fluent_bundle::FluentValue;
use megapolis_domain::Lang;
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, Error, ErrorKind, State};
use std::sync::Arc;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("cities.html", include_str!("../templates/cities.html")),
    ("city.html", include_str!("../templates/city.html")),
    ("bodies.html", include_str!("../templates/bodies.html")),
    ("body.html", include_str!("../templates/body.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("profile.html", include_str!("../templates/profile.html")),
    (
        "invitation.html",
        include_str!("../templates/invitation.html"),
    ),
    (
        "admin_cities.html",
        include_str!("../templates/admin_cities.html"),
    ),
    (
        "admin_city_form.html",
        include_str!("../templates/admin_city_form.html"),
    ),
    (
        "admin_bodies.html",
        include_str!("../templates/admin_bodies.html"),
    ),
    (
        "admin_people.html",
        include_str!("../templates/admin_people.html"),
    ),
    (
        "admin_audit.html",
        include_str!("../templates/admin_audit.html"),
    ),
    ("error.html", include_str!("../templates/error.html")),
    (
        "admin_tabs.html",
        include_str!("../templates/admin_tabs.html"),
    ),
    (
        "decisions.html",
        include_str!("../templates/decisions.html"),
    ),
    ("decision.html", include_str!("../templates/decision.html")),
    (
        "assignments.html",
        include_str!("../templates/assignments.html"),
    ),
    (
        "assignment.html",
        include_str!("../templates/assignment.html"),
    ),
    (
        "assignment_macros.html",
        include_str!("../templates/assignment_macros.html"),
    ),
    (
        "decisions_import.html",
        include_str!("../templates/decisions_import.html"),
    ),
    (
        "decision_review.html",
        include_str!("../templates/decision_review.html"),
    ),
    ("control.html", include_str!("../templates/control.html")),
    (
        "control_macros.html",
        include_str!("../templates/control_macros.html"),
    ),
    ("inbox.html", include_str!("../templates/inbox.html")),
];

fn page_lang(state: &State) -> Lang {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::from_tag))
        .unwrap_or_default()
}

pub fn environment(i18n: Arc<Translations>) -> Environment<'static> {
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        // A broken template is a build defect; the test that renders every page catches it.
        if let Err(e) = env.add_template(name, source) {
            tracing::error!("template {name}: {e}");
        }
    }
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
