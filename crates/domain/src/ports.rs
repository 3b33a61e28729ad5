//! What the domain needs from the outside world, as traits, so that tests can be exact.

use crate::Timestamp;
use uuid::Uuid;

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
