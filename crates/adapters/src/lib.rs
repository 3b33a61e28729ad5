//! Liaison's adapters: the ports of `liaison_domain::ports` implemented on the outside world.
//!
//! * [`SystemClock`] and [`OsEntropy`]: the real time and the operating system's randomness.
//! * [`Argon2Hasher`]: password hashing with argon2id.
//! * [`ImageCodec`]: photos decoded, turned upright, scaled and encoded again as JPEG (the
//!   `image` and `jpeg-decoder` crates).
//! * [`SmtpMailer`]: email through a plain SMTP relay.
//! * [`WebauthnRelyingParty`]: passkeys (WebAuthn) with `webauthn-rs`.
//!
//! The use cases (`liaison-app`) hold these only as `Arc<dyn …>` of the port traits and never
//! name this crate; the binary and the test suites build them and hand them over. Nothing here
//! decides anything: the rules (limits, field errors, who is told what) stay in the domain and
//! the use cases.

pub mod oidc;
pub mod passkeys;
pub mod password;
pub mod photos;
pub mod smtp;
mod system;

pub use oidc::{OidcProvider, OidcSettings};
pub use passkeys::WebauthnRelyingParty;
pub use password::Argon2Hasher;
pub use photos::ImageCodec;
pub use smtp::{SmtpMailer, SmtpSecurity, SmtpSettings};
pub use system::{OsEntropy, SystemClock};
