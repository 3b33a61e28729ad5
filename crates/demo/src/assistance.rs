//! The demo's assistance: the partner's requests, Allies' offers at every step of their life
//! (one duplicated, one declined, one withdrawn, one shared with another Ally), goals left
//! without support, and a year of activities beginning with the January 2015 conference on NATO
//! in Kovačica.

use super::Loader;
use liaison_app::{AppError, Ctx, Result};
use liaison_domain::activity::{ActivityKind, NewActivity, Participants};
use liaison_domain::assistance::{AssistanceKind, NewOffer, NewRequest, OfferState, OfferStep, Priority};
use liaison_domain::marking::{Level, Marking};
use liaison_domain::plan::{Period, Plan};
use liaison_domain::text::Text;
use liaison_domain::{ItemId, OfferId, RequestId};
use std::collections::HashMap;

fn period(a: (i32, u32, u32), b: (i32, u32, u32)) -> Period {
    Period { start: super::date(a.0, a.1, a.2), end: super::date(b.0, b.1, b.2) }
}

impl Loader {
    fn item(&self, ids: &HashMap<String, ItemId>, code: &str) -> Result<ItemId> {
        ids.get(code).copied().ok_or_else(|| AppError::Internal(format!("demo item {code} missing")))
    }

    #[allow(clippy::too_many_arguments)]
    async fn ask(
        &self,
        plan: &Plan,
        en: &str,
        sr: &str,
        kind: AssistanceKind,
        p: Period,
        priority: Priority,
        items: Vec<ItemId>,
        need: &str,
    ) -> Result<RequestId> {
        let partner = self.as_user("partner@demo.test").await?;
        self.clock.tick();
        let input = NewRequest { title: super::text(en, sr), need: need.into(), kind, period: p, priority, items, marking: None };
        Ok(liaison_app::assistance::create_request(&self.app, &partner, plan.id, input).await?.id)
    }

    #[allow(clippy::too_many_arguments)]
    async fn offer(
        &self,
        plan: &Plan,
        by: &str,
        en: &str,
        kind: AssistanceKind,
        p: Period,
        value: (i64, &str),
        items: Vec<ItemId>,
        answers: Option<RequestId>,
        shared_with: &[&str],
    ) -> Result<OfferId> {
        // Norway's offers are made by its own contributor; the others are recorded by the coordinator.
        let ctx = if by == "NOR MoD" { self.as_user("ally@demo.test").await? } else { self.as_user("coordinator@demo.test").await? };
        self.clock.tick();
        let input = NewOffer {
            kind,
            title: Text::new("en", en),
            description: String::new(),
            value_minor: Some(value.0),
            currency: Some(value.1.into()),
            period: p,
            items,
            answers,
            shared_with: shared_with.iter().map(|s| self.org(s)).collect::<Result<_>>()?,
            marking: None,
            offered_by: (by != "NOR MoD").then(|| self.org(by)).transpose()?,
        };
        Ok(liaison_app::assistance::create_offer(&self.app, &ctx, plan.id, input).await?.id)
    }

    async fn move_offer(&self, who: &str, id: OfferId, to: OfferState, reason: Option<&str>) -> Result<()> {
        let ctx: Ctx = self.as_user(who).await?;
        let cur = liaison_app::assistance::get_offer(&self.app, &self.sys, id).await?;
        self.clock.tick();
        liaison_app::assistance::step_offer(&self.app, &ctx, id, cur.version, OfferStep { to, reason: reason.map(String::from) }).await?;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn activity(
        &self,
        plan: &Plan,
        kind: ActivityKind,
        title: Text,
        p: Period,
        place: &str,
        organiser: &str,
        items: Vec<ItemId>,
        offer: Option<OfferId>,
        people: (u32, u32),
        reference: &str,
        outcome: &str,
        public: bool,
    ) -> Result<()> {
        let coordinator = self.as_user("coordinator@demo.test").await?;
        self.clock.tick();
        let input = NewActivity {
            kind,
            title,
            description: String::new(),
            dates: p,
            place: place.into(),
            organiser: Some(self.org(organiser)?),
            items,
            offer,
            participants: Participants { women: people.0, men: people.1 },
            catalogue_ref: reference.into(),
            outcome: outcome.into(),
            feedback: String::new(),
            marking: public.then(|| Marking::new(Level::Public, &[], "NATO")),
            downgrade: public,
        };
        liaison_app::activities::create(&self.app, &coordinator, plan.id, input).await?;
        Ok(())
    }
}

/// The first IPAP's assistance and its first year of activities.
pub(crate) async fn ipap_2015(l: &Loader, plan: &Plan, ids: &HashMap<String, ItemId>) -> Result<()> {
    use AssistanceKind::*;
    l.clock.set(2015, 2, 9);
    let english = l
        .ask(
            plan,
            "English language instructors for the Military Academy",
            "Наставници енглеског језика за Војну академију",
            Training,
            period((2015, 3, 1), (2016, 6, 30)),
            Priority::High,
            vec![l.item(ids, "2.3.2")?],
            "Two instructors for a year, and a course for the Academy's own teachers.",
        )
        .await?;
    let ammunition = l
        .ask(
            plan,
            "Support for the safe disposal of surplus ammunition",
            "Подршка безбедном уништавању вишкова муниције",
            Funding,
            period((2015, 6, 1), (2016, 12, 31)),
            Priority::High,
            vec![l.item(ids, "2.4.1")?],
            "Funds and expertise for the disposal of about 2,000 tonnes.",
        )
        .await?;
    l.ask(
        plan,
        "Training for a consequence-management field exercise",
        "Обука за теренску вежбу управљања последицама",
        Training,
        period((2016, 1, 1), (2016, 12, 31)),
        Priority::Medium,
        vec![l.item(ids, "4.3.2")?],
        "Planning support and evaluators for the exercise.",
    )
    .await?;
    l.ask(
        plan,
        "Experts for public events on the partnership",
        "Стручњаци за јавне догађаје о партнерству",
        Expertise,
        period((2015, 1, 1), (2015, 12, 31)),
        Priority::Low,
        vec![l.item(ids, "4.1.1")?],
        "Speakers from Allied countries for events outside Belgrade.",
    )
    .await?;

    l.clock.set(2015, 2, 20);
    let nor = l
        .offer(
            plan,
            "NOR MoD",
            "English language instructors (two, for a year)",
            Training,
            period((2015, 3, 1), (2015, 12, 31)),
            (240_000_000, "NOK"),
            vec![l.item(ids, "2.3.2")?],
            Some(english),
            &[],
        )
        .await?;
    let gbr = l
        .offer(
            plan,
            "GBR DS",
            "English language course at the Defence Academy",
            Training,
            period((2015, 9, 1), (2016, 6, 30)),
            (18_000_000, "GBP"),
            vec![l.item(ids, "2.3.2")?],
            None,
            &[],
        )
        .await?;
    let nld = l
        .offer(
            plan,
            "NLD MoD",
            "Mentors for the gender focal points",
            Expertise,
            period((2015, 4, 1), (2015, 10, 31)),
            (7_500_000, "EUR"),
            vec![l.item(ids, "2.5.2")?],
            None,
            &["NOR MoD"],
        )
        .await?;
    let usa = l
        .offer(
            plan,
            "USA ODC",
            "Equipment for the peacekeeping training centre",
            Equipment,
            period((2015, 5, 1), (2016, 5, 31)),
            (120_000_000, "USD"),
            vec![l.item(ids, "2.2.2")?],
            None,
            &[],
        )
        .await?;
    let nspa = l
        .offer(
            plan,
            "NSPA",
            "Trust fund project for ammunition disposal",
            Funding,
            period((2015, 9, 1), (2017, 12, 31)),
            (350_000_000, "EUR"),
            vec![l.item(ids, "2.4.1")?],
            Some(ammunition),
            &[],
        )
        .await?;
    let bi = l
        .offer(
            plan,
            "NOR MoD",
            "Building Integrity peer review",
            Expertise,
            period((2015, 4, 1), (2015, 6, 30)),
            (50_000_000, "NOK"),
            vec![l.item(ids, "1.4.1")?],
            None,
            &[],
        )
        .await?;
    let sec = l
        .offer(
            plan,
            "NLD MoD",
            "Course for security officers",
            Training,
            period((2015, 9, 1), (2015, 11, 30)),
            (3_000_000, "EUR"),
            vec![l.item(ids, "3.2.2")?],
            None,
            &[],
        )
        .await?;

    l.clock.set(2015, 3, 2);
    l.move_offer("partner@demo.test", nor, OfferState::Accepted, None).await?;
    l.move_offer("partner@demo.test", usa, OfferState::Accepted, None).await?;
    l.move_offer("partner@demo.test", nld, OfferState::Accepted, None).await?;
    l.move_offer("partner@demo.test", bi, OfferState::Declined, Some("The self-assessment is already being done with NATO's Building Integrity team.")).await?;
    l.move_offer("ally@demo.test", nor, OfferState::InDelivery, None).await?;
    l.clock.set(2015, 4, 15);
    l.move_offer("coordinator@demo.test", nld, OfferState::InDelivery, None).await?;
    l.clock.set(2015, 8, 20);
    l.move_offer("coordinator@demo.test", sec, OfferState::Withdrawn, Some("The trainers are needed for a mission abroad; offered again for 2016.")).await?;
    let _ = (gbr, nspa);

    // The year's activities, recorded as they happened.
    l.clock.set(2015, 1, 26);
    let kovacica = Text::new("en", "NATO and Serbia: what the partnership means for citizens").with("sr", "НАТО и Србија: шта партнерство значи за грађане");
    l.activity(
        plan,
        ActivityKind::Conference,
        kovacica,
        period((2015, 1, 23), (2015, 1, 23)),
        "Kovačica",
        "MFA NATO-PfP",
        vec![l.item(ids, "4.1.1")?],
        None,
        (46, 39),
        "",
        "Students, local officials and journalists asked how the partnership differs from membership; the answers were published in the local press.",
        true,
    )
    .await?;
    l.clock.set(2015, 3, 23);
    l.activity(
        plan,
        ActivityKind::Course,
        super::text("English for peacekeepers, first course", "Енглески за мировне мисије, први курс"),
        period((2015, 3, 16), (2015, 3, 20)),
        "Military Academy, Belgrade",
        "NOR MoD",
        vec![l.item(ids, "2.3.2")?],
        Some(nor),
        (4, 14),
        "PCM-LNG-0115",
        "Eighteen officers passed the course; eleven reached STANAG 6001 level 2.",
        false,
    )
    .await?;
    l.clock.set(2015, 5, 15);
    l.activity(
        plan,
        ActivityKind::Seminar,
        super::text("UNSCR 1325 in the defence system", "Резолуција 1325 у систему одбране"),
        period((2015, 5, 11), (2015, 5, 13)),
        "Belgrade",
        "NLD MoD",
        vec![l.item(ids, "2.5.1")?, l.item(ids, "2.5.2")?],
        Some(nld),
        (22, 9),
        "",
        "Focal points from every command agreed a common reporting template.",
        false,
    )
    .await?;
    l.clock.set(2015, 6, 22);
    l.activity(
        plan,
        ActivityKind::Exercise,
        super::text("Peacekeeping staff exercise", "Штабна вежба за мировне операције"),
        period((2015, 6, 8), (2015, 6, 19)),
        "South Base, Bujanovac",
        "SAF Training",
        vec![l.item(ids, "2.2.2")?],
        None,
        (7, 63),
        "",
        "The battalion staff met the evaluation criteria; logistics planning needs more practice.",
        false,
    )
    .await?;
    l.clock.set(2015, 9, 25);
    l.activity(
        plan,
        ActivityKind::Visit,
        super::text("Building Integrity team visit", "Посета тима за изградњу интегритета"),
        period((2015, 9, 21), (2015, 9, 23)),
        "Ministry of Defence, Belgrade",
        "NATO IS",
        vec![l.item(ids, "1.4.1")?],
        None,
        (5, 8),
        "",
        "The self-assessment questionnaire was reviewed with the Ministry's inspectors.",
        false,
    )
    .await?;
    l.clock.set(2015, 11, 12);
    l.activity(
        plan,
        ActivityKind::Conference,
        super::text("Protection of classified information", "Заштита тајних података"),
        period((2015, 11, 10), (2015, 11, 10)),
        "Belgrade",
        "NSC Office",
        vec![l.item(ids, "3.2.2")?],
        None,
        (31, 27),
        "",
        "Security officers of twelve institutions discussed the new rulebook.",
        false,
    )
    .await?;
    l.clock.set(2015, 12, 14);
    l.activity(
        plan,
        ActivityKind::Course,
        super::text("English for peacekeepers, second course", "Енглески за мировне мисије, други курс"),
        period((2015, 12, 7), (2015, 12, 11)),
        "Military Academy, Belgrade",
        "NOR MoD",
        vec![l.item(ids, "2.3.2")?],
        Some(nor),
        (6, 12),
        "PCM-LNG-0115",
        "All eighteen participants passed; the Academy's teachers ran half of the lessons.",
        false,
    )
    .await?;
    l.clock.set(2016, 1, 8);
    l.move_offer("ally@demo.test", nor, OfferState::Delivered, None).await?;
    Ok(())
}
