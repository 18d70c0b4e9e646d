//! Interface strings in Russian and English from Fluent files, with Russian plural forms.
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use megapolis_domain::Lang;

pub struct Translations {
    ru: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

/// The translation files, one pair (Russian, English) per capability.
fn files() -> Vec<(&'static str, &'static str)> {
    crate::capabilities()
        .iter()
        .flat_map(|c| c.locales.iter().copied())
        .collect()
}

fn bundle(lang: &str, sources: impl Iterator<Item = &'static str>) -> FluentBundle<FluentResource> {
    let locale = lang.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![locale]);
    bundle.set_use_isolating(false);
    for source in sources {
        // The files are part of the build; a syntax error in them fails the unit test below.
        let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(res, _)| res);
        let _ = bundle.add_resource(resource);
    }
    bundle
}

impl Translations {
    pub fn load() -> Translations {
        Translations {
            ru: bundle("ru", files().into_iter().map(|(ru, _)| ru)),
            en: bundle("en", files().into_iter().map(|(_, en)| en)),
        }
    }

    /// The message `key` in `lang`, or `fallback` when there is none (a code the files do not
    /// name yet, such as an action a newer capability records).
    pub fn get_or(&self, lang: Lang, key: &str, fallback: &str) -> String {
        let text = self.get(lang, key, &[]);
        if text == key {
            fallback.to_string()
        } else {
            text
        }
    }

    /// The message `key` in `lang`; the key itself when it is missing, so a gap shows.
    pub fn get(&self, lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let bundle = match lang {
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = vec![];
        bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(source: &str) -> Vec<String> {
        source
            .lines()
            .filter(|l| !l.starts_with([' ', '#', '\t']) && l.contains(" ="))
            .filter_map(|l| l.split(" =").next().map(str::to_string))
            .collect()
    }

    #[test]
    fn both_languages_have_the_same_keys_and_parse() {
        let mut all_keys = Vec::new();
        for (ru, en) in files() {
            for source in [ru, en] {
                assert!(FluentResource::try_new(source.to_string()).is_ok());
            }
            let (mut ru_keys, mut en_keys) = (keys(ru), keys(en));
            ru_keys.sort();
            en_keys.sort();
            assert_eq!(ru_keys, en_keys);
            all_keys.extend(ru_keys);
        }
        let count = all_keys.len();
        all_keys.sort();
        all_keys.dedup();
        assert_eq!(all_keys.len(), count, "a key is defined in two files");
    }

    #[test]
    fn russian_plurals_follow_one_few_many() {
        let t = Translations::load();
        let cities = |n: i64| t.get(Lang::Ru, "cities-count", &[("count", n.into())]);
        assert_eq!(cities(1), "1 город");
        assert_eq!(cities(3), "3 города");
        assert_eq!(cities(5), "5 городов");
        assert_eq!(cities(21), "21 город");
        assert_eq!(
            t.get(Lang::En, "cities-count", &[("count", 1.into())]),
            "1 city"
        );
        assert_eq!(
            t.get(Lang::En, "cities-count", &[("count", 36.into())]),
            "36 cities"
        );
    }
}
