//! Notifications: reminders and workflow news for one user, kept in an outbox that the
//! workspace shows and that is sent by email when SMTP is configured.

use crate::{NotificationId, PlanId, Timestamp, UserId};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: NotificationId,
    pub user: UserId,
    pub plan: Option<PlanId>,
    /// The marking of what the notification is about: it is read through the access policy
    /// like the record itself, so a recipient who loses a role or clearance no longer sees it.
    pub marking: crate::marking::Marking,
    pub kind: String,
    pub subject: String,
    pub body: String,
    /// A path in the workspace.
    pub link: String,
    /// `none` (no email wanted), `pending`, `sent` or `failed`.
    pub email_state: String,
    #[serde(skip)]
    pub dedup_key: String,
    #[serde(skip)]
    pub email_attempts: i32,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub read_at: Option<Timestamp>,
}

/// What a notification is about.
pub mod kind {
    /// Reports for a period are due soon or late.
    pub const REPORT_DUE: &str = "report_due";
    /// A progress update was submitted for review.
    pub const UPDATE_SUBMITTED: &str = "update_submitted";
    /// A progress update was returned or approved.
    pub const UPDATE_REVIEWED: &str = "update_reviewed";
}

/// Whether an email address can be put in an SMTP envelope as is (no line breaks, no angle
/// brackets, one `@`), so that a stored address can never inject SMTP commands.
pub fn envelope_safe(address: &str) -> bool {
    address.len() <= 254
        && address.matches('@').count() == 1
        && !address.chars().any(|c| c.is_control() || c.is_whitespace() || matches!(c, '<' | '>' | ',' | ';'))
}

/// A header value without line breaks (so that it cannot add headers), at most 200 characters.
pub fn header_safe(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_headers_cannot_inject() {
        assert!(envelope_safe("ana@mod.gov.rs"));
        assert!(!envelope_safe("ana@mod.gov.rs>\r\nRCPT TO:<x@y"));
        assert!(!envelope_safe("a b@c"));
        assert!(!envelope_safe("nobody"));
        assert_eq!(header_safe("Reports due\r\nBcc: x@y"), "Reports due  Bcc: x@y");
    }
}
