//! Comments: a thread on an item, for negotiators and implementers.

use crate::marking::{Marking, Scheme};
use crate::validation::{Problems, ValidationErrors, rules};
use crate::{CommentId, ItemId, PlanId, Timestamp, UserId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comment {
    pub id: CommentId,
    pub plan: PlanId,
    pub item: ItemId,
    pub author: UserId,
    /// The author's name when the comment was written.
    pub author_name: String,
    /// Markdown.
    pub body: String,
    pub marking: Marking,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
}

/// Input to comment on an item; the marking defaults to the item's.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewComment {
    pub body: String,
    #[serde(default)]
    pub marking: Option<Marking>,
}

/// Longest comment, in characters.
pub const MAX_COMMENT: usize = 10_000;

impl Comment {
    /// A comment reveals the item it is on: it may not be marked lower than the item, and its
    /// author must still see it.
    pub fn validate(&self, scheme: Scheme, item_marking: &Marking, author_clears: bool) -> Result<(), ValidationErrors> {
        let mut p = Problems::new();
        if self.body.trim().is_empty() {
            p.add("body", "required", "must not be empty");
        } else if rules::char_len(&self.body) > MAX_COMMENT {
            p.push(crate::FieldError::new("body", "too_long", format!("must be at most {MAX_COMMENT} characters")).with_arg("max", MAX_COMMENT));
        } else if rules::has_control_chars(&self.body, true) {
            p.add("body", "invalid", "must not contain control characters");
        }
        p.nest("marking", self.marking.check_under(scheme, item_marking, "the item", author_clears, "comment"));
        p.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marking::Level;
    use uuid::Uuid;

    fn comment(body: &str, marking: Marking) -> Comment {
        Comment {
            id: CommentId(Uuid::nil()),
            plan: PlanId(Uuid::nil()),
            item: ItemId(Uuid::nil()),
            author: UserId(Uuid::nil()),
            author_name: "A".into(),
            body: body.into(),
            marking,
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn comments_are_checked() {
        let item = Marking::new(Level::NatoRestricted, &["SRB"], "NATO");
        assert!(comment("Agreed.", item.clone()).validate(Scheme::Nato, &item, true).is_ok());
        let e = comment("  ", Marking::new(Level::NatoUnclassified, &["SRB"], "NATO")).validate(Scheme::Nato, &item, true).unwrap_err();
        assert!(e.has("body") && e.has("marking"));
        assert!(comment(&"x".repeat(MAX_COMMENT + 1), item.clone()).validate(Scheme::Nato, &item, true).unwrap_err().has("body"));
        assert_eq!(comment("x", item.clone()).validate(Scheme::Nato, &item, false).unwrap_err().0[0].code, "hides_from_you");
    }
}
