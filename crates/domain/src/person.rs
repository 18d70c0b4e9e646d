//! People: their account, their role, and their memberships in bodies.
use crate::body::{BodyId, Position};
use crate::city::CityCode;
use crate::field::{required_text, FieldErrors};
use crate::role::Role;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A lowercase e-mail address: it is the login.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Option<Email> {
        let raw = raw.trim().to_lowercase();
        let (local, domain) = raw.split_once('@')?;
        let ok = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && raw.len() <= 254
            && !raw
                .chars()
                .any(|c| c.is_whitespace() || c == '<' || c == '>');
        ok.then_some(Email(raw))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub body: BodyId,
    pub position: Position,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: i64,
    pub email: Email,
    pub name: String,
    pub role: Role,
    /// The city a city representative speaks for.
    pub city: Option<CityCode>,
    pub memberships: Vec<Membership>,
    pub active: bool,
}

/// A new person, parsed from a form or the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonDraft {
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub city: Option<CityCode>,
    pub membership: Option<Membership>,
}

/// The raw text of the person form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonInput {
    pub email: String,
    pub name: String,
    pub role: String,
    pub city: String,
    pub body: String,
    pub position: String,
}

impl From<&Person> for PersonInput {
    /// The form of a person as they are, to edit: their first membership in the body picker.
    fn from(person: &Person) -> PersonInput {
        let membership = person.memberships.first();
        PersonInput {
            email: person.email.to_string(),
            name: person.name.clone(),
            role: person.role.as_str().to_string(),
            city: person
                .city
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_default(),
            body: membership
                .map(|m| m.body.as_str().to_string())
                .unwrap_or_default(),
            position: membership
                .map(|m| m.position.as_str().to_string())
                .unwrap_or_default(),
        }
    }
}

impl PersonInput {
    pub fn parse(&self) -> Result<PersonDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let email = Email::parse(&self.email);
        if email.is_none() {
            errors.add("email", "error-email");
        }
        let name = required_text(&mut errors, "name", &self.name, 200);
        let role = self.role.trim().parse::<Role>().ok();
        if role.is_none() {
            errors.add("role", "error-choice");
        }
        let city = match self.city.trim() {
            "" => None,
            raw => {
                let code = CityCode::parse(raw).ok();
                if code.is_none() {
                    errors.add("city", "error-city-code");
                }
                code
            }
        };
        if role == Some(Role::CityRep) && city.is_none() && errors.get("city").is_none() {
            errors.add("city", "error-city-required");
        }
        let membership = match self.body.trim() {
            "" => None,
            raw => {
                let body = BodyId::parse(raw).ok();
                if body.is_none() {
                    errors.add("body", "error-city-code");
                }
                let position = match self.position.trim() {
                    "" => Some(Position::Member),
                    p => p.parse::<Position>().ok(),
                };
                if position.is_none() {
                    errors.add("position", "error-choice");
                }
                body.zip(position)
                    .map(|(body, position)| Membership { body, position })
            }
        };
        if role == Some(Role::BodyMember) && membership.is_none() && errors.get("body").is_none() {
            errors.add("body", "error-body-required");
        }
        match (email, role) {
            (Some(email), Some(role)) if errors.is_empty() => Ok(PersonDraft {
                email,
                name,
                role,
                city,
                membership,
            }),
            _ => Err(errors),
        }
    }
}

/// Rules for a new password, so the same check serves the CLI, the invitation and the profile.
pub fn check_password(password: &str) -> Result<(), &'static str> {
    if password.chars().count() < 10 {
        Err("error-password-short")
    } else if password.len() > 1024 {
        Err("error-too-long")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_folded_and_checked() {
        assert_eq!(
            Email::parse(" Admin@Megapolis.Example ").map(|e| e.to_string()),
            Some("admin@megapolis.example".to_string())
        );
        for bad in ["", "x", "@a.b", "a@b", "a@.b", "a b@c.d"] {
            assert!(Email::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_city_representative_needs_a_city() {
        let input = PersonInput {
            email: "rep@city.example".into(),
            name: "Rep".into(),
            role: "city-rep".into(),
            ..Default::default()
        };
        assert_eq!(
            input.parse().expect_err("no city").get("city"),
            Some("error-city-required")
        );
    }

    #[test]
    fn a_body_member_gets_a_position() {
        let input = PersonInput {
            email: "m@b.example".into(),
            name: "M".into(),
            role: "body-member".into(),
            body: "board".into(),
            ..Default::default()
        };
        let draft = input.parse().expect("valid");
        assert_eq!(draft.membership.map(|m| m.position), Some(Position::Member));
    }
}
