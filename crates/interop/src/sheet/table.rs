//! Where a sheet's table is and what its columns hold: the header row (below any title block),
//! a proposed field for each column from its header in English or Serbian (either script),
//! which the person may change, and each row below it read as a plan item's fields, with every
//! problem at its cell.

use super::values::{self, fold};
use super::{Grid, Value, cell_ref, column_letter};
use chrono::NaiveDate;
use liaison_domain::due::Due;
use liaison_domain::item::{GenderMarker, ItemStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A field of a plan item a column can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Code,
    Parent,
    Level,
    Title,
    Description,
    Lead,
    Contributors,
    Area,
    Status,
    Start,
    Due,
    Weight,
    GenderMarker,
    Marking,
}

impl Field {
    pub const ALL: [Field; 14] = [
        Field::Code,
        Field::Parent,
        Field::Level,
        Field::Title,
        Field::Description,
        Field::Lead,
        Field::Contributors,
        Field::Area,
        Field::Status,
        Field::Start,
        Field::Due,
        Field::Weight,
        Field::GenderMarker,
        Field::Marking,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Field::Code => "code",
            Field::Parent => "parent",
            Field::Level => "level",
            Field::Title => "title",
            Field::Description => "description",
            Field::Lead => "lead",
            Field::Contributors => "contributors",
            Field::Area => "area",
            Field::Status => "status",
            Field::Start => "start",
            Field::Due => "due",
            Field::Weight => "weight",
            Field::GenderMarker => "gender_marker",
            Field::Marking => "marking",
        }
    }

    pub fn parse(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.code() == s)
    }

    /// Whether several columns may hold it (the description: each further column is added
    /// under its header).
    pub fn repeats(self) -> bool {
        matches!(self, Field::Description | Field::Contributors | Field::Area)
    }

    /// Header words that name it, folded ([`fold`]), best first: English, Serbian Latin (and so
    /// Cyrillic, which folds to it).
    fn names(self) -> &'static [&'static str] {
        match self {
            Field::Code => &["code", "item code", "sifra", "kod", "oznaka", "id", "ref", "reference", "number", "broj", "redni broj", "rb", "r br", "no"],
            Field::Parent => &["parent code", "parent", "parent id", "belongs to", "nadredjena sifra", "nadredjeni", "nadredjena", "roditelj", "pripada"],
            Field::Level => &["level", "nivo", "razina", "tip", "type", "vrsta"],
            Field::Title => &["title", "name", "naziv", "naslov", "activity", "aktivnost", "action", "mera", "commitment", "objective", "cilj"],
            Field::Description => &["description", "opis", "details", "detalji"],
            Field::Lead => &[
                "lead agency",
                "lead organisation",
                "lead organization",
                "lead institution",
                "lead",
                "responsible institution",
                "responsible",
                "nosilac aktivnosti",
                "nosilac",
                "odgovorna institucija",
                "odgovorni",
                "institution",
                "institucija",
                "agency",
            ],
            Field::Contributors => &[
                "contributing organisations",
                "contributing organizations",
                "contributors",
                "partner institutions",
                "partners",
                "supporting",
                "partnerske institucije",
                "partneri",
                "ucesnici",
                "saradnici",
            ],
            Field::Area => &["area", "theme", "sector", "oblast", "tema", "sektor", "podrucje"],
            Field::Status => &["status", "state", "stanje", "status realizacije"],
            Field::Start => &["start date", "start", "begins", "from", "datum pocetka", "pocetak", "od"],
            Field::Due => &[
                "due date",
                "due",
                "deadline",
                "end date",
                "end",
                "timeframe",
                "time frame",
                "until",
                "rok za realizaciju",
                "rok izvrsenja",
                "krajnji rok",
                "rok",
                "datum zavrsetka",
                "zavrsetak",
                "do",
            ],
            Field::Weight => &["weight", "tezina", "ponder"],
            Field::GenderMarker => &["gender marker", "gender", "rodni marker", "rodna ravnopravnost"],
            Field::Marking => &["marking", "security marking", "classification", "oznaka tajnosti", "stepen tajnosti", "klasifikacija"],
        }
    }
}

/// How well a header names a field: exact, the name's length, and its rank (lower is better).
type Score = (bool, usize, std::cmp::Reverse<usize>);

/// How well a header names a field: an exact name beats a header that starts with one; then a
/// longer name; then a name higher in the list.
fn score(header: &str) -> Option<(Field, Score)> {
    let h = fold(header);
    if h.is_empty() {
        return None;
    }
    let mut best: Option<(Field, Score)> = None;
    for f in Field::ALL {
        for (rank, n) in f.names().iter().enumerate() {
            let exact = h == *n;
            if exact || h.starts_with(&format!("{n} ")) {
                let s = (exact, n.len(), std::cmp::Reverse(rank));
                if best.as_ref().is_none_or(|(_, b)| s > *b) {
                    best = Some((f, s));
                }
            }
        }
    }
    best
}

/// One column of the table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// 0-based.
    pub index: usize,
    /// `A`, `B`, …
    pub letter: String,
    pub header: String,
    /// The field it is read into; `None`: not imported.
    pub field: Option<Field>,
}

/// Where the table is and what its columns hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    /// The header row, 0-based (the sheet's row `header_row + 1`).
    pub header_row: usize,
    pub columns: Vec<Column>,
}

impl Layout {
    /// The columns that hold a field.
    pub fn of(&self, f: Field) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(move |c| c.field == Some(f))
    }

    pub fn has(&self, f: Field) -> bool {
        self.of(f).next().is_some()
    }
}

/// How many rows from the top are searched for the header.
const HEADER_SEARCH: usize = 30;

/// The header row and a field for each column. The header is the row, among the first 30,
/// whose cells name the most fields (at least two; the first of equals). Each field goes to
/// the column that names it best; a field that cannot repeat goes to one column only.
pub fn propose(grid: &Grid) -> Layout {
    let mut best: Option<(usize, usize)> = None;
    for (r, row) in grid.rows.iter().enumerate().take(HEADER_SEARCH) {
        let mut fields: Vec<Field> = row.iter().filter_map(|c| score(&c.text())).map(|(f, _)| f).collect();
        fields.sort_unstable();
        fields.dedup();
        if fields.len() >= 2 && best.is_none_or(|(_, n)| fields.len() > n) {
            best = Some((r, fields.len()));
        }
    }
    let header_row = best.map(|(r, _)| r).unwrap_or_else(|| grid.rows.iter().position(|r| r.iter().filter(|c| !c.is_blank()).count() >= 2).unwrap_or(0));
    layout_at(grid, header_row)
}

/// The layout with the header in a given row: each column's field proposed from its header.
pub fn layout_at(grid: &Grid, header_row: usize) -> Layout {
    let width = grid.width();
    let mut columns: Vec<Column> =
        (0..width).map(|c| Column { index: c, letter: column_letter(c), header: values::plain(&grid.cell(header_row, c).text()), field: None }).collect();
    let mut taken: BTreeMap<Field, (usize, Score)> = BTreeMap::new();
    let mut repeats: Vec<(usize, Field)> = Vec::new();
    for col in &columns {
        if let Some((f, s)) = score(&col.header) {
            if f.repeats() {
                repeats.push((col.index, f));
            } else if taken.get(&f).is_none_or(|(_, b)| s > *b) {
                taken.insert(f, (col.index, s));
            }
        }
    }
    for (f, (c, _)) in taken {
        columns[c].field = Some(f);
    }
    for (c, f) in repeats {
        columns[c].field = Some(f);
    }
    Layout { header_row, columns }
}

/// A problem at a cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellProblem {
    /// 0-based row and column.
    pub row: usize,
    pub col: usize,
    /// `C17`.
    pub cell: String,
    /// `error` (the row is not imported) or `warning`.
    pub severity: String,
    pub message: String,
}

/// What a row of the sheet is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// Every cell empty.
    Blank,
    /// No code and no title, but something else: a note or a footnote, not part of the table.
    Note,
    /// An item.
    Item,
}

/// A row read as an item's fields. Names (organisations, areas, levels) and the marking are
/// text here: what they refer to is for the importer to find.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ItemRow {
    /// 0-based sheet row.
    pub row: usize,
    pub code: Option<String>,
    pub parent: Option<String>,
    pub level: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub lead: Option<String>,
    pub contributors: Vec<String>,
    pub areas: Vec<String>,
    pub status: Option<ItemStatus>,
    pub start: Option<NaiveDate>,
    pub due: Option<Due>,
    pub weight: Option<u32>,
    pub gender_marker: Option<GenderMarker>,
    pub marking: Option<String>,
    /// The column of each field read (for problems the importer finds later).
    pub cols: BTreeMap<Field, usize>,
}

/// A row of the sheet below the header, read.
#[derive(Clone, Debug, PartialEq)]
pub struct RowRead {
    pub kind: RowKind,
    pub item: ItemRow,
    pub problems: Vec<CellProblem>,
}

impl RowRead {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == "error")
    }
}

/// The most characters an item's title has.
pub const MAX_TITLE: usize = 500;

/// A long title cut short: its first sentence if that fits, else its words up to the limit,
/// with an ellipsis.
fn shortened(t: &str) -> String {
    if let Some(end) = t.find(". ").map(|i| i + 1)
        && t[..end].chars().count() <= MAX_TITLE
        && end >= 20
    {
        return t[..end].to_string();
    }
    let mut out = String::new();
    for w in t.split_whitespace() {
        if out.chars().count() + w.chars().count() + 2 > MAX_TITLE {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    if out.is_empty() {
        out = t.chars().take(MAX_TITLE - 1).collect();
    }
    out.push('…');
    out
}

/// Names in one cell: split at line breaks and semicolons (commas belong to names such as
/// "Ministry of Defence, Sector for Policy").
fn names(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in s.split(['\n', ';']).map(|n| n.split_whitespace().collect::<Vec<_>>().join(" ")) {
        if !n.is_empty() && !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// The grid with each merged region's value written into every row it spans (in the region's
/// first column), and a warning per region that crosses a column read.
fn unmerged(grid: &Grid, layout: &Layout) -> (Grid, Vec<CellProblem>) {
    let mut g = grid.clone();
    let mut notes = Vec::new();
    for m in &grid.merges {
        let (r0, c0) = (m.first_row as usize, m.first_col as usize);
        if (m.last_row as usize) <= layout.header_row || m.last_row == m.first_row {
            continue;
        }
        let v = grid.cell(r0, c0).clone();
        let start = r0.max(layout.header_row + 1);
        for r in start..=(m.last_row as usize).min(g.rows.len().saturating_sub(1)) {
            let row = &mut g.rows[r];
            if row.len() <= c0 {
                row.resize(c0 + 1, Value::Empty);
            }
            row[c0] = v.clone();
        }
        if layout.columns.get(c0).is_some_and(|c| c.field.is_some()) && !v.is_blank() {
            notes.push(CellProblem {
                row: r0,
                col: c0,
                cell: cell_ref(r0, c0),
                severity: "warning".into(),
                message: format!(
                    "{}:{} are merged: their value is taken for each of their {} rows",
                    cell_ref(r0, c0),
                    cell_ref(m.last_row as usize, m.last_col as usize),
                    m.last_row - m.first_row + 1
                ),
            });
        }
    }
    (g, notes)
}

/// Every row below the header, read through the layout. Problems with a cell are at it; a row
/// with an error is not imported (the importer says so), a warning is said and the row goes on.
pub fn rows(grid: &Grid, layout: &Layout, base_1904: bool) -> (Vec<RowRead>, Vec<CellProblem>) {
    let (g, merge_notes) = unmerged(grid, layout);
    let mut out = Vec::new();
    for r in (layout.header_row + 1)..g.rows.len() {
        out.push(row(&g, layout, r, base_1904));
    }
    (out, merge_notes)
}

fn row(g: &Grid, layout: &Layout, r: usize, base_1904: bool) -> RowRead {
    let mut item = ItemRow { row: r, ..Default::default() };
    let mut problems = Vec::new();
    let cells = &g.rows[r];
    if cells.iter().all(Value::is_blank) {
        return RowRead { kind: RowKind::Blank, item, problems };
    }
    let mut say = |col: usize, severity: &str, message: String| {
        problems.push(CellProblem { row: r, col, cell: cell_ref(r, col), severity: severity.into(), message });
    };
    let mut description: Vec<String> = Vec::new();
    for col in &layout.columns {
        let Some(f) = col.field else { continue };
        let v = g.cell(r, col.index);
        if v.is_blank() {
            continue;
        }
        if let Value::Error(e) = v {
            say(col.index, "error", format!("the cell holds the error {e}"));
            continue;
        }
        item.cols.entry(f).or_insert(col.index);
        let raw = v.text();
        if raw != raw.trim() && matches!(f, Field::Code | Field::Parent) {
            // Spaces around a code are dropped; said, since a lookup by hand would miss it.
            say(col.index, "warning", format!("spaces around {:?} are dropped", raw.trim()));
        }
        let mut note = |read_note: Option<String>, refused: bool| {
            if let Some(n) = read_note {
                say(col.index, if refused { "error" } else { "warning" }, n);
            }
        };
        match f {
            Field::Code | Field::Parent => {
                let c = values::code(v);
                note(c.note, c.refused);
                let code = c.value.map(|c| values::plain(&c));
                if f == Field::Code { item.code = code } else { item.parent = code }
            }
            Field::Level => item.level = Some(values::plain(&raw)).filter(|s| !s.is_empty()),
            Field::Title => {
                item.title = Some(values::plain(&raw)).filter(|s| !s.is_empty());
            }
            Field::Description => {
                let text = values::markdown(&raw);
                if !text.is_empty() {
                    if description.is_empty() && Some(col.index) == layout.of(Field::Description).next().map(|c| c.index) {
                        description.push(text);
                    } else {
                        description.push(format!("**{}:** {text}", col.header));
                    }
                }
            }
            Field::Lead => {
                let mut n = names(&values::markdown(&raw).replace(['[', ']'], ""));
                if n.len() > 1 {
                    say(col.index, "warning", format!("{} organisations named as lead: the first, {:?}, leads and the others contribute", n.len(), n[0]));
                    item.contributors.extend(n.drain(1..));
                }
                item.lead = n.into_iter().next();
            }
            Field::Contributors => {
                for n in names(&values::plain_lines(&raw)) {
                    if !item.contributors.contains(&n) {
                        item.contributors.push(n);
                    }
                }
            }
            Field::Area => {
                for n in names(&values::plain_lines(&raw)) {
                    if !item.areas.contains(&n) {
                        item.areas.push(n);
                    }
                }
            }
            Field::Status => {
                let s = values::status(v);
                if s.refused {
                    say(col.index, "warning", format!("{}: the status is left {}", s.note.unwrap_or_default(), "as it is (planned for a new item)"));
                }
                item.status = s.value;
            }
            Field::Start => {
                let s = values::start(v, base_1904);
                note(s.note, s.refused);
                item.start = s.value;
            }
            Field::Due => {
                let d = values::due(v, base_1904);
                if d.refused {
                    // Not a date: kept in the description, so that nothing typed is lost.
                    say(col.index, "warning", format!("{}; it is kept in the description as \"{}: …\"", d.note.unwrap_or_default(), col.header));
                    description.push(format!("**{}:** {}", col.header, values::plain(&raw)));
                } else {
                    note(d.note, false);
                }
                item.due = d.value;
            }
            Field::Weight => {
                let w = values::weight(v);
                note(w.note, w.refused);
                item.weight = w.value;
            }
            Field::GenderMarker => {
                let m = values::gender(v);
                note(m.note, m.refused);
                item.gender_marker = m.value;
            }
            Field::Marking => item.marking = Some(values::plain(&raw)).filter(|s| !s.is_empty()),
        }
    }
    // A title longer than an item's (a paragraph pasted into the title column) is cut to its
    // first sentence, or at a word, and kept whole in the description: nothing is lost.
    if let Some(t) = item.title.clone()
        && t.chars().count() > MAX_TITLE
    {
        let short = shortened(&t);
        let col = item.cols.get(&Field::Title).copied().unwrap_or(0);
        say(
            col,
            "warning",
            format!(
                "the title has {} characters (an item's has at most {MAX_TITLE}): it is cut to {:?}, and kept whole in the description",
                t.chars().count(),
                short
            ),
        );
        if !description.iter().any(|d| d.contains(&t)) {
            description.insert(0, t);
        }
        item.title = Some(short);
    }
    if !description.is_empty() {
        item.description = Some(description.join("\n\n"));
    }
    // A note: no code and no title; or a line of prose alone in the code column (a source, a
    // footnote), which no code looks like.
    let alone = cells.iter().filter(|c| !c.is_blank()).count() == 1;
    let prose = item.code.as_deref().is_some_and(|c| c.chars().count() > 40 || c.chars().any(|x| !(x.is_alphanumeric() || "._-/".contains(x))));
    let kind = if (item.code.is_none() && item.title.is_none()) || (item.title.is_none() && alone && prose) { RowKind::Note } else { RowKind::Item };
    if kind == RowKind::Item {
        let code_col = layout.of(Field::Code).next().map_or(0, |c| c.index);
        let title_col = layout.of(Field::Title).next().map_or(0, |c| c.index);
        if item.code.is_none() {
            say(code_col, "error", "the row has a title but no code: give it one, or map the column that holds the codes".into());
        }
        if item.title.is_none() {
            say(title_col, "error", "the row has a code but no title".into());
        }
    }
    RowRead { kind, item, problems }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::grid;

    #[test]
    fn the_header_is_found_below_a_title_block_in_any_language() {
        let g = grid(&[&["Akcioni plan 2016"], &[""], &["Шифра", "Назив", "Носилац", "Рок", "Статус"], &["1", "Циљ", "", "", ""]]);
        let l = propose(&g);
        assert_eq!(l.header_row, 2);
        let f: Vec<Option<Field>> = l.columns.iter().map(|c| c.field).collect();
        assert_eq!(f, vec![Some(Field::Code), Some(Field::Title), Some(Field::Lead), Some(Field::Due), Some(Field::Status)]);
    }

    #[test]
    fn the_best_named_column_wins_a_field() {
        let g = grid(&[&["No.", "Code", "Parent code", "Level", "Title", "Deadline / timeframe", "Lead agency", "Web page"]]);
        let l = propose(&g);
        let f: Vec<Option<Field>> = l.columns.iter().map(|c| c.field).collect();
        assert_eq!(f, vec![None, Some(Field::Code), Some(Field::Parent), Some(Field::Level), Some(Field::Title), Some(Field::Due), Some(Field::Lead), None]);
    }

    #[test]
    fn rows_are_items_notes_or_blank_with_problems_at_their_cells() {
        let g = grid(&[
            &["Code", "Title", "Due", "Lead"],
            &["1", "Defence reform", "III kvartal 2016", "MoD<br>MFA"],
            &["", "Orphan title", "", ""],
            &["", "", "", ""],
            &["1.2", "Training", "soon", ""],
        ]);
        let l = propose(&g);
        let (rows, _) = rows(&g, &l, false);
        assert_eq!(rows[0].kind, RowKind::Item);
        assert_eq!(rows[0].item.lead.as_deref(), Some("MoD"));
        assert_eq!(rows[0].item.contributors, vec!["MFA".to_string()]);
        assert!(rows[1].problems.iter().any(|p| p.cell == "A3" && p.severity == "error"));
        assert_eq!(rows[2].kind, RowKind::Blank);
        let soon = &rows[3];
        assert!(soon.problems.iter().any(|p| p.cell == "C5" && p.severity == "warning"));
        assert!(soon.item.description.as_deref().unwrap_or("").contains("soon"));
        let long = format!("First sentence of a paragraph. {}", "word ".repeat(200));
        let g = grid(&[&["Code", "Title", "Description"], &["1", &long, "More."], &["2", &"x".repeat(600), ""]]);
        let (rows, _) = super::rows(&g, &propose(&g), false);
        assert_eq!(rows[0].item.title.as_deref(), Some("First sentence of a paragraph."));
        assert!(rows[0].item.description.as_deref().unwrap().starts_with(long.trim()) && rows[0].problems.iter().any(|p| p.cell == "B2"));
        assert_eq!(rows[1].item.title.as_ref().map(|t| t.chars().count()), Some(MAX_TITLE));
        let note = grid(&[&["Code", "Title", "Remark"], &["", "", "Source: the ministry"]]);
        assert_eq!(super::rows(&note, &propose(&note), false).0[0].kind, RowKind::Note);
    }
}
