use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "plan")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub framework: String,
    pub code: String,
    pub code_norm: String,
    pub title: String,
    pub description: String,
    pub partner_id: Uuid,
    pub owner_id: Uuid,
    pub period_start: Date,
    pub period_end: Date,
    pub predecessor_id: Option<Uuid>,
    pub state: String,
    pub negotiation_round: i32,
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
