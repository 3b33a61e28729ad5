//! The public portal of a plan: whether the plan appears there, and what it says of itself to
//! citizens. Only records marked `public` of published plans ever appear on the portal; the
//! portal reads through [`crate::access::ReadFilter::public`].

use crate::text::{Text, check_text};
use crate::validation::{Problems, ValidationErrors};
use crate::{PlanId, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Portal {
    pub plan: PlanId,
    /// The plan's name for the public.
    pub title: Text,
    /// What the partnership is, for citizens (Markdown).
    pub summary: Text,
    pub published: bool,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortalInput {
    pub title: Text,
    #[serde(default)]
    pub summary: Text,
    pub published: bool,
}

impl Portal {
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut p = Problems::new();
        check_text(&mut p, "title", &self.title, true, 200, false);
        check_text(&mut p, "summary", &self.summary, false, 5_000, true);
        p.finish()
    }
}
