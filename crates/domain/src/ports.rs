//! What the domain and its use cases need from the outside world, as traits: so that tests can
//! be exact (the clock, the randomness) and so that the use cases never hold a codec, a
//! password-hashing library or a network client themselves. The implementations are in
//! `liaison-adapters`; the application holds them as `Arc<dyn …>`.
//!
//! The traits are object safe. The one that does I/O ([`Mailer`]) returns a boxed future
//! ([`PortFuture`]), since this crate has no async runtime. The ones that compute
//! ([`PasswordHasher`], [`PhotoCodec`]) block on purpose: they are slow, and the caller runs
//! them off the async threads.

use crate::Timestamp;
use std::future::Future;
use std::pin::Pin;
use uuid::Uuid;

/// The future a port's asynchronous call returns: boxed and `Send`, so that ports can be
/// trait objects shared between tasks.
pub type PortFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The current time.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// New identifiers (UUIDv7) and random secrets.
pub trait Entropy: Send + Sync {
    /// A new UUIDv7 for a record created at `now`.
    fn new_id(&self, now: Timestamp) -> Uuid;
    /// `N` bytes from a cryptographically secure source.
    fn secret_bytes(&self) -> [u8; 32];
}

/// Password hashing with a slow, salted key-derivation function (argon2id).
///
/// Both calls take long on purpose (tens of milliseconds and many MiB of memory) and block the
/// thread they run on: callers run them off the async threads.
pub trait PasswordHasher: Send + Sync {
    /// A PHC string (`$argon2id$v=19$m=…`) for `password`, with a new random salt. `Err` says
    /// what failed.
    fn hash(&self, password: &str) -> Result<String, String>;
    /// Whether `password` is the one `stored` (a PHC string) was made from. A malformed
    /// `stored` never matches.
    fn verify(&self, password: &str, stored: &str) -> bool;
}

/// The pictures kept of an uploaded photo: the web size with its pixel size, and the
/// thumbnail, both JPEG, made from the decoded pixels only (no metadata of the upload).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessedPhoto {
    pub web: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub thumb: Vec<u8>,
}

/// Why a [`PhotoCodec`] did not make pictures of an upload. Each has its field error in
/// `story` (`ValidationErrors::from`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoRefusal {
    /// The file could not be read at all.
    Unreadable,
    /// Not one of the photo formats: JPEG, PNG or WebP.
    Format,
    /// The file ends before the picture does.
    CutShort,
    /// More than `story::MAX_PHOTO_PIXELS` pixels (or none), as the header says.
    TooManyPixels,
    /// The picture could not be decoded: damaged or cut short.
    Damaged,
    /// The pictures could not be encoded.
    NotConverted,
}

/// Turns an uploaded photo into the pictures kept for a story.
///
/// The upload has passed `story::check_photo_upload` (not empty, at most
/// `story::MAX_PHOTO_BYTES`). The codec accepts JPEG, PNG and WebP only; refuses, from the
/// header and before decoding anything, a picture that `story::pixels_allowed` refuses; turns
/// the picture upright as its EXIF orientation says; scales it to fit `story::WEB_EDGE` and
/// `story::THUMB_EDGE` (`story::fit`); and encodes both as JPEG.
///
/// Slow (a second or more for a large photo) and memory-hungry: callers run it off the async
/// threads, one at a time.
pub trait PhotoCodec: Send + Sync {
    fn process(&self, bytes: &[u8]) -> Result<ProcessedPhoto, PhotoRefusal>;
}

/// One email: a plain-text part and the same in HTML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    /// The sender, for the envelope and the `From` header.
    pub from: String,
    /// The one recipient, for the envelope and the `To` header.
    pub to: String,
    /// One line (see `notification::header_safe`).
    pub subject: String,
    /// Plain text, lines separated by `\n`.
    pub body: String,
    /// The same as an HTML document (everything taken from records escaped).
    pub html: String,
    /// When it is sent, for the `Date` header.
    pub date: Timestamp,
}

/// Sends email.
///
/// The caller hands over addresses that pass `notification::envelope_safe` and a subject made
/// by `notification::header_safe`; a mailer still refuses anything else, so that nothing
/// stored can inject commands or headers.
pub trait Mailer: Send + Sync {
    /// Send one message. `Ok` once the relay has taken it; `Err` says why it was not sent
    /// (kept with the notification, which is tried again later).
    fn send<'a>(&'a self, email: &'a Email) -> PortFuture<'a, Result<(), String>>;
}

/// What a sign-in with an OpenID provider needs kept until the browser comes back: the `state`
/// (also in the browser's cookie), the `nonce` the ID token must carry, and the PKCE verifier.
#[derive(Clone)]
pub struct SsoSecrets {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

impl std::fmt::Debug for SsoSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SsoSecrets(…)")
    }
}

/// The start of a sign-in at a provider: where to send the browser, and what to keep.
#[derive(Clone, Debug)]
pub struct SsoStart {
    pub url: String,
    pub secrets: SsoSecrets,
}

/// Who the provider says signed in, from a checked ID token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SsoIdentity {
    /// The provider's `sub`: stable for the account at that provider.
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    /// The person's name as the provider has it (`name`), if it gives one.
    pub name: Option<String>,
}

/// Why a sign-in at a provider did not give an identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SsoFailure {
    /// The provider could not be reached or answered nonsense (discovery, keys, token).
    Unavailable(String),
    /// The provider refused the code (used already, expired, not for this client).
    Refused(String),
    /// The ID token failed a check: signature, issuer, audience, expiry, nonce.
    BadToken(String),
}

/// An OpenID Connect provider (authorization code flow with PKCE, `state` and `nonce`).
pub trait IdentityProvider: Send + Sync {
    /// Its name in addresses (`/login/sso/NAME`).
    fn name(&self) -> &str;
    /// The words on its button.
    fn label(&self) -> &str;
    /// Where to send the browser, with fresh secrets.
    fn begin(&self) -> PortFuture<'_, Result<SsoStart, SsoFailure>>;
    /// Exchange the code the browser brought back and check the ID token at time `now`.
    fn finish<'a>(&'a self, code: &'a str, secrets: &'a SsoSecrets, now: Timestamp) -> PortFuture<'a, Result<SsoIdentity, SsoFailure>>;
    /// The provider's end-session address (RP-initiated logout), coming back to `then`.
    fn end_session<'a>(&'a self, then: &'a str) -> PortFuture<'a, Option<String>>;
}

/// Why a passkey ceremony's answer was not accepted, or could not be checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasskeyFailure {
    /// The answer is not one, or not this ceremony's (another origin, another challenge, a
    /// signature or user verification missing, a counter gone back).
    Refused(String),
    /// The stored state or passkey cannot be read, or options cannot be made: this side's fault.
    Internal(String),
}

/// A passkey registered: its credential id (base64url) and what to store to check it later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPasskey {
    pub credential_id: String,
    /// The public key, its algorithm and counter (the adapter's own format; nothing secret).
    pub stored: String,
}

/// A passkey's answer to a sign-in, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasskeyUsed {
    /// Which of the stored passkeys answered (its index in what was given).
    pub index: usize,
    /// Its stored form again when its counter or backup state moved on.
    pub updated: Option<String>,
}

/// The WebAuthn relying party of this installation (its domain name): the ceremonies in and
/// out as WebAuthn Level 3's JSON (binary values in base64url), their state as opaque strings
/// the caller keeps (server-side) until the answer comes.
pub trait PasskeyRelyingParty: Send + Sync {
    /// Options for `navigator.credentials.create()` for account `user`, excluding the
    /// authenticators of its `existing` passkeys (stored forms), and the state to keep.
    fn start_registration(&self, user: Uuid, name: &str, display_name: &str, existing: &[String]) -> Result<(serde_json::Value, String), PasskeyFailure>;
    /// Check what `navigator.credentials.create()` answered to the options of `state`.
    fn finish_registration(&self, answer: &serde_json::Value, state: &str) -> Result<NewPasskey, PasskeyFailure>;
    /// Options for `navigator.credentials.get()` allowing these passkeys (stored forms), and
    /// the state to keep.
    fn start_authentication(&self, stored: &[String]) -> Result<(serde_json::Value, String), PasskeyFailure>;
    /// Check what `navigator.credentials.get()` answered to the options of `state`, against
    /// the account's passkeys (stored forms, as given to [`Self::start_authentication`]).
    fn finish_authentication(&self, answer: &serde_json::Value, state: &str, stored: &[String]) -> Result<PasskeyUsed, PasskeyFailure>;
}
