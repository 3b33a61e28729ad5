//! Typed identifiers. All are UUIDv7 (time-ordered), so ids sort by creation time.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Uuid))]
        pub struct $name(pub Uuid);

        impl $name {
            /// The raw UUID.
            pub fn uuid(self) -> Uuid {
                self.0
            }
            /// Parse from the canonical hyphenated (or simple) form; `None` for anything else.
            pub fn parse(s: &str) -> Option<Self> {
                Uuid::try_parse(s).ok().map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }
    };
}

id_type!(
    /// An organisation.
    OrganisationId
);
id_type!(
    /// A user account.
    UserId
);
id_type!(
    /// A plan.
    PlanId
);
id_type!(
    /// A node of a plan's tree.
    ItemId
);
id_type!(
    /// A typed link between two items.
    LinkId
);
id_type!(
    /// A recorded decision on a plan.
    DecisionId
);
id_type!(
    /// A session or API token.
    TokenId
);
id_type!(
    /// A comment on an item.
    CommentId
);
id_type!(
    /// An indicator on an item.
    IndicatorId
);
id_type!(
    /// A measurement of an indicator.
    MeasurementId
);
id_type!(
    /// A file kept as evidence.
    AttachmentId
);
id_type!(
    /// A progress report on an item.
    UpdateId
);
id_type!(
    /// An assessment of a plan from one perspective.
    AssessmentId
);
id_type!(
    /// A notification for a user.
    NotificationId
);
id_type!(
    /// A reporting period of a plan.
    PeriodId
);
id_type!(
    /// A request for assistance from the partner.
    RequestId
);
id_type!(
    /// An offer of assistance from an Ally or agency.
    OfferId
);
id_type!(
    /// An activity: a course, conference, seminar, exercise or visit.
    ActivityId
);
id_type!(
    /// A story for the public.
    StoryId
);
id_type!(
    /// A photo of a story.
    PhotoId
);
