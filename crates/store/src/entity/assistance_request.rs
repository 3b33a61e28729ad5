use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "assistance_request")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub title: String,
    pub need: String,
    pub kind: String,
    pub period_start: Date,
    pub period_end: Date,
    pub priority: String,
    pub items: String,
    pub state: String,
    pub requested_by: Uuid,
    pub marking_level: String,
    pub marking_rank: i32,
    pub rel_to: String,
    pub originator: String,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
