//! The organisation of the association as types that parse, not validate.
//!
//! Nothing here knows of HTTP or SQL: the storage crate stores these types and the web crate
//! renders them. A form or a CSV row becomes a domain value through a parser once, so the rest of
//! the code never checks it again.

pub mod audit;
pub mod body;
pub mod city;
pub mod field;
pub mod file;
pub mod lang;
pub mod login;
pub mod notice;
pub mod password;
pub mod person;
pub mod role;

pub use audit::{AuditEntry, AuditRecord, ChainBreak};
pub use body::{Body, BodyId, BodyKind, Position};
pub use city::{City, CityCode, MembershipStatus};
pub use field::{FieldError, FieldErrors};
pub use lang::Lang;
pub use person::{Email, Membership, Person, PersonDraft};
pub use role::Role;
