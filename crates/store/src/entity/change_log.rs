use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "change_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub entity: String,
    pub entity_id: Uuid,
    pub plan_id: Option<Uuid>,
    pub version: i64,
    pub actor_id: Option<Uuid>,
    pub at: DateTimeUtc,
    pub action: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub request_id: String,
    pub source: String,
    pub marking_json: Option<String>,
    pub marking_rank: i32,
    pub rel_to: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
