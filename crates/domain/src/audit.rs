//! The audit log as a hash chain: each record's hash covers its content and the hash before it,
//! so altering or removing any row breaks every hash after it.
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What a change was, before it is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// UTC, RFC 3339.
    pub at: String,
    /// The acting person's e-mail, or `system` for the command line and the demo loader.
    pub actor: String,
    /// `create`, `update`, `delete`, `login`, …
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// A stored record: the entry with its position and hashes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: i64,
    #[serde(flatten)]
    pub entry: AuditEntry,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash before the first record.
/// The actors that are the platform itself rather than a person: the pages name them in the
/// reader's language (`actor-system-…` in the translations).
pub mod actors {
    /// The scheduler of reminders.
    pub const SCHEDULER: &str = "system:scheduler";
    /// The loading of the demo data.
    pub const DEMO: &str = "system:demo";
    /// The command line (`megapolis city import`, `person add`, …).
    pub const CLI: &str = "system:cli";
}

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl AuditEntry {
    /// The hash of this entry placed after `prev_hash`. Fields are length-prefixed so no two
    /// different entries can hash the same text.
    pub fn chain_hash(&self, id: i64, prev_hash: &str) -> String {
        let mut hasher = Sha256::new();
        let json =
            |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
        for field in [
            id.to_string(),
            prev_hash.to_string(),
            self.at.clone(),
            self.actor.clone(),
            self.action.clone(),
            self.entity.clone(),
            self.entity_id.clone(),
            json(&self.before),
            json(&self.after),
        ] {
            hasher.update((field.len() as u64).to_le_bytes());
            hasher.update(field.as_bytes());
        }
        hex::encode(hasher.finalize())
    }
}

/// Where the chain first fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("audit record {id} was altered: its hash does not match its content")]
    Altered { id: i64 },
    #[error(
        "audit record {id} does not follow the record before it: a record was removed or reordered"
    )]
    Unlinked { id: i64 },
    #[error("audit record {expected} is missing: the next record found is {id}")]
    Missing { id: i64, expected: i64 },
    #[error("the checkpoint names {expected} records, but only {found} are left: the newest were removed")]
    Truncated { expected: u64, found: u64 },
    #[error("audit record {id} is not the one the checkpoint names: the log was rewritten")]
    NotTheCheckpoint { id: i64 },
}

/// The head of the chain, kept elsewhere (printed by `megapolis audit checkpoint`, logged daily
/// by the server), so that removing the newest records is noticed: `COUNT:HASH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub records: u64,
    /// The hash of the last record, or [`GENESIS`] for an empty log.
    pub hash: String,
}

impl std::fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.records, self.hash)
    }
}

/// A checkpoint that is not `COUNT:HASH` with a 64-digit hexadecimal hash.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a checkpoint is COUNT:HASH, as `megapolis audit checkpoint` prints it (e.g. 120:9f86d0…), not {0:?}")]
pub struct BadCheckpoint(pub String);

impl std::str::FromStr for Checkpoint {
    type Err = BadCheckpoint;
    fn from_str(text: &str) -> Result<Checkpoint, BadCheckpoint> {
        let bad = || BadCheckpoint(text.to_string());
        let (records, hash) = text.trim().split_once(':').ok_or_else(bad)?;
        let records = records.parse::<u64>().map_err(|_| bad())?;
        let hash = hash.to_ascii_lowercase();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(Checkpoint { records, hash })
    }
}

impl Checkpoint {
    /// The head of a chain read in id order.
    pub fn of(records: &[AuditRecord]) -> Checkpoint {
        Checkpoint {
            records: records.len() as u64,
            hash: records
                .last()
                .map_or_else(|| GENESIS.to_string(), |r| r.hash.clone()),
        }
    }

    /// Whether an intact chain still holds every record up to this checkpoint, unchanged.
    pub fn check(&self, records: &[AuditRecord]) -> Result<(), ChainBreak> {
        let found = records.len() as u64;
        if found < self.records {
            return Err(ChainBreak::Truncated {
                expected: self.records,
                found,
            });
        }
        let at = usize::try_from(self.records).unwrap_or(usize::MAX);
        let hash = match at.checked_sub(1) {
            Some(last) => records.get(last).map(|r| r.hash.as_str()),
            None => Some(GENESIS),
        };
        if hash != Some(self.hash.as_str()) {
            return Err(ChainBreak::NotTheCheckpoint {
                id: i64::try_from(self.records).unwrap_or(i64::MAX),
            });
        }
        Ok(())
    }
}

/// Checks a chain read in id order; returns how many records it checked.
pub fn verify_chain<'a>(
    records: impl IntoIterator<Item = &'a AuditRecord>,
) -> Result<u64, ChainBreak> {
    let mut prev = GENESIS.to_string();
    let mut count = 0;
    for (expected_id, record) in (1..).zip(records) {
        if record.id != expected_id {
            return Err(ChainBreak::Missing {
                id: record.id,
                expected: expected_id,
            });
        }
        if record.prev_hash != prev {
            return Err(ChainBreak::Unlinked { id: record.id });
        }
        if record.entry.chain_hash(record.id, &record.prev_hash) != record.hash {
            return Err(ChainBreak::Altered { id: record.id });
        }
        prev = record.hash.clone();
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_notices_the_newest_records_removed() {
        let records = chain(5);
        let head = Checkpoint::of(&records);
        assert_eq!(head.records, 5);
        let text = head.to_string();
        assert_eq!(text.parse::<Checkpoint>(), Ok(head.clone()));
        assert_eq!(head.check(&records), Ok(()));
        // Two more records since: still fine.
        assert_eq!(Checkpoint::of(&records[..3]).check(&records), Ok(()));
        // The two newest removed: the chain itself is intact, the checkpoint is not.
        assert_eq!(verify_chain(&records[..3]), Ok(3));
        assert_eq!(
            head.check(&records[..3]),
            Err(ChainBreak::Truncated {
                expected: 5,
                found: 3
            })
        );
        let rewritten = Checkpoint {
            records: 5,
            hash: "ab".repeat(32),
        };
        assert_eq!(
            rewritten.check(&records),
            Err(ChainBreak::NotTheCheckpoint { id: 5 })
        );
        assert!("5".parse::<Checkpoint>().is_err());
        assert!("x:abc".parse::<Checkpoint>().is_err());
        assert_eq!(Checkpoint::of(&[]).check(&records), Ok(()));
    }

    fn chain(n: i64) -> Vec<AuditRecord> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|id| {
                let entry = AuditEntry {
                    at: format!("2026-01-01T00:00:{id:02}Z"),
                    actor: "admin@x.example".into(),
                    action: "update".into(),
                    entity: "city".into(),
                    entity_id: "moscow".into(),
                    before: Some(serde_json::json!({"population": id})),
                    after: Some(serde_json::json!({"population": id + 1})),
                };
                let hash = entry.chain_hash(id, &prev);
                let record = AuditRecord {
                    id,
                    entry,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                record
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify_chain(&chain(5)), Ok(5));
    }

    #[test]
    fn an_altered_value_is_found() {
        let mut records = chain(5);
        records[2].entry.after = Some(serde_json::json!({"population": 1}));
        assert_eq!(verify_chain(&records), Err(ChainBreak::Altered { id: 3 }));
    }

    #[test]
    fn a_removed_record_is_found() {
        let mut records = chain(5);
        records.remove(3);
        assert_eq!(
            verify_chain(&records),
            Err(ChainBreak::Missing { id: 5, expected: 4 })
        );
    }

    #[test]
    fn a_rehashed_record_breaks_the_link_after_it() {
        let mut records = chain(5);
        records[1].entry.actor = "intruder".into();
        records[1].hash = records[1].entry.chain_hash(2, &records[1].prev_hash);
        assert_eq!(verify_chain(&records), Err(ChainBreak::Unlinked { id: 3 }));
    }
}
