//! The certificate as an Open Badges 3.0 `OpenBadgeCredential` (a W3C Verifiable Credential,
//! data model 2.0), secured with a Data Integrity proof of the `eddsa-jcs-2022` cryptosuite:
//!
//! 1. the proof configuration is the proof without `proofValue`, with the document's `@context`;
//! 2. hash data = SHA-256(JCS(proof configuration)) ‖ SHA-256(JCS(document without `proof`));
//! 3. `proofValue` = multibase base58btc (`z…`) of the Ed25519 signature of the hash data.
//!
//! The issuer is a `did:key`: `did:key:z` + base58btc(0xed 0x01 ‖ public key), and the proof's
//! `verificationMethod` is `did:key:z…#z…`. Anyone can verify a credential offline with the
//! public key the DID holds. Signing takes the key's 32 seed bytes; where they are kept is the
//! caller's business.
use crate::jcs::canonicalize;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub const CRYPTOSUITE: &str = "eddsa-jcs-2022";
pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The multicodec prefix of an Ed25519 public key (ed25519-pub, varint 0xed).
const ED25519_PUB: [u8; 2] = [0xed, 0x01];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    #[error("the credential has no proof")]
    NoProof,
    #[error("the proof is not a DataIntegrityProof of eddsa-jcs-2022")]
    WrongSuite,
    #[error("the verification method is not an Ed25519 did:key")]
    BadKey,
    #[error("the issuer is not the proof's key")]
    IssuerMismatch,
    #[error("the proof value is not a multibase base58btc Ed25519 signature")]
    BadProofValue,
    #[error("the signature does not match the credential")]
    BadSignature,
    #[error("the credential is not a JSON object")]
    NotAnObject,
}

/// The issuer's key from its 32 seed bytes.
pub fn signing_key(seed: &[u8; 32]) -> SigningKey {
    SigningKey::from_bytes(seed)
}

/// The `did:key` of a public key.
pub fn did_key(public: &VerifyingKey) -> String {
    let mut bytes = ED25519_PUB.to_vec();
    bytes.extend_from_slice(public.as_bytes());
    format!("did:key:z{}", bs58::encode(bytes).into_string())
}

/// The public key a `did:key` (or `did:key:…#…` verification method) holds.
pub fn public_key_of(did: &str) -> Result<VerifyingKey, CredentialError> {
    let did = did.split('#').next().unwrap_or_default();
    let encoded = did
        .strip_prefix("did:key:z")
        .ok_or(CredentialError::BadKey)?;
    let bytes = bs58::decode(encoded)
        .into_vec()
        .map_err(|_| CredentialError::BadKey)?;
    let key = bytes
        .strip_prefix(&ED25519_PUB)
        .ok_or(CredentialError::BadKey)?;
    let key: [u8; 32] = key.try_into().map_err(|_| CredentialError::BadKey)?;
    VerifyingKey::from_bytes(&key).map_err(|_| CredentialError::BadKey)
}

/// The verification method of a `did:key`: the DID with its key as the fragment.
pub fn verification_method(did: &str) -> String {
    let fragment = did.strip_prefix("did:key:").unwrap_or(did);
    format!("{did}#{fragment}")
}

/// What a certificate says; the credential is built from it.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateContent {
    /// The verification code, part of the credential's and the page's addresses.
    pub code: String,
    pub recipient_name: String,
    pub achievement_id: String,
    pub achievement_name: String,
    pub achievement_description: String,
    pub hours: u32,
    pub partner: String,
    pub cohort_title: String,
    pub activity_start: OffsetDateTime,
    pub activity_end: OffsetDateTime,
    pub issuer_name: String,
    pub issuer_url: String,
    pub credential_url: String,
    pub issued_at: OffsetDateTime,
    pub valid_until: Option<OffsetDateTime>,
}

fn moment(at: OffsetDateTime) -> String {
    // Whole seconds in UTC: the text is signed, so it must read back identically.
    at.replace_nanosecond(0)
        .unwrap_or(at)
        .to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// The unsigned Open Badges 3.0 credential. The recipient is named (an `IdentityObject` of
/// type `name`), never their e-mail: a certificate shows only what its holder shares.
pub fn unsigned_credential(content: &CertificateContent, issuer_did: &str) -> Value {
    let mut credential = json!({
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": content.credential_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": content.achievement_name,
        "issuer": {
            "id": issuer_did,
            "type": ["Profile"],
            "name": content.issuer_name,
            "url": content.issuer_url,
        },
        "validFrom": moment(content.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "identityHash": content.recipient_name,
                "identityType": "name",
                "hashed": false,
            }],
            "activityStartDate": moment(content.activity_start),
            "activityEndDate": moment(content.activity_end),
            "achievement": {
                "id": content.achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": content.achievement_name,
                "description": content.achievement_description,
                "criteria": {
                    "narrative": format!(
                        "Completed the cohort «{}» ({} academic hours, run by {}): the minimum attendance and a passed assessment.",
                        content.cohort_title, content.hours, content.partner
                    ),
                },
                "humanCode": content.code,
            },
        },
    });
    if let (Some(until), Some(object)) = (content.valid_until, credential.as_object_mut()) {
        object.insert("validUntil".into(), Value::String(moment(until)));
    }
    credential
}

fn hash_data(document: &Value, proof_config: &Value) -> Vec<u8> {
    let mut data = Sha256::digest(canonicalize(proof_config).as_bytes()).to_vec();
    data.extend_from_slice(&Sha256::digest(canonicalize(document).as_bytes()));
    data
}

/// The proof configuration: the proof without its value, with the document's `@context`.
fn proof_config(document: &Value, proof: &Value) -> Value {
    let mut config = proof.clone();
    if let Some(object) = config.as_object_mut() {
        object.remove("proofValue");
        if let Some(context) = document.get("@context") {
            object.insert("@context".into(), context.clone());
        }
    }
    config
}

/// Signs a credential: adds the `eddsa-jcs-2022` proof made with the key of `seed`.
pub fn sign(
    unsigned: &Value,
    seed: &[u8; 32],
    created: OffsetDateTime,
) -> Result<Value, CredentialError> {
    let key = signing_key(seed);
    let did = did_key(&key.verifying_key());
    let mut proof = json!({
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": moment(created),
        "verificationMethod": verification_method(&did),
        "proofPurpose": "assertionMethod",
    });
    let mut document = unsigned.clone();
    let object = document
        .as_object_mut()
        .ok_or(CredentialError::NotAnObject)?;
    object.remove("proof");
    let data = hash_data(
        &Value::Object(object.clone()),
        &proof_config(unsigned, &proof),
    );
    let signature = key.sign(&data);
    if let Some(proof) = proof.as_object_mut() {
        proof.insert(
            "proofValue".into(),
            Value::String(format!(
                "z{}",
                bs58::encode(signature.to_bytes()).into_string()
            )),
        );
    }
    object.insert("proof".into(), proof);
    Ok(document)
}

/// Verifies a secured credential against the key its proof names, and that this key is the
/// credential's issuer. Returns the issuer's DID. Whether that DID is the association's is the
/// caller's question.
pub fn verify(secured: &Value) -> Result<String, CredentialError> {
    let object = secured.as_object().ok_or(CredentialError::NotAnObject)?;
    let proof = object.get("proof").ok_or(CredentialError::NoProof)?;
    if proof.get("type").and_then(Value::as_str) != Some("DataIntegrityProof")
        || proof.get("cryptosuite").and_then(Value::as_str) != Some(CRYPTOSUITE)
    {
        return Err(CredentialError::WrongSuite);
    }
    let method = proof
        .get("verificationMethod")
        .and_then(Value::as_str)
        .ok_or(CredentialError::BadKey)?;
    let public = public_key_of(method)?;
    let did = did_key(&public);
    let issuer = object.get("issuer").and_then(|issuer| {
        issuer
            .get("id")
            .and_then(Value::as_str)
            .or_else(|| issuer.as_str())
    });
    if issuer != Some(did.as_str()) {
        return Err(CredentialError::IssuerMismatch);
    }
    let value = proof
        .get("proofValue")
        .and_then(Value::as_str)
        .and_then(|v| v.strip_prefix('z'))
        .ok_or(CredentialError::BadProofValue)?;
    let bytes = bs58::decode(value)
        .into_vec()
        .map_err(|_| CredentialError::BadProofValue)?;
    let bytes: [u8; 64] = bytes
        .try_into()
        .map_err(|_| CredentialError::BadProofValue)?;
    let signature = Signature::from_bytes(&bytes);
    let mut document = object.clone();
    document.remove("proof");
    let document = Value::Object(document);
    let data = hash_data(&document, &proof_config(&document, proof));
    public
        .verify(&data, &signature)
        .map_err(|_| CredentialError::BadSignature)?;
    Ok(did)
}

/// A certificate's standing, as the verification page and the status endpoint say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Valid,
    Expired,
    Revoked,
    /// The stored credential no longer verifies (altered, or not signed by the association).
    Invalid,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Expired => "expired",
            Status::Revoked => "revoked",
            Status::Invalid => "invalid",
        }
    }

    /// Invalid before revoked before expired: a broken proof makes the rest meaningless, and a
    /// revocation is news the holder needs even after the certificate expired.
    pub fn of(
        verified: bool,
        revoked: bool,
        valid_until: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> Status {
        if !verified {
            Status::Invalid
        } else if revoked {
            Status::Revoked
        } else if valid_until.is_some_and(|until| until < now) {
            Status::Expired
        } else {
            Status::Valid
        }
    }
}

/// `validUntil` of a credential, if it has one.
pub fn valid_until_of(credential: &Value) -> Option<OffsetDateTime> {
    credential
        .get("validUntil")
        .and_then(Value::as_str)
        .and_then(|text| OffsetDateTime::parse(text, &Rfc3339).ok())
}

/// A verification code from random bytes: groups of Crockford base32 (no I, L, O, U), easy to
/// read aloud and to type from paper.
pub fn code_from_bytes(bytes: &[u8; 10]) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bits: u128 = 0;
    for byte in bytes {
        bits = (bits << 8) | u128::from(*byte);
    }
    let symbols: String = (0..16)
        .map(|i| {
            let index = ((bits >> (75 - 5 * i)) & 31) as usize;
            char::from(ALPHABET[index])
        })
        .collect();
    format!(
        "{}-{}-{}-{}",
        &symbols[0..4],
        &symbols[4..8],
        &symbols[8..12],
        &symbols[12..16]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const SEED: [u8; 32] = [7; 32];

    fn content() -> CertificateContent {
        CertificateContent {
            code: "ABCD-EFGH-JKMN-PQRS".into(),
            recipient_name: "Анна Иванова".into(),
            achievement_id: "https://megapolis.example/training/programmes/1".into(),
            achievement_name: "Data management in city administrations".into(),
            achievement_description: "Open data, registers, quality.".into(),
            hours: 72,
            partner: "University".into(),
            cohort_title: "Spring 2026".into(),
            activity_start: datetime!(2026-03-01 0:00 UTC),
            activity_end: datetime!(2026-03-20 0:00 UTC),
            issuer_name: "Association".into(),
            issuer_url: "https://megapolis.example".into(),
            credential_url: "https://megapolis.example/api/v1/certificates/ABCD-EFGH-JKMN-PQRS"
                .into(),
            issued_at: datetime!(2026-03-21 10:00 UTC),
            valid_until: Some(datetime!(2029-03-21 10:00 UTC)),
        }
    }

    fn signed() -> Value {
        let did = did_key(&signing_key(&SEED).verifying_key());
        sign(
            &unsigned_credential(&content(), &did),
            &SEED,
            datetime!(2026-03-21 10:00 UTC),
        )
        .expect("signed")
    }

    #[test]
    fn a_signed_credential_verifies_and_names_its_issuer() {
        let credential = signed();
        let did = verify(&credential).expect("verifies");
        assert!(did.starts_with("did:key:z6Mk"), "{did}");
        assert_eq!(credential["issuer"]["id"], did);
        assert_eq!(credential["type"][1], "OpenBadgeCredential");
        assert!(credential["proof"]["proofValue"]
            .as_str()
            .is_some_and(|v| v.starts_with('z')));
        assert_eq!(public_key_of(&did), Ok(signing_key(&SEED).verifying_key()));
    }

    #[test]
    fn changing_one_character_breaks_the_signature() {
        let mut credential = signed();
        credential["credentialSubject"]["identifier"][0]["identityHash"] =
            Value::String("Анна Иванов".into());
        assert_eq!(verify(&credential), Err(CredentialError::BadSignature));
        let mut credential = signed();
        credential["validUntil"] = Value::String("2099-03-21T10:00:00Z".into());
        assert_eq!(verify(&credential), Err(CredentialError::BadSignature));
        let mut credential = signed();
        credential["proof"]["created"] = Value::String("2026-03-21T10:00:01Z".into());
        assert_eq!(verify(&credential), Err(CredentialError::BadSignature));
    }

    #[test]
    fn another_key_cannot_pose_as_the_issuer() {
        let other = sign(
            &unsigned_credential(&content(), &did_key(&signing_key(&SEED).verifying_key())),
            &[9; 32],
            datetime!(2026-03-21 10:00 UTC),
        )
        .expect("signed");
        assert_eq!(verify(&other), Err(CredentialError::IssuerMismatch));
    }

    #[test]
    fn the_status_follows_the_proof_revocation_and_expiry() {
        let credential = signed();
        let until = valid_until_of(&credential);
        assert_eq!(until, Some(datetime!(2029-03-21 10:00 UTC)));
        let now = datetime!(2027-01-01 0:00 UTC);
        assert_eq!(Status::of(true, false, until, now), Status::Valid);
        assert_eq!(
            Status::of(true, false, until, datetime!(2030-01-01 0:00 UTC)),
            Status::Expired
        );
        assert_eq!(Status::of(true, true, until, now), Status::Revoked);
        assert_eq!(Status::of(false, false, until, now), Status::Invalid);
        assert_eq!(Status::of(true, false, None, now), Status::Valid);
    }

    #[test]
    fn codes_are_grouped_crockford_base32() {
        let code = code_from_bytes(&[0xff; 10]);
        assert_eq!(code, "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        assert_eq!(code_from_bytes(&[0; 10]), "0000-0000-0000-0000");
    }
}
