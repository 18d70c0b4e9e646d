//! The demo organisation: the association, real member cities, the bodies of the example
//! decisions and one person for every role.
use super::{DemoError, DEMO_ACTOR, DEMO_LOGINS};
use crate::org::Association;
use crate::Store;
use megapolis_domain::body::parse_bodies_csv;
use megapolis_domain::city::CityInput;
use megapolis_domain::password::hash_password;
use megapolis_domain::person::PersonInput;

/// The association, its bodies, its member cities and one person for every role.
pub(super) async fn load(store: &Store) -> Result<(), DemoError> {
    store
        .org()
        .set_association(
            DEMO_ACTOR,
            &Association {
                name_ru: "Международная ассамблея столиц и крупных городов".into(),
                name_en: "International Assembly of Capitals and Major Cities".into(),
                short_ru: "МАГ".into(),
                short_en: "MAG".into(),
            },
        )
        .await?;
    let bodies = parse_bodies_csv("bodies.csv", BODIES_CSV).map_err(|e| DemoError::Data {
        file: "bodies.csv",
        row: 0,
        message: e.to_string(),
    })?;
    store.org().save_bodies(DEMO_ACTOR, &bodies).await?;
    let mut reader = csv::Reader::from_reader(CITIES_CSV.as_bytes());
    for (index, record) in reader.deserialize::<DemoCityRow>().enumerate() {
        let data_error = |message: String| DemoError::Data {
            file: "cities.csv",
            row: index + 2,
            message,
        };
        let row = record.map_err(|e| data_error(e.to_string()))?;
        let city = row
            .into_input()
            .parse()
            .map_err(|e| data_error(e.to_string()))?;
        store.org().save_city(DEMO_ACTOR, &city).await?;
    }
    for login in DEMO_LOGINS {
        let input = PersonInput {
            email: login.email.into(),
            name: login.name.into(),
            role: login.role.into(),
            city: login.city.into(),
            body: login.body.into(),
            position: login.position.into(),
        };
        let draft = input.parse().map_err(|e| DemoError::Data {
            file: "DEMO_LOGINS",
            row: 0,
            message: e.to_string(),
        })?;
        let hash = hash_password(login.password).map_err(|e| DemoError::Data {
            file: "DEMO_LOGINS",
            row: 0,
            message: e.to_string(),
        })?;
        store
            .accounts()
            .create_person(DEMO_ACTOR, &draft, Some(&hash))
            .await?;
    }
    Ok(())
}

const CITIES_CSV: &str = include_str!("../../demo/cities.csv");

const BODIES_CSV: &str = include_str!("../../demo/bodies.csv");

#[derive(serde::Deserialize)]
struct DemoCityRow {
    code: String,
    name_ru: String,
    name_en: String,
    country_code: String,
    country_ru: String,
    country_en: String,
    population: String,
    status: String,
    member_since: String,
    lat: String,
    lon: String,
}

impl DemoCityRow {
    fn into_input(self) -> CityInput {
        CityInput {
            code: self.code,
            name_ru: self.name_ru,
            name_en: self.name_en,
            country_code: self.country_code,
            country_ru: self.country_ru,
            country_en: self.country_en,
            population: self.population,
            status: self.status,
            member_since: self.member_since,
            latitude: self.lat,
            longitude: self.lon,
        }
    }
}
