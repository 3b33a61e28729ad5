use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "exchange_conflict")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub peer_id: Uuid,
    pub kind: String,
    pub entity_id: Uuid,
    pub field: String,
    pub local_value: String,
    pub remote_value: String,
    pub seq: i64,
    pub state: String,
    pub choice: Option<String>,
    pub settled_by: Option<Uuid>,
    pub settled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
