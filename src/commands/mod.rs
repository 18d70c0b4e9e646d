pub mod decision;
pub mod index;
