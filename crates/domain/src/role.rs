//! Who a signed-in person is to the platform. Anonymous visitors have no role.
use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Runs the platform: people, roles, the audit log.
    Admin,
    /// Secretariat staff: run the association's work day to day.
    Secretariat,
    /// A member of a body (Board, Expert Council, a commission…).
    BodyMember,
    /// A representative of one member city.
    CityRep,
    /// An expert who evaluates.
    Expert,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Secretariat,
        Role::BodyMember,
        Role::CityRep,
        Role::Expert,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Secretariat => "secretariat",
            Role::BodyMember => "body-member",
            Role::CityRep => "city-rep",
            Role::Expert => "expert",
        }
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|r| r.as_str()).collect();
                format!("unknown role {s:?}; one of: {}", known.join(", "))
            })
    }
}

/// Who may use a route. Every route of the portal and the API declares one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    SignedIn,
    Roles(&'static [Role]),
}

impl Access {
    /// Staff who edit the organisation's records.
    pub const STAFF: Access = Access::Roles(&[Role::Admin, Role::Secretariat]);
    pub const ADMIN: Access = Access::Roles(&[Role::Admin]);

    pub fn allows(self, role: Option<Role>) -> bool {
        match self {
            Access::Public => true,
            Access::SignedIn => role.is_some(),
            Access::Roles(roles) => role.is_some_and(|r| roles.contains(&r)),
        }
    }
}
