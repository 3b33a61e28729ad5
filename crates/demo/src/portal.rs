//! The demo's public portal: IPAP 2015 published for citizens, with stories in English and
//! Serbian on the plan's agreement and on the January 2015 conference in Kovačica, illustrated
//! with generated pictures. One more story waits in release review, to show the workflow.

use super::{Loader, text};
use liaison_app::{AppError, Ctx, Result};
use liaison_domain::plan::Plan;
use liaison_domain::portal::PortalInput;
use liaison_domain::story::{NewStory, StoryStep, StoryStepInput};
use liaison_domain::{ActivityId, ItemId};
use std::collections::HashMap;

struct Draft<'a> {
    language: &'a str,
    title: &'a str,
    summary: &'a str,
    body: &'a str,
    caption: &'a str,
    seed: u32,
}

const AGREED_EN: Draft = Draft {
    language: "en",
    title: "Serbia and NATO agree a partnership action plan",
    summary: "The North Atlantic Council approved Serbia's first Individual Partnership Action Plan on 15 January 2015, a month after the Government of Serbia adopted it.",
    body: "Serbia and NATO now share a written plan for their cooperation until 2018. The Government of Serbia adopted it in December 2014 and the North Atlantic Council approved it on 15 January 2015.\n\n\
The plan is Serbia's own: it lists what Serbia wants to achieve and where it asks NATO and individual Allies for help. Its four chapters are:\n\n\
1. the political and security framework, including democratic control of the armed forces;\n\
2. defence and military issues;\n\
3. protection of classified information;\n\
4. public diplomacy, science and emergency management.\n\n\
Taking part in the plan does not change Serbia's military neutrality. Progress on its public parts will be reported on these pages.",
    caption: "Illustration: the plan's four chapters as coloured bands",
    seed: 1,
};

const AGREED_SR: Draft = Draft {
    language: "sr",
    title: "Србија и НАТО договорили акциони план партнерства",
    summary: "Северноатлантски савет одобрио је 15. јануара 2015. први Индивидуални акциони план партнерства Србије, месец дана пошто га је усвојила Влада Србије.",
    body: "Србија и НАТО сада имају писани план сарадње до 2018. године. Влада Србије усвојила га је у децембру 2014, а Северноатлантски савет одобрио 15. јануара 2015.\n\n\
План је план Србије: у њему је наведено шта Србија жели да постигне и где тражи помоћ НАТО-а и појединих савезника. Има четири поглавља:\n\n\
1. политички и безбедносни оквир, укључујући демократску контролу оружаних снага;\n\
2. одбрамбена и војна питања;\n\
3. заштита тајних података;\n\
4. јавна дипломатија, наука и управљање ванредним ситуацијама.\n\n\
Учешће у плану не мења војну неутралност Србије. Напредак у јавним деловима плана биће објављиван на овим страницама.",
    caption: "Илустрација: четири поглавља плана као обојене траке",
    seed: 1,
};

const KOVACICA_EN: Draft = Draft {
    language: "en",
    title: "Kovačica asks what the partnership means",
    summary: "Eighty-five people came to the first public event on the new plan, held in Kovačica on 23 January 2015.",
    body: "The first public event on the partnership action plan took place not in Belgrade but in Kovačica, a town in Banat known for its naïve painters. Forty-six women and thirty-nine men took part.\n\n\
Officials of the Ministry of Foreign Affairs explained what the plan contains and what it does not: it is a list of reforms Serbia has chosen, with help from Allies where Serbia asks for it. Questions from the hall were about jobs in the armed forces, about emergency help after floods, and about how citizens can follow the work.\n\n\
More events are planned across Serbia during 2015. Their dates are on the activities page and in the public calendar.",
    caption: "Illustration: a full hall, drawn as shapes",
    seed: 3,
};

const KOVACICA_SR: Draft = Draft {
    language: "sr",
    title: "Ковачица пита шта партнерство значи",
    summary: "Осамдесет петоро људи дошло је на први јавни догађај о новом плану, одржан у Ковачици 23. јануара 2015.",
    body: "Први јавни догађај о акционом плану партнерства није одржан у Београду, већ у Ковачици, банатском месту познатом по наивном сликарству. Учествовале су четрдесет и шест жена и тридесет и девет мушкараца.\n\n\
Представници Министарства спољних послова објаснили су шта план садржи, а шта не: то је списак реформи које је Србија сама изабрала, уз помоћ савезника тамо где је Србија затражи. Питања из сале тицала су се посла у војсци, помоћи у ванредним ситуацијама после поплава и начина на који грађани могу да прате рад.\n\n\
Током 2015. планирани су нови догађаји широм Србије. Њихови датуми налазе се на страници активности и у јавном календару.",
    caption: "Илустрација: пуна сала, нацртана облицима",
    seed: 3,
};

const COURSE_EN: Draft = Draft {
    language: "en",
    title: "Officers finish the first English course",
    summary: "Twelve officers completed the course offered under the plan.",
    body: "The first English course under the plan ended in Belgrade. A longer story follows once the results are in.",
    caption: "Illustration: a classroom, drawn as shapes",
    seed: 5,
};

impl Loader {
    async fn story(&self, author: &Ctx, reviewer: Option<&Ctx>, plan: &Plan, d: &Draft<'_>, items: Vec<ItemId>, activities: Vec<ActivityId>) -> Result<()> {
        self.clock.tick();
        let input =
            NewStory { language: d.language.into(), title: d.title.into(), summary: d.summary.into(), body: d.body.into(), items, activities, marking: None };
        let s = liaison_app::stories::create(&self.app, author, plan.id, input).await?;
        let picture = liaison_adapters::photos::illustration(1200, 800, d.seed);
        let credit = if d.language == "sr" { "Liaison, генерисана слика" } else { "Liaison, generated image" };
        let s = liaison_app::stories::add_photo(&self.app, author, s.id, s.version, d.caption, credit, &picture).await?;
        self.clock.tick();
        let s = liaison_app::stories::step(&self.app, author, s.id, s.version, StoryStepInput { step: StoryStep::Submit, reason: None }).await?;
        if let Some(r) = reviewer {
            self.clock.tick();
            liaison_app::stories::step(&self.app, r, s.id, s.version, StoryStepInput { step: StoryStep::Publish, reason: None }).await?;
        }
        Ok(())
    }
}

pub(super) async fn ipap_2015(l: &Loader, plan: &Plan, ids: &HashMap<String, ItemId>) -> Result<()> {
    let item = |code: &str| ids.get(code).copied().ok_or_else(|| AppError::Internal(format!("demo item {code} missing")));
    let (partner, coordinator) = (l.as_user("partner@demo.test").await?, l.as_user("coordinator@demo.test").await?);
    l.clock.set(2015, 1, 20);
    let portal = PortalInput {
        title: text("Serbia and NATO: the Individual Partnership Action Plan", "Србија и НАТО: Индивидуални акциони план партнерства"),
        summary: text(
            "Serbia's **Individual Partnership Action Plan** (IPAP) sets out the reforms Serbia has chosen and the help it asks of NATO and individual Allies, from 2015 to 2018. These pages show the parts of the plan that are public, how far they have come, and the events open to citizens.",
            "**Индивидуални акциони план партнерства** (ИПАП) Србије садржи реформе које је Србија изабрала и помоћ коју тражи од НАТО-а и појединих савезника, од 2015. до 2018. године. Ове странице приказују јавне делове плана, колико се у њима одмакло и догађаје отворене за грађане.",
        ),
        published: true,
    };
    liaison_app::stories::set_portal(&l.app, &coordinator, plan.id, 0, portal).await?;
    l.clock.set(2015, 1, 21);
    for d in [&AGREED_EN, &AGREED_SR] {
        l.story(&partner, Some(&coordinator), plan, d, vec![item("4.1.2")?], vec![]).await?;
    }
    let kovacica: Vec<ActivityId> =
        liaison_app::activities::of_plan(&l.app, &l.sys, plan.id).await?.into_iter().filter(|a| a.place == "Kovačica").map(|a| a.id).collect();
    l.clock.set(2015, 1, 27);
    for d in [&KOVACICA_EN, &KOVACICA_SR] {
        l.story(&partner, Some(&coordinator), plan, d, vec![item("4.1.1")?], kovacica.clone()).await?;
    }
    l.clock.set(2015, 6, 30);
    l.story(&partner, None, plan, &COURSE_EN, vec![], vec![]).await?;
    Ok(())
}
