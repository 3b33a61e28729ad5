use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "story")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub language: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub items: String,
    pub activities: String,
    pub state: String,
    pub reason: Option<String>,
    pub author_id: Uuid,
    pub author_name: String,
    pub reviewer_id: Option<Uuid>,
    pub published_at: Option<DateTimeUtc>,
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
