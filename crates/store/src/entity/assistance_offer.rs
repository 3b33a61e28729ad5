use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "assistance_offer")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub offered_by: Uuid,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub value_minor: Option<i64>,
    pub currency: Option<String>,
    pub period_start: Date,
    pub period_end: Date,
    pub items: String,
    pub answers: Option<Uuid>,
    pub state: String,
    pub reason: Option<String>,
    pub shared_with: String,
    pub created_by: Uuid,
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
