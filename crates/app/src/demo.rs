//! The demo partnership: Serbia's first IPAP and its Partnership Goals (see DESIGN.md §9).

use crate::{App, Result};

/// The demo accounts and what each can do; all have the password `demo-password`.
pub const ACCOUNTS: &[(&str, &str)] = &[
    ("coordinator@demo.test", "coordinator — NATO Military Liaison Office Belgrade"),
    ("partner@demo.test", "partner editor — Ministry of Foreign Affairs of Serbia"),
    ("ally@demo.test", "Ally contributor — an Ally's Ministry of Defence"),
    ("reporter@demo.test", "reporter — Ministry of Defence of Serbia"),
    ("viewer@demo.test", "viewer — NATO International Staff"),
    ("admin@demo.test", "administrator"),
    ("security@demo.test", "security officer (audit trail)"),
];

/// Load the demo if absent. Returns whether anything was loaded.
pub async fn load(_app: &App) -> Result<bool> {
    Ok(false)
}
