//! The parser never panics, whatever the text.
use megapolis_decisions::{default_bodies, parse, Directory};
use proptest::prelude::*;

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1. ".to_string()),
        Just("1.1. ".to_string()),
        Just("1.2) ".to_string()),
        Just("2.1 ".to_string()),
        Just("\n".to_string()),
        Just("\t".to_string()),
        Just("\u{a0}".to_string()),
        Just("РЕШЕНИЕ ".to_string()),
        Just("Восемнадцатой сессии ".to_string()),
        Just("2 июня 2010 года ".to_string()),
        Just("Секретариату МАГ ".to_string()),
        Just("совместно с ".to_string()),
        Just("Рекомендовать ".to_string()),
        Just("Поручить ".to_string()),
        Just("подготовить ".to_string()),
        Just("до 31 февраля 2011 года ".to_string()),
        Just("ежегодно, до 29 февраля ".to_string()),
        Just("в срок до ".to_string()),
        Just("в 99-месячный срок ".to_string()),
        Just("ежеквартально ".to_string()),
        Just("The Secretariat of MAG shall ".to_string()),
        Just("jointly with ".to_string()),
        Just("Instruct to ".to_string()),
        Just("by 1 February 9999 ".to_string()),
        Just("within 999 years ".to_string()),
        Just("Контроль за выполнением возложить на ".to_string()),
        Just("«".to_string()),
        Just("» – — ".to_string()),
        Just(", ".to_string()),
        Just(". ".to_string()),
        "[а-яА-ЯёЁa-zA-Z0-9 .,;:()«»\"–—-]{0,12}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        let _ = parse(&s, &default_bodies());
    }

    #[test]
    fn decision_like_strings_never_panic(parts in proptest::collection::vec(fragment(), 0..60)) {
        let text = parts.concat();
        let directory = Directory::new(&default_bodies());
        if let Ok(d) = megapolis_decisions::parse_with(&text, &directory) {
            prop_assert!(!d.items.is_empty());
            let _ = d.to_spec_json_pretty();
        }
    }
}

#[test]
fn huge_numbers_and_dates_do_not_overflow() {
    let text = "РЕШЕНИЕ\n31 декабря 9999 года\n1. О.\n1.1. Секретариату МАГ в 999-месячный срок подготовить.\n1.2. Секретариату МАГ ежегодно, до 29 февраля, представлять.\n1.3. Секретариату МАГ в течение 999 лет подготовить.\n";
    let d = parse(text, &default_bodies()).expect("parses");
    assert_eq!(d.assignments.len(), 3);
}
