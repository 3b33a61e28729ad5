//! Exchange bundles between installations: a DSSE envelope (see `secure-systems-lab/dsse`)
//! signed with Ed25519 over the exact bytes of a JSON payload of our own type.
//!
//! ```text
//! envelope = {"payloadType": PAYLOAD_TYPE, "payload": base64(payload), "signatures": [{"keyid", "sig"}]}
//! signed   = PAE(payloadType, payload) = "DSSEv1" SP len(type) SP type SP len(payload) SP payload
//! payload  = {"manifest": {...}, "records": [...], "history": [...], "files": [...]}
//! ```
//!
//! The manifest names the source and the target, a sequence number per target, the time, the
//! filter used, and the SHA-256 of every record (over its canonical JSON: keys sorted, no
//! whitespace) and of every file. [`open`] checks, in order: the size, the envelope's shape, the
//! payload type, a signature by one of the trusted keys, the payload's shape, and that the
//! records and files are exactly those the manifest lists with the hashes it gives. Everything
//! that depends on the receiving installation's state (target, sequence, accreditation) is the
//! caller's to check on the [`Bundle`] this answers.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ed25519_dalek::{Signature, Signer, Verifier};
pub use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// The payload type of a Liaison bundle (DSSE's `payloadType`).
pub const PAYLOAD_TYPE: &str = "application/vnd.liaison.bundle+json; version=1";
/// The format named in every manifest.
pub const FORMAT: &str = "liaison-bundle/1";

/// Why a bundle was refused. Every message says what to do or what was wrong.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BundleError {
    #[error("the file is {size} bytes; bundles are limited to {limit} bytes (set exchange_max_bundle_bytes)")]
    TooLarge { size: u64, limit: u64 },
    #[error("not a bundle: {0}")]
    Envelope(String),
    #[error("the payload type is {0:?}, not a Liaison bundle's ({PAYLOAD_TYPE})")]
    PayloadType(String),
    #[error("no signature is by a trusted key of this peer (signed by {0}); add the peer's key with `liaison exchange peer add` if it is new")]
    Untrusted(String),
    #[error("the signature does not match the contents: the file was changed after it was signed")]
    BadSignature,
    #[error("the payload is not a bundle: {0}")]
    Payload(String),
    #[error("the manifest is wrong: {0}")]
    Manifest(String),
}

/// A public key as text: base64url without padding of its 32 bytes.
pub fn key_text(k: &VerifyingKey) -> String {
    URL_SAFE_NO_PAD.encode(k.as_bytes())
}

/// A key's id: the first 16 hex digits of the SHA-256 of its bytes.
pub fn key_id(k: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(k.as_bytes())[..8])
}

/// Reads a public key given as base64url or base64 (with or without padding).
pub fn parse_key(s: &str) -> Result<VerifyingKey, String> {
    let s = s.trim();
    let bytes = URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .or_else(|_| STANDARD.decode(s))
        .map_err(|_| "a public key is 32 bytes in base64url or base64".to_string())?;
    let arr: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| format!("a public key is 32 bytes; this one is {}", b.len()))?;
    VerifyingKey::from_bytes(&arr).map_err(|_| "these 32 bytes are not an Ed25519 public key".to_string())
}

/// A signing key from its seed (32 random bytes).
pub fn signing_key(seed: [u8; 32]) -> SigningKey {
    SigningKey::from_bytes(&seed)
}

/// The private key file's text: base64 of the 32-byte seed.
pub fn secret_text(k: &SigningKey) -> String {
    STANDARD.encode(k.to_bytes())
}

/// Reads a private key file's text (see [`secret_text`]).
pub fn parse_secret(s: &str) -> Result<SigningKey, String> {
    let bytes = STANDARD.decode(s.trim()).map_err(|_| "the private key file holds no base64".to_string())?;
    let arr: [u8; 32] = bytes.try_into().map_err(|_| "the private key file must hold 32 bytes".to_string())?;
    Ok(SigningKey::from_bytes(&arr))
}

/// DSSE's pre-authentication encoding.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!("DSSEv1 {} {} {} ", payload_type.len(), payload_type, payload.len()).into_bytes();
    out.extend_from_slice(payload);
    out
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    #[serde(rename = "payloadType")]
    payload_type: String,
    payload: String,
    signatures: Vec<Sig>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sig {
    keyid: String,
    sig: String,
}

/// A confidentiality label, modelled on the public descriptions of STANAG 4774: the policy, the
/// classification, the categories (here: releasability), the originator and the creation time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// The policy identifier, e.g. `NATO` or `TLP`.
    pub policy: String,
    /// The level's code, e.g. `nato_restricted`.
    pub classification: String,
    /// The countries and groups the record is releasable to.
    pub releasable_to: Vec<String>,
    pub originator: String,
    pub created: String,
}

/// One record: a row of one kind, as the source stores it, with its label and its origin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub kind: String,
    pub id: String,
    /// The installation that owns the record.
    pub origin: String,
    pub label: Option<Label>,
    pub fields: Map<String, Value>,
}

/// One past change of a record in the bundle, as the source's trail holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    pub seq: i64,
    pub entity: String,
    pub entity_id: String,
    pub version: i64,
    pub at: String,
    pub action: String,
    pub actor: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub hash: String,
}

/// A file (evidence, photo) by its content hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub sha256: String,
    pub media_type: String,
    /// Base64 of the bytes.
    pub data: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordRef {
    pub kind: String,
    pub id: String,
    pub sha256: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRef {
    pub sha256: String,
    pub size: u64,
}

/// The filter a bundle was made with: what the target may hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// The highest level the target is accredited for (a level's code).
    pub level: String,
    /// The target's country or group, and the groups that contain it.
    pub releasable_to: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    /// The source's database schema level; a bundle is read only at the same level.
    pub schema: u32,
    pub source: String,
    pub target: String,
    /// Per target, one more than the last bundle's.
    pub seq: i64,
    /// The highest sequence number of the target's bundles that the source has applied.
    pub ack: i64,
    /// The acknowledged sequence this bundle carries changes since (0: everything).
    pub since: i64,
    pub created: String,
    pub plan_id: String,
    pub plan_code: String,
    pub filter: Filter,
    pub records: Vec<RecordRef>,
    pub files: Vec<FileRef>,
    /// Records left out because a conflict on them is not settled yet.
    #[serde(default)]
    pub held_back: Vec<RecordRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub manifest: Manifest,
    pub records: Vec<Record>,
    pub history: Vec<HistoryEntry>,
    pub files: Vec<File>,
}

/// A JSON value with every object's keys in order, so that its bytes are one and the same
/// whoever serialises it.
pub fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                if let Some(x) = m.get(k) {
                    out.insert(k.clone(), canonical(x));
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

fn sha256_hex(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

/// The SHA-256 of a record's canonical JSON.
pub fn record_hash(r: &Record) -> String {
    let v = serde_json::to_value(r).unwrap_or(Value::Null);
    sha256_hex(&serde_json::to_vec(&canonical(&v)).unwrap_or_default())
}

/// The SHA-256 of a file's bytes.
pub fn file_hash(bytes: &[u8]) -> String {
    sha256_hex(bytes)
}

/// Encodes a file's bytes for [`File::data`].
pub fn file_data(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

impl File {
    /// The file's bytes.
    pub fn bytes(&self) -> Result<Vec<u8>, BundleError> {
        STANDARD.decode(&self.data).map_err(|_| BundleError::Payload(format!("file {} is not base64", self.sha256)))
    }
}

/// Fills the manifest's record and file lists from the contents.
pub fn seal(b: &mut Bundle) -> Result<(), BundleError> {
    b.manifest.records = b.records.iter().map(|r| RecordRef { kind: r.kind.clone(), id: r.id.clone(), sha256: record_hash(r) }).collect();
    let mut files = Vec::with_capacity(b.files.len());
    for f in &b.files {
        files.push(FileRef { sha256: f.sha256.clone(), size: f.bytes()?.len() as u64 });
    }
    b.manifest.files = files;
    Ok(())
}

/// The signed envelope's bytes for a bundle (sealed here), and the SHA-256 of its payload.
pub fn sign(mut b: Bundle, key: &SigningKey) -> Result<(Vec<u8>, String), BundleError> {
    seal(&mut b)?;
    let v = serde_json::to_value(&b).map_err(|e| BundleError::Payload(e.to_string()))?;
    let payload = serde_json::to_vec(&canonical(&v)).map_err(|e| BundleError::Payload(e.to_string()))?;
    Ok((envelope(&payload, key), sha256_hex(&payload)))
}

/// The envelope that signs these exact payload bytes with `key`.
pub fn envelope(payload: &[u8], key: &SigningKey) -> Vec<u8> {
    let sig: Signature = key.sign(&pae(PAYLOAD_TYPE, payload));
    let env = Envelope {
        payload_type: PAYLOAD_TYPE.to_string(),
        payload: STANDARD.encode(payload),
        signatures: vec![Sig { keyid: key_id(&key.verifying_key()), sig: STANDARD.encode(sig.to_bytes()) }],
    };
    serde_json::to_vec_pretty(&env).unwrap_or_default()
}

/// A bundle whose signature and hashes were checked.
#[derive(Debug)]
pub struct Opened {
    pub bundle: Bundle,
    /// The id of the trusted key that signed it.
    pub key_id: String,
    /// The SHA-256 of the payload (what the trail records).
    pub payload_sha256: String,
}

/// Checks a bundle file's bytes: size, envelope, payload type, a signature by one of `trusted`,
/// and that the contents are exactly what the manifest lists. See the module documentation.
pub fn open(bytes: &[u8], limit: u64, trusted: &[VerifyingKey]) -> Result<Opened, BundleError> {
    if bytes.len() as u64 > limit {
        return Err(BundleError::TooLarge { size: bytes.len() as u64, limit });
    }
    let env: Envelope = serde_json::from_slice(bytes).map_err(|e| BundleError::Envelope(describe(&e)))?;
    if env.payload_type != PAYLOAD_TYPE {
        return Err(BundleError::PayloadType(env.payload_type.chars().take(120).collect()));
    }
    let payload = STANDARD.decode(env.payload.as_bytes()).map_err(|_| BundleError::Envelope("the payload is not base64".into()))?;
    let signed = pae(&env.payload_type, &payload);
    let mut seen = Vec::new();
    let mut signer = None;
    for s in &env.signatures {
        seen.push(s.keyid.chars().take(32).collect::<String>());
        let Some(k) = trusted.iter().find(|k| key_id(k) == s.keyid) else { continue };
        let raw = STANDARD.decode(s.sig.as_bytes()).map_err(|_| BundleError::BadSignature)?;
        let arr: [u8; 64] = raw.try_into().map_err(|_| BundleError::BadSignature)?;
        k.verify(&signed, &Signature::from_bytes(&arr)).map_err(|_| BundleError::BadSignature)?;
        signer = Some(s.keyid.clone());
        break;
    }
    let Some(key_id) = signer else {
        return Err(BundleError::Untrusted(if seen.is_empty() { "no key".into() } else { seen.join(", ") }));
    };
    let bundle: Bundle = serde_json::from_slice(&payload).map_err(|e| BundleError::Payload(describe(&e)))?;
    check(&bundle)?;
    Ok(Opened { bundle, key_id, payload_sha256: sha256_hex(&payload) })
}

fn describe(e: &serde_json::Error) -> String {
    if e.is_eof() { format!("the file ends too early (line {}, column {}): it is truncated", e.line(), e.column()) } else { e.to_string() }
}

/// The contents are exactly what the manifest lists, with the hashes it gives.
fn check(b: &Bundle) -> Result<(), BundleError> {
    let m = &b.manifest;
    if m.format != FORMAT {
        return Err(BundleError::Manifest(format!("the format is {:?}, not {FORMAT}", m.format)));
    }
    if m.records.len() != b.records.len() {
        return Err(BundleError::Manifest(format!("it lists {} records but the bundle holds {}", m.records.len(), b.records.len())));
    }
    let mut ids = BTreeSet::new();
    for (want, r) in m.records.iter().zip(&b.records) {
        if want.kind != r.kind || want.id != r.id {
            return Err(BundleError::Manifest(format!("record {} {} is not the one listed ({} {})", r.kind, r.id, want.kind, want.id)));
        }
        if !ids.insert((r.kind.as_str(), r.id.as_str())) {
            return Err(BundleError::Manifest(format!("record {} {} is there twice", r.kind, r.id)));
        }
        if record_hash(r) != want.sha256 {
            return Err(BundleError::Manifest(format!("record {} {} does not match its hash", r.kind, r.id)));
        }
    }
    if m.files.len() != b.files.len() {
        return Err(BundleError::Manifest(format!("it lists {} files but the bundle holds {}", m.files.len(), b.files.len())));
    }
    for (want, f) in m.files.iter().zip(&b.files) {
        let bytes = f.bytes()?;
        if want.sha256 != f.sha256 || file_hash(&bytes) != f.sha256 || want.size != bytes.len() as u64 {
            return Err(BundleError::Manifest(format!("file {} does not match its hash or size", f.sha256)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> SigningKey {
        signing_key([n; 32])
    }

    fn bundle() -> Bundle {
        let mut fields = Map::new();
        fields.insert("title".into(), Value::String("Одбрана".into()));
        Bundle {
            manifest: Manifest {
                format: FORMAT.into(),
                schema: 12,
                source: "nato".into(),
                target: "serbia".into(),
                seq: 1,
                ack: 0,
                since: 0,
                created: "2026-12-02T00:00:00Z".into(),
                plan_id: "p".into(),
                plan_code: "PG".into(),
                filter: Filter { level: "nato_restricted".into(), releasable_to: vec!["SRB".into()] },
                records: vec![],
                files: vec![],
                held_back: vec![],
            },
            records: vec![Record { kind: "item".into(), id: "1".into(), origin: "nato".into(), label: None, fields }],
            history: vec![],
            files: vec![File { sha256: file_hash(b"evidence"), media_type: "text/plain".into(), data: file_data(b"evidence") }],
        }
    }

    #[test]
    fn pae_is_dsse_s() {
        assert_eq!(pae("http://example.com/HelloWorld", b"hello world"), b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec());
    }

    #[test]
    fn a_signed_bundle_opens_with_its_key_only() {
        let (bytes, hash) = sign(bundle(), &key(1)).unwrap();
        let o = open(&bytes, 1 << 20, &[key(1).verifying_key()]).unwrap();
        assert_eq!(o.payload_sha256, hash);
        assert_eq!(o.bundle.records[0].fields["title"], "Одбрана");
        assert_eq!(o.bundle.manifest.records.len(), 1);
        assert!(matches!(open(&bytes, 1 << 20, &[key(2).verifying_key()]), Err(BundleError::Untrusted(_))));
        assert!(matches!(open(&bytes, 10, &[key(1).verifying_key()]), Err(BundleError::TooLarge { .. })));
        assert!(matches!(open(&bytes[..bytes.len() / 2], 1 << 20, &[key(1).verifying_key()]), Err(BundleError::Envelope(m)) if m.contains("truncated")));
    }

    #[test]
    fn every_flipped_payload_byte_is_refused() {
        let (bytes, _) = sign(bundle(), &key(1)).unwrap();
        let env: Envelope = serde_json::from_slice(&bytes).unwrap();
        let payload = STANDARD.decode(&env.payload).unwrap();
        for i in (0..payload.len()).step_by(7) {
            let mut p = payload.clone();
            p[i] ^= 0x01;
            let e = Envelope {
                payload_type: env.payload_type.clone(),
                payload: STANDARD.encode(&p),
                signatures: vec![Sig { keyid: env.signatures[0].keyid.clone(), sig: env.signatures[0].sig.clone() }],
            };
            let b = serde_json::to_vec(&e).unwrap();
            assert_eq!(open(&b, 1 << 20, &[key(1).verifying_key()]).err(), Some(BundleError::BadSignature), "byte {i}");
        }
    }

    #[test]
    fn contents_that_differ_from_the_manifest_are_refused_even_when_signed() {
        let k = key(1);
        let trusted = [k.verifying_key()];
        // Sign a bundle whose manifest was sealed, then changed: sign() seals again, so build the
        // envelope by hand.
        let forge = |b: &Bundle| {
            let payload = serde_json::to_vec(b).unwrap();
            let sig = k.sign(&pae(PAYLOAD_TYPE, &payload));
            serde_json::to_vec(&Envelope {
                payload_type: PAYLOAD_TYPE.into(),
                payload: STANDARD.encode(&payload),
                signatures: vec![Sig { keyid: key_id(&k.verifying_key()), sig: STANDARD.encode(sig.to_bytes()) }],
            })
            .unwrap()
        };
        let mut b = bundle();
        seal(&mut b).unwrap();
        assert!(open(&forge(&b), 1 << 20, &trusted).is_ok());
        let mut removed = b.clone();
        removed.records.clear();
        assert!(matches!(open(&forge(&removed), 1 << 20, &trusted), Err(BundleError::Manifest(m)) if m.contains("lists 1 records")));
        let mut changed = b.clone();
        changed.records[0].fields.insert("title".into(), Value::String("x".into()));
        assert!(matches!(open(&forge(&changed), 1 << 20, &trusted), Err(BundleError::Manifest(m)) if m.contains("hash")));
        let mut file = b.clone();
        file.files[0].data = file_data(b"other");
        assert!(matches!(open(&forge(&file), 1 << 20, &trusted), Err(BundleError::Manifest(_))));
        let mut wrong_type = b.clone();
        wrong_type.manifest.format = "x".into();
        assert!(matches!(open(&forge(&wrong_type), 1 << 20, &trusted), Err(BundleError::Manifest(_))));
    }

    #[test]
    fn keys_read_back_in_either_alphabet() {
        let k = key(3).verifying_key();
        assert_eq!(parse_key(&key_text(&k)).unwrap(), k);
        assert_eq!(parse_key(&STANDARD.encode(k.as_bytes())).unwrap(), k);
        assert!(parse_key("abc").is_err());
        assert_eq!(parse_secret(&secret_text(&key(4))).unwrap().to_bytes(), key(4).to_bytes());
        assert!(parse_secret("bm9wZQ==").is_err());
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_depth() {
        let v: Value = serde_json::from_str(r#"{"b":1,"a":{"d":2,"c":[{"f":1,"e":2}]}}"#).unwrap();
        assert_eq!(serde_json::to_string(&canonical(&v)).unwrap(), r#"{"a":{"c":[{"e":2,"f":1}],"d":2},"b":1}"#);
    }
}
