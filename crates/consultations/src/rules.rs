//! Who may do what with a consultation: which city a person may speak for, and who sees the
//! suggested groups.
use megapolis_domain::{CityCode, Person, Role};

/// The body whose members review submissions with the Secretariat.
pub const COUNCIL_BODY: &str = "expert-council";

/// Why a submission is refused; nothing is saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the consultation is closed and takes no more submissions")]
    Closed,
    #[error("city: no member city has the code {0:?}")]
    UnknownCity(String),
    #[error("city: you may submit only for your own city")]
    NotYourCity,
}

impl Refusal {
    /// A stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Closed => "consultation_closed",
            Refusal::UnknownCity(_) => "unknown_city",
            Refusal::NotYourCity => "not_your_city",
        }
    }
}

/// The city a submission speaks for. The Secretariat and administrators submit for any city (what
/// came by e-mail) or none; a city representative for their own city (the default when none is
/// named); anyone else as a participant, for no city.
pub fn city_for(person: &Person, asked: Option<&CityCode>) -> Result<Option<CityCode>, Refusal> {
    match (person.role, asked) {
        (Role::Admin | Role::Secretariat, asked) => Ok(asked.cloned()),
        (Role::CityRep, None) => Ok(person.city.clone()),
        (Role::CityRep, Some(city)) if person.city.as_ref() == Some(city) => Ok(Some(city.clone())),
        (_, None) => Ok(None),
        (_, Some(_)) => Err(Refusal::NotYourCity),
    }
}

/// Members of the Expert Council, the Secretariat and administrators see the suggested groups
/// and the most similar submissions.
pub fn may_review(person: &Person) -> bool {
    match person.role {
        Role::Admin | Role::Secretariat => true,
        Role::BodyMember => person
            .memberships
            .iter()
            .any(|m| m.body.as_str() == COUNCIL_BODY),
        Role::CityRep | Role::Expert => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use megapolis_domain::{BodyId, Email, Membership, Position};

    fn person(role: Role, city: Option<&str>, body: Option<&str>) -> Person {
        Person {
            id: 1,
            email: Email::parse("p@x.example").expect("email"),
            name: "P".into(),
            role,
            city: city.map(|c| CityCode::parse(c).expect("code")),
            memberships: body
                .map(|b| Membership {
                    body: BodyId::parse(b).expect("id"),
                    position: Position::Member,
                })
                .into_iter()
                .collect(),
            active: true,
        }
    }

    #[test]
    fn a_city_representative_speaks_for_their_own_city_only() {
        let rep = person(Role::CityRep, Some("minsk"), None);
        let minsk = CityCode::parse("minsk").ok();
        let almaty = CityCode::parse("almaty").ok();
        assert_eq!(city_for(&rep, None), Ok(minsk.clone()));
        assert_eq!(city_for(&rep, minsk.as_ref()), Ok(minsk.clone()));
        assert_eq!(city_for(&rep, almaty.as_ref()), Err(Refusal::NotYourCity));
        let staff = person(Role::Secretariat, None, Some("secretariat"));
        assert_eq!(city_for(&staff, almaty.as_ref()), Ok(almaty.clone()));
        let expert = person(Role::Expert, None, None);
        assert_eq!(city_for(&expert, None), Ok(None));
        assert_eq!(
            city_for(&expert, almaty.as_ref()),
            Err(Refusal::NotYourCity)
        );
    }

    #[test]
    fn the_council_and_staff_review_others_do_not() {
        assert!(may_review(&person(
            Role::BodyMember,
            None,
            Some(COUNCIL_BODY)
        )));
        assert!(!may_review(&person(Role::BodyMember, None, Some("board"))));
        assert!(may_review(&person(Role::Admin, None, None)));
        assert!(!may_review(&person(Role::CityRep, Some("minsk"), None)));
    }
}
