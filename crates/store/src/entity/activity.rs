use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "activity")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub first_day: Date,
    pub last_day: Date,
    pub place: String,
    pub organiser: Option<Uuid>,
    pub items: String,
    pub offer_id: Option<Uuid>,
    pub women: i32,
    pub men: i32,
    pub catalogue_ref: String,
    pub outcome: String,
    pub feedback: String,
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
