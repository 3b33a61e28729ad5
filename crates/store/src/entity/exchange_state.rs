use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "exchange_state")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub peer_id: Uuid,
    pub entity_id: Uuid,
    pub kind: String,
    pub agreed: Option<String>,
    pub sent: Option<String>,
    pub sent_sha256: Option<String>,
    pub sent_seq: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
