use sea_orm::entity::prelude::*;

/// One searchable record in the index (`n` is SQLite's rowid, which FTS5 points at).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "search_doc")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub n: i64,
    pub kind: String,
    pub plan_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    pub marking_rank: i32,
    pub rel_to: String,
    pub item_rank: i32,
    pub item_rel_to: String,
    /// The marking a hit is shown under (the record's joined with its item's), as JSON; empty for none.
    pub marking: String,
    pub owner_id: Option<Uuid>,
    pub shared_with: String,
    pub code: String,
    pub code_norm: String,
    pub title: String,
    pub body: String,
    pub status: String,
    pub areas: String,
    pub day: Date,
    pub title_folded: String,
    pub body_folded: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
