use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "import_job")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub file_name: String,
    pub sha256: String,
    pub size: i64,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub state: String,
    pub preview: String,
    pub applied_at: Option<DateTimeUtc>,
    pub result: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
