//! SeaORM entities, one per table. They never leave this crate: repositories convert them to
//! domain types.

pub mod api_token;
pub mod app_user;
pub mod area;
pub mod assessment;
pub mod assessment_rating;
pub mod attachment;
pub mod change_log;
pub mod decision;
pub mod file_blob;
pub mod framework;
pub mod indicator;
pub mod item;
pub mod item_comment;
pub mod item_link;
pub mod measurement;
pub mod membership;
pub mod notification;
pub mod organisation;
pub mod plan;
pub mod plan_approval;
pub mod plan_version;
pub mod progress_update;
pub mod reporting_period;
pub mod session;
