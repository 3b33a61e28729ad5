//! The demo's implementation record: indicators with their measurements, progress reports
//! through review (one returned, some still waiting, one draft), evidence files, reminders,
//! and assessments from the partner's, the alliance's and an independent perspective.

use super::{GOALS_ITEMS, IPAP_2015_ITEMS, IPAP_2019_ITEMS, Loader, rows};
use liaison_app::{AppError, Ctx, Result};
use liaison_domain::assessment::{AssessmentPatch, NewAssessment, Perspective, Rating, Scale};
use liaison_domain::indicator::{Indicator, NewIndicator, NewMeasurement};
use liaison_domain::item::ItemStatus;
use liaison_domain::plan::Plan;
use liaison_domain::progress::{NewUpdate, Step, StepInput};
use liaison_domain::{AttachmentId, ItemId};
use serde_json::json;
use std::collections::HashMap;

/// What happens to a report after it is written.
#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    Approved,
    ReturnedThenApproved,
    Submitted,
    Draft,
}

fn percent_for(status: ItemStatus) -> u8 {
    match status {
        ItemStatus::Completed => 100,
        ItemStatus::PartiallyCompleted => 60,
        ItemStatus::InProgress => 55,
        ItemStatus::Delayed => 30,
        ItemStatus::CarriedOver => 20,
        ItemStatus::NotImplemented => 10,
        ItemStatus::Planned | ItemStatus::Cancelled => 0,
    }
}

fn narrative(status: ItemStatus, interim: bool) -> &'static str {
    if interim {
        return "Work is under way as planned. The lead unit has set up a working group and agreed a schedule with the contributing institutions.";
    }
    match status {
        ItemStatus::Completed => "Completed as planned. The final report and the supporting decisions are filed with the lead ministry.",
        ItemStatus::PartiallyCompleted => "Partly done. The remaining work needs a decision of the Government and moves to the next cycle.",
        ItemStatus::InProgress => "On track. The main milestones of the period were met; the rest follows the agreed schedule.",
        ItemStatus::Delayed => "Behind schedule: the funds for the year were approved late and the tender had to be repeated.",
        ItemStatus::CarriedOver => "Carried over to the next IPAP cycle by agreement of both sides.",
        ItemStatus::NotImplemented => "Not carried out: the exercise was cancelled by its host and no replacement was found in time.",
        _ => "No work yet.",
    }
}

/// A small, valid one-page PDF with a line of text (ASCII), for evidence.
pub(crate) fn pdf(text: &str) -> Vec<u8> {
    let safe: String = text.chars().filter(|c| c.is_ascii() && !c.is_ascii_control()).map(|c| if matches!(c, '(' | ')' | '\\') { ' ' } else { c }).collect();
    let content = format!("BT /F1 14 Tf 72 770 Td ({safe}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for o in offsets {
        out.push_str(&format!("{o:010} 00000 n \n"));
    }
    out.push_str(&format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1));
    out.into_bytes()
}

impl Loader {
    fn id(&self, ids: &HashMap<String, ItemId>, code: &str) -> Result<ItemId> {
        ids.get(code).copied().ok_or_else(|| AppError::Internal(format!("demo item {code} missing")))
    }

    async fn indicator(&self, item: ItemId, def: serde_json::Value) -> Result<Indicator> {
        let input: NewIndicator = serde_json::from_value(def).map_err(|e| AppError::Internal(format!("demo indicator: {e}")))?;
        let ctx = self.as_user("coordinator@demo.test").await?;
        self.clock.tick();
        liaison_app::indicators::create(&self.app, &ctx, item, input).await
    }

    async fn measure(&self, ctx: &Ctx, ind: &Indicator, period: &str, value: serde_json::Value, note: &str) -> Result<()> {
        let mut v = value;
        v["period"] = json!(period);
        v["note"] = json!(note);
        let input: NewMeasurement = serde_json::from_value(v).map_err(|e| AppError::Internal(format!("demo measurement: {e}")))?;
        self.clock.tick();
        liaison_app::indicators::record(&self.app, ctx, ind.id, input).await?;
        Ok(())
    }

    async fn upload(&self, ctx: &Ctx, plan: &Plan, name: &str, bytes: &[u8]) -> Result<AttachmentId> {
        self.clock.tick();
        Ok(liaison_app::attachments::upload(&self.app, ctx, plan.id, name, None, bytes).await?.id)
    }

    /// Write a report and take it as far as `outcome` says.
    #[allow(clippy::too_many_arguments)]
    async fn report_on(
        &self,
        ctx: &Ctx,
        item: ItemId,
        period: &str,
        status: ItemStatus,
        percent: u8,
        text: &str,
        evidence: Vec<AttachmentId>,
        outcome: Outcome,
    ) -> Result<()> {
        let coordinator = self.as_user("coordinator@demo.test").await?;
        self.clock.tick();
        let input = NewUpdate { period: period.into(), status, percent, narrative: text.into(), evidence, marking: None };
        let u = liaison_app::progress::create(&self.app, ctx, item, input).await?;
        if outcome == Outcome::Draft {
            return Ok(());
        }
        self.clock.tick();
        let mut u = liaison_app::progress::step(&self.app, ctx, u.id, u.version, StepInput { step: Step::Submit, reason: None }).await?;
        if outcome == Outcome::ReturnedThenApproved {
            self.clock.tick();
            let reason = "Please attach the decision or order that shows the result, and say which units it covers.";
            u = liaison_app::progress::step(&self.app, &coordinator, u.id, u.version, StepInput { step: Step::Return, reason: Some(reason.into()) }).await?;
            self.clock.tick();
            let patch = liaison_domain::progress::UpdatePatch {
                narrative: Some(format!("{text} The order of the Minister of Defence covering all commands is attached.")),
                ..Default::default()
            };
            u = liaison_app::progress::update(&self.app, ctx, u.id, u.version, patch).await?;
            self.clock.tick();
            u = liaison_app::progress::step(&self.app, ctx, u.id, u.version, StepInput { step: Step::Submit, reason: None }).await?;
        }
        if outcome == Outcome::Submitted {
            return Ok(());
        }
        self.clock.tick();
        liaison_app::progress::step(&self.app, &coordinator, u.id, u.version, StepInput { step: Step::Approve, reason: None }).await?;
        Ok(())
    }

    /// One round of reports on the leaves of a plan's table: interim (`fraction` of the final
    /// percent, in progress) or final (the final status). Alliance-only and planned items are
    /// not reported by the partner.
    async fn round(&self, table: &str, ids: &HashMap<String, ItemId>, period: &str, fraction: Option<f64>, outcomes: &dyn Fn(usize) -> Outcome) -> Result<()> {
        let partner = self.as_user("partner@demo.test").await?;
        let reporter = self.as_user("reporter@demo.test").await?;
        let all = rows(table)?;
        let mut n = 0;
        for (i, r) in all.iter().enumerate() {
            let leaf = all.get(i + 1).is_none_or(|next| next.depth <= r.depth);
            let Some(id) = ids.get(r.code) else { continue };
            if !leaf || r.flags.contains(&"alliance") || matches!(r.status, ItemStatus::Planned | ItemStatus::Cancelled) {
                continue;
            }
            let ctx = if r.lead == "MoD Policy" { &reporter } else { &partner };
            let (status, percent) = match fraction {
                Some(f) => {
                    let s = if r.status == ItemStatus::Delayed { ItemStatus::Delayed } else { ItemStatus::InProgress };
                    (s, ((f64::from(percent_for(r.status)) * f).round() as u8).min(90))
                }
                None => (r.status, percent_for(r.status)),
            };
            self.report_on(ctx, *id, period, status, percent, narrative(status, fraction.is_some()), Vec::new(), outcomes(n)).await?;
            n += 1;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn assess(
        &self,
        who: &str,
        plan: &Plan,
        period: &str,
        perspective: Perspective,
        scale: Scale,
        ratings: Vec<(ItemId, &str, &str)>,
        judgement: &str,
        finalise: bool,
    ) -> Result<()> {
        let ctx = self.as_user(who).await?;
        self.clock.tick();
        let a = liaison_app::assessments::create(
            &self.app,
            &ctx,
            plan.id,
            NewAssessment { period: period.into(), perspective, scale, narrative: String::new(), marking: None },
        )
        .await?;
        let ratings = ratings.into_iter().map(|(item, rating, narrative)| Rating { item, rating: rating.into(), narrative: narrative.into() }).collect();
        self.clock.tick();
        let patch = AssessmentPatch { narrative: Some(judgement.into()), finalise, ratings };
        liaison_app::assessments::update(&self.app, &ctx, a.id, a.version, patch).await?;
        Ok(())
    }
}

/// A completion rating from a final status, as the partner would see its own work.
fn own_rating(s: ItemStatus) -> &'static str {
    match s {
        ItemStatus::Completed => "complete",
        ItemStatus::PartiallyCompleted | ItemStatus::InProgress => "substantial",
        ItemStatus::Delayed | ItemStatus::CarriedOver => "limited",
        ItemStatus::NotImplemented => "not_started",
        _ => "no_evidence",
    }
}

/// The alliance's view: the same, one step more cautious where the evidence is thin.
fn alliance_rating(s: ItemStatus, cautious: bool) -> &'static str {
    match (s, cautious) {
        (ItemStatus::Completed, true) => "substantial",
        (ItemStatus::PartiallyCompleted | ItemStatus::InProgress, true) => "limited",
        (s, _) => own_rating(s),
    }
}

/// The Partnership Goals: indicators and two rounds of reports, evidence, reminders, and the
/// 2016 assessment from both sides.
pub(crate) async fn goals(l: &Loader, plan: &Plan, ids: &HashMap<String, ItemId>) -> Result<()> {
    l.clock.set(2015, 1, 12);
    let english = l
        .indicator(
            l.id(ids, "PG-37")?,
            json!({"name": {"en": "Personnel at STANAG 6001 level 2 or higher", "sr": "Припадници са нивоом 2 или вишим по СТАНАГ 6001"},
                "unit": "people", "measure": "number", "cumulative": true, "baseline": {"value": 0, "date": "2014-12-31"},
                "targets": [{"period": "2015-Q4", "value": 150, "by_category": {"women": 30}}, {"period": "2016-Q4", "value": 300, "by_category": {"women": 60}}],
                "dimension": {"key": "sex", "categories": ["women", "men"]}}),
        )
        .await?;
    let advisers = l
        .indicator(
            l.id(ids, "PG-39")?,
            json!({"name": {"en": "Gender advisers appointed", "sr": "Постављени саветници за родну равноправност"}, "unit": "advisers",
                "measure": "number", "cumulative": true, "targets": [{"period": "2016-Q2", "value": 12}],
                "dimension": {"key": "sex", "categories": ["women", "men"]}}),
        )
        .await?;
    let exercises = l
        .indicator(
            l.id(ids, "PG-28")?,
            json!({"name": {"en": "Cyber defence exercises held", "sr": "Одржане вежбе сајбер одбране"}, "unit": "exercises",
                "measure": "number", "cumulative": false,
                "targets": [{"period": "2015-Q2", "value": 1}, {"period": "2015-Q4", "value": 1}, {"period": "2016-Q2", "value": 2}]}),
        )
        .await?;
    let courses = l
        .indicator(
            l.id(ids, "PG-08")?,
            json!({"name": {"en": "Military courses aligned with NATO standards", "sr": "Војни курсеви усклађени са стандардима НАТО"}, "unit": "%",
                "measure": "percentage", "cumulative": false, "targets": [{"period": "2016-Q2", "value": 50}, {"period": "2016-Q4", "value": 75}]}),
        )
        .await?;
    let role2 = l
        .indicator(
            l.id(ids, "PG-30")?,
            json!({"name": {"en": "State of the Role 2 medical facility", "sr": "Стање санитетске установе нивоа 2"}, "measure": "qualitative"}),
        )
        .await?;
    let partner = l.as_user("partner@demo.test").await?;
    // Measurements through 2015 (recorded as the quarters close).
    for (q, (w, m)) in ["2015-Q1", "2015-Q2", "2015-Q3", "2015-Q4"].iter().zip([(6, 24), (8, 27), (9, 33), (11, 36)]) {
        l.clock.set(
            2015,
            match *q {
                "2015-Q1" => 4,
                "2015-Q2" => 7,
                "2015-Q3" => 10,
                _ => 12,
            },
            28,
        );
        l.measure(&partner, &english, q, json!({"by_category": {"women": w, "men": m}}), "Results of the Language Testing Centre for the quarter.").await?;
    }
    l.measure(&partner, &exercises, "2015-Q2", json!({"value": 1}), "National cyber defence exercise at the J-6 training centre.").await?;
    l.measure(&partner, &exercises, "2015-Q4", json!({"value": 0}), "The planned exercise moved to 2016 for lack of trainers.").await?;
    l.measure(&partner, &advisers, "2015-Q3", json!({"by_category": {"women": 3, "men": 1}}), "").await?;
    l.measure(&partner, &advisers, "2015-Q4", json!({"by_category": {"women": 2, "men": 1}}), "").await?;
    l.measure(&partner, &courses, "2015-Q4", json!({"value": 12, "denominator": 40}), "12 of the 40 courses of the Military Academy reviewed.").await?;
    l.measure(&partner, &role2, "2015-Q4", json!({"text": "Building works finished; equipment partly delivered."}), "").await?;
    // The interim round for the end of 2015.
    l.clock.set(2016, 1, 12);
    l.round(GOALS_ITEMS, ids, "2015-Q4", Some(0.5), &|_| Outcome::Approved).await?;
    // The first half of 2016: figures, evidence, then the reports.
    l.clock.set(2016, 7, 4);
    l.measure(&partner, &english, "2016-Q1", json!({"by_category": {"women": 12, "men": 31}}), "").await?;
    l.measure(&partner, &english, "2016-Q2", json!({"by_category": {"women": 14, "men": 35}}), "Includes the first graduates of the intensive course.").await?;
    l.measure(&partner, &advisers, "2016-Q1", json!({"by_category": {"women": 2, "men": 1}}), "").await?;
    l.measure(&partner, &advisers, "2016-Q2", json!({"by_category": {"women": 1, "men": 1}}), "All commands now have an adviser.").await?;
    l.measure(&partner, &exercises, "2016-Q1", json!({"value": 1}), "").await?;
    l.measure(&partner, &exercises, "2016-Q2", json!({"value": 1}), "Took part in an Allied exercise as observers.").await?;
    l.measure(&partner, &courses, "2016-Q2", json!({"value": 22, "denominator": 40}), "").await?;
    l.measure(&partner, &role2, "2016-Q2", json!({"text": "Facility staffed and equipped; evaluation planned for 2017."}), "").await?;
    let order = l
        .upload(&partner, plan, "Order on gender advisers 2016.pdf", &pdf("Order of the Minister of Defence appointing gender advisers in all commands, 2016"))
        .await?;
    let tests = l.upload(&partner, plan, "STANAG 6001 results 2016-H1.csv", b"quarter,women,men\n2016-Q1,12,31\n2016-Q2,14,35\n").await?;
    l.clock.set(2016, 7, 8);
    // Reports with evidence first; PG-39's is returned once for the order.
    l.report_on(
        &partner,
        l.id(ids, "PG-39")?,
        "2016-Q2",
        ItemStatus::Completed,
        100,
        narrative(ItemStatus::Completed, false),
        vec![order],
        Outcome::ReturnedThenApproved,
    )
    .await?;
    l.report_on(
        &partner,
        l.id(ids, "PG-37.1")?,
        "2016-Q2",
        ItemStatus::Completed,
        100,
        narrative(ItemStatus::Completed, false),
        vec![tests],
        Outcome::Approved,
    )
    .await?;
    let skip = ["PG-39", "PG-37.1"];
    let ids_rest: HashMap<String, ItemId> = ids.iter().filter(|(k, _)| !skip.contains(&k.as_str())).map(|(k, v)| (k.clone(), *v)).collect();
    // Most approved; a few waiting for review, one still a draft.
    l.round(GOALS_ITEMS, &ids_rest, "2016-Q2", None, &|n| match n % 11 {
        4 => Outcome::Submitted,
        9 if n > 20 => Outcome::Draft,
        _ => Outcome::Approved,
    })
    .await?;
    // Reminders a few days before the due date, for what is still missing.
    l.clock.set(2016, 7, 10);
    liaison_app::notifications::remind(&l.app).await?;
    // Both sides assess the first half of 2016.
    l.clock.set(2016, 7, 18);
    let table = rows(GOALS_ITEMS)?;
    let goals: Vec<(ItemId, ItemStatus, usize, bool)> = table
        .iter()
        .enumerate()
        .filter(|(_, r)| r.depth == 1)
        .filter_map(|(i, r)| ids.get(r.code).map(|id| (*id, r.status, i, r.flags.contains(&"restricted"))))
        .collect();
    let own: Vec<(ItemId, &str, &str)> = goals.iter().map(|(id, s, _, _)| (*id, own_rating(*s), "")).collect();
    l.assess(
        "partner@demo.test",
        plan,
        "2016-Q2",
        Perspective::SelfAssessment,
        Scale::Completion,
        own,
        "Serbia met most goals due by mid-2016. Delays in logistics and cyber defence stem from late funding and are being addressed in the 2017 budget.",
        true,
    )
    .await?;
    // Where the two sides really differ: reported complete, but not yet seen working.
    let disputed = [l.id(ids, "PG-13")?, l.id(ids, "PG-26")?];
    let alliance: Vec<(ItemId, &str, &str)> = goals
        .iter()
        .map(|(id, s, i, _)| {
            if disputed.contains(id) {
                return (*id, "limited", "Adopted on paper; the Allies have not yet seen it applied in the units.");
            }
            let cautious = i % 5 == 2;
            (*id, alliance_rating(*s, cautious), if cautious { "Evidence so far covers only part of the units." } else { "" })
        })
        .collect();
    l.assess(
        "coordinator@demo.test",
        plan,
        "2016-Q2",
        Perspective::Alliance,
        Scale::Completion,
        alliance,
        "Good overall progress, above all in human resources and gender perspective. Ammunition storage and deployable communications need attention before the next review.",
        true,
    )
    .await?;
    Ok(())
}

/// The first IPAP's first year: interim reports for 2015.
pub(crate) async fn ipap_2015_first_year(l: &Loader, _plan: &Plan, ids: &HashMap<String, ItemId>) -> Result<()> {
    l.clock.set(2015, 2, 10);
    let events = l
        .indicator(
            l.id(ids, "4.1.1")?,
            json!({"name": {"en": "People reached by public events on the partnership", "sr": "Број људи обухваћених јавним догађајима о партнерству"},
                "unit": "people", "measure": "number", "cumulative": true, "targets": [{"period": "2016-Q4", "value": 2000}, {"period": "2017-Q4", "value": 5000}],
                "dimension": {"key": "sex", "categories": ["women", "men"]}}),
        )
        .await?;
    let partner = l.as_user("partner@demo.test").await?;
    l.clock.set(2016, 1, 15);
    for (q, (w, m)) in [("2015-Q1", (120, 140)), ("2015-Q4", (310, 290))] {
        l.measure(&partner, &events, q, json!({"by_category": {"women": w, "men": m}}), "Attendance lists of the events.").await?;
    }
    l.clock.set(2016, 1, 20);
    l.round(IPAP_2015_ITEMS, ids, "2015-Q4", Some(0.4), &|_| Outcome::Approved).await
}

/// The first IPAP's final reports, before its assessment.
pub(crate) async fn ipap_2015_final(l: &Loader, plan: &Plan, ids: &HashMap<String, ItemId>) -> Result<()> {
    l.clock.set(2017, 12, 15);
    let partner = l.as_user("partner@demo.test").await?;
    let events = liaison_app::indicators::of_item(&l.app, &l.sys, l.id(ids, "4.1.1")?)
        .await?
        .into_iter()
        .next()
        .map(|v| v.indicator)
        .ok_or_else(|| AppError::Internal("demo indicator on 4.1.1 missing".into()))?;
    for (q, (w, m)) in [("2016-Q2", (420, 380)), ("2016-Q4", (500, 460)), ("2017-Q2", (760, 690)), ("2017-Q4", (880, 790))] {
        l.measure(&partner, &events, q, json!({"by_category": {"women": w, "men": m}}), "Attendance lists of the events.").await?;
    }
    let kovacica = l
        .upload(
            &partner,
            plan,
            "Kovacica conference 2015 - attendance.pdf",
            &pdf("Conference on NATO and Serbia, Kovacica, January 2015: attendance and programme"),
        )
        .await?;
    l.report_on(
        &partner,
        l.id(ids, "4.1.1")?,
        "2017-Q4",
        ItemStatus::Completed,
        100,
        narrative(ItemStatus::Completed, false),
        vec![kovacica],
        Outcome::Approved,
    )
    .await?;
    let rest: HashMap<String, ItemId> = ids.iter().filter(|(k, _)| k.as_str() != "4.1.1").map(|(k, v)| (k.clone(), *v)).collect();
    l.round(IPAP_2015_ITEMS, &rest, "2017-Q4", None, &|n| if n == 3 { Outcome::ReturnedThenApproved } else { Outcome::Approved }).await
}

/// Both sides assess the first IPAP once it is over.
pub(crate) async fn ipap_2015_assessments(l: &Loader, plan: &Plan, ids: &HashMap<String, ItemId>) -> Result<()> {
    l.clock.set(2018, 10, 15);
    let table = rows(IPAP_2015_ITEMS)?;
    let actions: Vec<(ItemId, ItemStatus, usize, bool)> = table
        .iter()
        .enumerate()
        .filter(|(_, r)| r.depth == 2)
        .filter_map(|(i, r)| ids.get(r.code).map(|id| (*id, r.status, i, r.flags.contains(&"alliance"))))
        .collect();
    let own = actions.iter().filter(|a| !a.3).map(|(id, s, _, _)| (*id, own_rating(*s), "")).collect();
    l.assess(
        "partner@demo.test",
        plan,
        "2018-Q3",
        Perspective::SelfAssessment,
        Scale::Completion,
        own,
        "The first IPAP was carried out to a large extent. Career management reform and the field exercise did not happen in the cycle and are carried into the second IPAP.",
        true,
    )
    .await?;
    let alliance = actions
        .iter()
        .map(|(id, s, i, _)| {
            let cautious = i % 6 == 1;
            (*id, alliance_rating(*s, cautious), if cautious { "Implementation not yet visible in the units." } else { "" })
        })
        .collect();
    l.assess(
        "coordinator@demo.test",
        plan,
        "2018-Q3",
        Perspective::Alliance,
        Scale::Completion,
        alliance,
        "A solid first cycle. The Allies note real progress in classified information protection and public diplomacy; defence planning and integrity need continued support.",
        true,
    )
    .await
}

/// The second IPAP: indicators, reports for mid-2021, and three perspectives.
pub(crate) async fn ipap_2019(l: &Loader, plan: &Plan, ids: &HashMap<String, ItemId>) -> Result<()> {
    l.clock.set(2019, 12, 10);
    let exercises = l
        .indicator(
            l.id(ids, "2.1.2")?,
            json!({"name": {"en": "Multinational exercises attended", "sr": "Мултинационалне вежбе у којима се учествовало"}, "unit": "exercises",
                "measure": "number", "cumulative": true, "targets": [{"period": "2020-Q4", "value": 4}, {"period": "2021-Q4", "value": 8}]}),
        )
        .await?;
    let cirt = l
        .indicator(
            l.id(ids, "2.2.1")?,
            json!({"name": {"en": "Incident response team members certified", "sr": "Сертификовани чланови тима за реаговање на инциденте"}, "unit": "people",
                "measure": "number", "cumulative": true, "targets": [{"period": "2020-Q2", "value": 12, "by_category": {"women": 3}}],
                "dimension": {"key": "sex", "categories": ["women", "men"]}}),
        )
        .await?;
    let partner = l.as_user("partner@demo.test").await?;
    l.clock.set(2021, 7, 2);
    for (q, v) in [("2020-Q1", 1), ("2020-Q3", 2), ("2020-Q4", 1), ("2021-Q2", 2)] {
        l.measure(&partner, &exercises, q, json!({"value": v}), "").await?;
    }
    for (q, (w, m)) in [("2019-Q4", (1, 3)), ("2020-Q1", (1, 4)), ("2020-Q2", (2, 2))] {
        l.measure(&partner, &cirt, q, json!({"by_category": {"women": w, "men": m}}), "Certificates issued by the training centre.").await?;
    }
    l.clock.set(2021, 7, 5);
    l.round(IPAP_2019_ITEMS, ids, "2021-Q2", None, &|n| match n {
        2 => Outcome::Submitted,
        5 => Outcome::Draft,
        _ => Outcome::Approved,
    })
    .await?;
    l.clock.set(2021, 7, 10);
    liaison_app::notifications::remind(&l.app).await?;
    l.clock.set(2021, 7, 16);
    let table = rows(IPAP_2019_ITEMS)?;
    let actions: Vec<(ItemId, ItemStatus, usize, bool)> = table
        .iter()
        .enumerate()
        .filter(|(_, r)| r.depth == 2)
        .filter_map(|(i, r)| ids.get(r.code).map(|id| (*id, r.status, i, r.flags.contains(&"restricted"))))
        .collect();
    let own = actions.iter().map(|(id, s, _, _)| (*id, own_rating(*s), "")).collect();
    l.assess(
        "partner@demo.test",
        plan,
        "2021-Q2",
        Perspective::SelfAssessment,
        Scale::Completion,
        own,
        "Half-way through the cycle most actions are on track; the cyber defence exercise slipped because of travel restrictions.",
        true,
    )
    .await?;
    let alliance = actions.iter().map(|(id, s, i, _)| (*id, alliance_rating(*s, i % 4 == 0), "")).collect();
    l.assess(
        "coordinator@demo.test",
        plan,
        "2021-Q2",
        Perspective::Alliance,
        Scale::Completion,
        alliance,
        "Steady progress; interoperability goals are ahead of plan, secure communications behind.",
        true,
    )
    .await?;
    // The independent review is under way: RAG ratings on the items it has looked at.
    let rag = |s: ItemStatus| match s {
        ItemStatus::Completed => "green",
        ItemStatus::Delayed => "red",
        _ => "amber",
    };
    let independent = actions.iter().filter(|a| !a.3).take(5).map(|(id, s, _, _)| (*id, rag(*s), "")).collect();
    l.assess(
        "assessor@demo.test",
        plan,
        "2021-Q2",
        Perspective::Independent,
        Scale::Rag,
        independent,
        "Interim findings of the panel; the full review follows in the autumn.",
        false,
    )
    .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_evidence_pdf_is_well_formed() {
        let p = super::pdf("Kovacica (2015) \\ test");
        let s = String::from_utf8(p).unwrap();
        assert!(s.starts_with("%PDF-1.4\n") && s.ends_with("%%EOF\n"));
        let xref: usize = s.lines().rev().nth(1).unwrap().parse().unwrap();
        assert!(s[xref..].starts_with("xref"), "startxref points at the table");
        for line in s[xref..].lines().skip(3).take(5) {
            let off: usize = line[..10].parse().unwrap();
            assert!(s[off..].split_whitespace().nth(1) == Some("0"), "object offsets are right");
        }
        assert!(s.contains("(Kovacica  2015    test)"), "parentheses and backslashes cannot break out of the string");
    }
}
