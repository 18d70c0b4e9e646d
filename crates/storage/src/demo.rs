//! The demo organisation: real member cities, the bodies of the example decisions, and one
//! person for every role, so a newcomer sees everything at first start.
use crate::org::Association;
use crate::{StorageError, Store};
use megapolis_domain::body::parse_bodies_csv;
use megapolis_domain::city::CityInput;
use megapolis_domain::password::hash_password;
use megapolis_domain::person::PersonInput;

const CITIES_CSV: &str = include_str!("../demo/cities.csv");
const BODIES_CSV: &str = include_str!("../demo/bodies.csv");

/// A demo login, printed by `serve --demo`.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub email: &'static str,
    pub password: &'static str,
    pub role: &'static str,
    pub name: &'static str,
    pub city: &'static str,
    pub body: &'static str,
    pub position: &'static str,
}

pub const DEMO_LOGINS: &[DemoLogin] = &[
    DemoLogin {
        email: "admin@megapolis.example",
        password: "demo-admin-pass",
        role: "admin",
        name: "Анна Администратова",
        city: "",
        body: "",
        position: "",
    },
    DemoLogin {
        email: "secretariat@megapolis.example",
        password: "demo-secretariat-pass",
        role: "secretariat",
        name: "Сергей Секретарёв",
        city: "",
        body: "secretariat",
        position: "secretary",
    },
    DemoLogin {
        email: "board@megapolis.example",
        password: "demo-board-pass",
        role: "body-member",
        name: "Борис Правлин",
        city: "",
        body: "board",
        position: "chair",
    },
    DemoLogin {
        email: "council@megapolis.example",
        password: "demo-council-pass",
        role: "body-member",
        name: "Елена Экспертова",
        city: "",
        body: "expert-council",
        position: "member",
    },
    DemoLogin {
        email: "minsk@megapolis.example",
        password: "demo-city-pass",
        role: "city-rep",
        name: "Виктор Минский",
        city: "minsk",
        body: "",
        position: "",
    },
    DemoLogin {
        email: "expert@megapolis.example",
        password: "demo-expert-pass",
        role: "expert",
        name: "Ирина Оценщикова",
        city: "",
        body: "",
        position: "",
    },
];

pub const DEMO_ACTOR: &str = "system:demo";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("demo data, {file} row {row}: {message}")]
    Data {
        file: &'static str,
        row: usize,
        message: String,
    },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Loads the demo organisation into an empty database; a database that already has cities is
/// left as it is, so `serve --demo` can be restarted without duplicating anything.
pub async fn load_demo(store: &Store) -> Result<bool, DemoError> {
    if !store.cities().await?.is_empty() {
        return Ok(false);
    }
    store
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
    store.save_bodies(DEMO_ACTOR, &bodies).await?;
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
        store.save_city(DEMO_ACTOR, &city).await?;
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
        store.create_person(DEMO_ACTOR, &draft, Some(&hash)).await?;
    }
    Ok(true)
}

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
