use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "item")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub depth: i32,
    pub level: String,
    pub code: String,
    pub code_norm: String,
    pub title: String,
    pub description: String,
    pub areas: String,
    pub lead_org_id: Option<Uuid>,
    pub contributors: String,
    pub start_date: Option<Date>,
    pub due: Option<String>,
    pub due_date: Option<Date>,
    pub status: String,
    pub weight: i32,
    pub gender_marker: i32,
    pub position: i32,
    pub tree_key: String,
    pub search_text: String,
    pub marking_level: String,
    pub marking_rank: i32,
    pub rel_to: String,
    pub originator: String,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::plan::Entity", from = "Column::PlanId", to = "super::plan::Column::Id")]
    Plan,
}

impl Related<super::plan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Plan.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
