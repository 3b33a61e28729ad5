//! Indicator figures from a tidy table, as statistics offices publish them: one row per period
//! and disaggregation, a value column, and a column per breakdown whose empty cell means "all"
//! (the total). What each column is for is proposed from its header and its values:
//!
//! * `period` — the year or period (Year, Period, Godina, Година, Год, Период …);
//! * `value` — the figure (Value, Vrednost, Вредност, Значение …);
//! * `category` — the breakdown the indicator is disaggregated by, found by its values (women
//!   and men in any of the languages: `женщины`, `žene`, `female` …);
//! * `breakdown` — another breakdown (empty in total rows): its rows are not the indicator's
//!   and are left out, said;
//! * `series` — a column with several values and no empty cell (an answer category such as
//!   "feel completely safe"): one value must be chosen (a filter), or the figures would mix;
//! * `constant` — one value throughout (the unit): left as it is.

use super::values::fold;
use super::{Grid, Value, column_letter};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What a column is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Period,
    Value,
    Category,
    Breakdown,
    Series,
    Constant,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "period" => Role::Period,
            "value" => Role::Value,
            "category" => Role::Category,
            "breakdown" => Role::Breakdown,
            "series" => Role::Series,
            "constant" => Role::Constant,
            _ => return None,
        })
    }
}

/// One column of the table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FigureColumn {
    pub index: usize,
    pub letter: String,
    pub header: String,
    pub role: Role,
    /// Its distinct values (at most 50 shown).
    pub values: Vec<String>,
}

const PERIOD: &[&str] = &["year", "period", "time period", "date", "godina", "period", "god", "razdoblje", "год", "период"];
const VALUE: &[&str] = &["value", "obs value", "observation", "vrednost", "vrijednost", "iznos", "znacenie", "значение"];

/// Headers of the usual disaggregation, by sex.
const SEX: &[&str] = &["sex", "gender", "pol", "spol", "пол", "sex disaggregation"];

/// What each category of a disaggregation is called, folded ([`fold`]): the key, then its names.
const CATEGORIES: &[(&str, &[&str])] = &[
    ("women", &["women", "woman", "female", "females", "f", "girls", "zene", "zena", "zenski", "zenshchiny", "женщины", "zhenshchiny", "devojke", "devojcice"]),
    ("men", &["men", "man", "male", "males", "m", "boys", "muskarci", "muskarac", "muski", "мужчины", "muzhchiny", "mladici", "decaci"]),
];

/// The category key a cell names, for an indicator whose categories are `keys`: the key itself,
/// or one of its names in any language.
pub fn category_of(cell: &str, keys: &[String]) -> Option<String> {
    let f = fold(cell);
    if f.is_empty() {
        return None;
    }
    if let Some(k) = keys.iter().find(|k| fold(k) == f) {
        return Some(k.clone());
    }
    // Russian Cyrillic folds through the Serbian table only in part: compare the raw lower case too.
    let lower = cell.trim().to_lowercase();
    CATEGORIES.iter().find(|(_, names)| names.contains(&f.as_str()) || names.contains(&lower.as_str())).map(|(k, _)| k.to_string()).filter(|k| keys.contains(k))
}

/// The header row (the first row with two or more cells) and a role for each column.
pub fn propose(grid: &Grid, categories: &[String]) -> (usize, Vec<FigureColumn>) {
    let header = grid.rows.iter().position(|r| r.iter().filter(|c| !c.is_blank()).count() >= 2).unwrap_or(0);
    (header, roles(grid, header, categories))
}

/// The roles of the columns with the header in `header`.
pub fn roles(grid: &Grid, header: usize, categories: &[String]) -> Vec<FigureColumn> {
    let width = grid.width();
    let mut out = Vec::new();
    let mut period_taken = false;
    let mut value_taken = false;
    let mut category_taken = false;
    for c in 0..width {
        let h = grid.cell(header, c).text().trim().to_string();
        let fh = fold(&h);
        let lh = h.to_lowercase();
        let mut distinct: BTreeSet<String> = BTreeSet::new();
        let mut empty = false;
        for r in (header + 1)..grid.rows.len() {
            if grid.rows[r].iter().all(Value::is_blank) {
                continue;
            }
            let v = grid.cell(r, c);
            if v.is_blank() {
                empty = true;
            } else {
                distinct.insert(v.text().trim().to_string());
            }
        }
        let names = |list: &[&str]| list.contains(&fh.as_str()) || list.contains(&lh.as_str());
        let role = if !period_taken && names(PERIOD) {
            period_taken = true;
            Role::Period
        } else if !value_taken && names(VALUE) {
            value_taken = true;
            Role::Value
        } else if !category_taken
            && !categories.is_empty()
            && (names(SEX) || {
                // Or by its values: most of them name the indicator's categories (a stray value is
                // then said at its cell, not taken for another breakdown).
                let known = distinct.iter().filter(|v| category_of(v, categories).is_some()).count();
                known > 0 && known * 2 >= distinct.len()
            })
        {
            category_taken = true;
            Role::Category
        } else if distinct.len() <= 1 && !empty {
            Role::Constant
        } else if empty {
            Role::Breakdown
        } else if distinct.len() <= 1 {
            Role::Constant
        } else {
            Role::Series
        };
        out.push(FigureColumn { index: c, letter: column_letter(c), header: h, role, values: distinct.into_iter().take(50).collect() });
    }
    out
}

/// A figure as written: `70.61922571705347`, `42,4` (a decimal comma), `42.4 %`, `1 234`. Never
/// rounded.
pub fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) if n.is_finite() => Some(*n),
        Value::Text(t) => {
            let t: String = t.trim().trim_end_matches('%').trim().chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
            let t = if t.contains(',') && !t.contains('.') { t.replace(',', ".") } else { t.replace(',', "") };
            t.parse::<f64>().ok().filter(|n| n.is_finite())
        }
        _ => None,
    }
}

/// The distinct values of a column below the header, for a filter's choices.
pub fn values_of(grid: &Grid, header: usize, col: usize) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for r in (header + 1)..grid.rows.len() {
        let v = grid.cell(r, col);
        if !v.is_blank() {
            *m.entry(v.text().trim().to_string()).or_insert(0) += 1;
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::grid;

    #[test]
    fn the_columns_of_a_statistics_office_table_are_told_apart() {
        let g = grid(&[
            &["Year", "Units", "Степень безопасности", "Местность", "Пол", "Value"],
            &["2016", "процент", "в полной безопасности", "", "", "42.4"],
            &["2016", "процент", "достаточно безопасно", "", "", "48.7"],
            &["2016", "процент", "в полной безопасности", "городская местность", "", "38.0"],
            &["2016", "процент", "в полной безопасности", "", "мужчины", "48.2"],
            &["2016", "процент", "в полной безопасности", "", "женщины", "37.1"],
        ]);
        let keys = vec!["women".to_string(), "men".to_string()];
        let (h, cols) = propose(&g, &keys);
        assert_eq!(h, 0);
        let roles: Vec<Role> = cols.iter().map(|c| c.role).collect();
        assert_eq!(roles, vec![Role::Period, Role::Constant, Role::Series, Role::Breakdown, Role::Category, Role::Value]);
        assert_eq!(category_of("женщины", &keys).as_deref(), Some("women"));
        assert_eq!(category_of("Žene", &keys).as_deref(), Some("women"));
        assert_eq!(category_of("Мушкарци", &keys).as_deref(), Some("men"));
        assert_eq!(category_of("children", &keys), None);
        let stray = grid(&[&["Year", "Group", "Value"], &["2016", "men", "1"], &["2016", "women", "2"], &["2016", "children", "3"]]);
        assert_eq!(propose(&stray, &keys).1[1].role, Role::Category, "most values name categories");
    }

    #[test]
    fn figures_are_read_as_written_and_never_rounded() {
        assert_eq!(number(&Value::Text("70.61922571705347".into())), Some(70.61922571705347));
        assert_eq!(number(&Value::Text("42,4".into())), Some(42.4));
        assert_eq!(number(&Value::Text("42.4 %".into())), Some(42.4));
        assert_eq!(number(&Value::Text("1,234.5".into())), Some(1234.5));
        assert_eq!(number(&Value::Text("n/a".into())), None);
        assert_eq!(number(&Value::Number(87.4)), Some(87.4));
    }
}
