//! The real clock and the operating system's randomness.

use liaison_domain::ports::{Clock, Entropy};
use liaison_domain::{Timestamp, truncate_ms};

/// The real clock, in whole milliseconds.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        truncate_ms(chrono::Utc::now())
    }
}

/// The operating system's randomness.
pub struct OsEntropy;

impl Entropy for OsEntropy {
    fn new_id(&self, now: Timestamp) -> uuid::Uuid {
        let ms = u64::try_from(now.timestamp_millis()).unwrap_or(0);
        let ts = uuid::Timestamp::from_unix(uuid::NoContext, ms / 1000, ((ms % 1000) * 1_000_000) as u32);
        uuid::Uuid::new_v7(ts)
    }

    fn secret_bytes(&self) -> [u8; 32] {
        rand::random()
    }
}
