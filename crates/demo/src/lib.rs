//! The demo partnership (DESIGN.md §9): Serbia's first IPAP (2015), its successor (2019–2021)
//! and the 41 Partnership Goals, with the organisations, one account per role, decisions, a
//! realistic spread of statuses and due dates, links between IPAP actions and goals, and agreed
//! versions with an amendment to compare.
//!
//! Everything goes through the use cases of `liaison-app`, acting as the system or as the demo
//! accounts, so the demo is validated like user input and has a history; a clock set to
//! historical dates makes that history read as it happened. Loading is idempotent: what exists
//! is left alone. The command line's `liaison demo` and the test suites load it.

mod assistance;
mod implementation;
mod portal;

use chrono::{NaiveDate, TimeZone, Utc};
use liaison_app::auth::actor_for;
use liaison_app::plans::{ApproveInput, SetMember};
use liaison_app::{App, AppError, Ctx, Result};
use liaison_domain::access::{GlobalRole, Role};
use liaison_domain::decision::{DecisionKind, NewDecision};
use liaison_domain::item::{GenderMarker, ItemPatch, ItemStatus, LinkKind, NewItem, NewLink};
use liaison_domain::marking::{Level, Marking};
use liaison_domain::organisation::{NewOrganisation, OrgKind};
use liaison_domain::plan::{NewPlan, Period, Plan, PlanState};
use liaison_domain::ports::Clock;
use liaison_domain::text::Text;
use liaison_domain::user::{NewUser, User};
use liaison_domain::{ItemId, OrganisationId, Patch, Timestamp};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// The demo accounts and what each can do; all have the password [`PASSWORD`].
pub const ACCOUNTS: &[(&str, &str)] = &[
    ("coordinator@demo.test", "coordinator — NATO Military Liaison Office Belgrade"),
    ("partner@demo.test", "partner editor — Ministry of Foreign Affairs of Serbia"),
    ("ally@demo.test", "Ally contributor — Norwegian Ministry of Defence"),
    ("reporter@demo.test", "reporter — Ministry of Defence of Serbia"),
    ("viewer@demo.test", "viewer — NATO International Staff"),
    ("admin@demo.test", "administrator (accounts, organisations, roles)"),
    ("security@demo.test", "security officer (audit trail)"),
    ("assessor@demo.test", "independent assessor — Independent Review Panel"),
];

pub const PASSWORD: &str = "demo-password";

/// Codes of the demo plans.
pub const IPAP_2015: &str = "IPAP-SRB-2015";
pub const IPAP_2019: &str = "IPAP-SRB-2019";
pub const GOALS: &str = "PG-SRB-2015";

/// A clock the loader moves through history.
pub(crate) struct DemoClock(Mutex<Timestamp>);

impl Clock for DemoClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl DemoClock {
    pub(crate) fn set(&self, y: i32, m: u32, d: u32) {
        let t = Utc.with_ymd_and_hms(y, m, d, 9, 0, 0).single().unwrap_or_else(Utc::now);
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = t;
    }

    /// Advance by a few minutes, so that successive changes keep their order.
    pub(crate) fn tick(&self) {
        let mut t = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *t += chrono::TimeDelta::minutes(7);
    }
}

/// Short name, kind, country, parent, English name, Serbian name.
type OrgRow = (&'static str, OrgKind, Option<&'static str>, Option<&'static str>, &'static str, &'static str);
/// E-mail, display name, organisation, clearance, global roles, role on every plan.
type UserRow = (&'static str, &'static str, &'static str, Level, &'static [GlobalRole], Option<Role>);

const ORGS: &[OrgRow] = &[
    ("NATO IS", OrgKind::AllianceBody, None, None, "NATO International Staff", "Међународни секретаријат НАТО"),
    ("MLO Belgrade", OrgKind::LiaisonOffice, None, None, "NATO Military Liaison Office Belgrade", "Канцеларија НАТО за војну везу у Београду"),
    ("NSPA", OrgKind::Agency, None, None, "NATO Support and Procurement Agency", "Агенција НАТО за подршку и набавку"),
    ("CPE Belgrade", OrgKind::Ally, None, None, "NATO Contact Point Embassy in Belgrade", "Амбасада – контакт тачка НАТО у Београду"),
    ("NOR MoD", OrgKind::Ally, Some("NOR"), None, "Norwegian Ministry of Defence", "Министарство одбране Норвешке"),
    ("NLD MoD", OrgKind::Ally, Some("NLD"), None, "Netherlands Ministry of Defence", "Министарство одбране Холандије"),
    ("GBR DS", OrgKind::Ally, Some("GBR"), None, "British Embassy Defence Section", "Одсек за одбрану Амбасаде Уједињеног Краљевства"),
    ("USA ODC", OrgKind::Ally, Some("USA"), None, "U.S. Embassy Office of Defense Cooperation", "Канцеларија за одбрамбену сарадњу Амбасаде САД"),
    (
        "MFA",
        OrgKind::PartnerGovernment,
        Some("SRB"),
        None,
        "Ministry of Foreign Affairs of the Republic of Serbia",
        "Министарство спољних послова Републике Србије",
    ),
    ("MFA NATO-PfP", OrgKind::PartnerUnit, Some("SRB"), Some("MFA"), "Department for NATO and Partnership for Peace", "Одељење за НАТО и Партнерство за мир"),
    ("MoD", OrgKind::PartnerGovernment, Some("SRB"), None, "Ministry of Defence of the Republic of Serbia", "Министарство одбране Републике Србије"),
    ("MoD Policy", OrgKind::PartnerUnit, Some("SRB"), Some("MoD"), "Defence Policy Sector", "Сектор за политику одбране"),
    ("MoD HR", OrgKind::PartnerUnit, Some("SRB"), Some("MoD"), "Human Resources Sector", "Сектор за људске ресурсе"),
    ("MoD Materiel", OrgKind::PartnerUnit, Some("SRB"), Some("MoD"), "Material Resources Sector", "Сектор за материјалне ресурсе"),
    ("MoD PR", OrgKind::PartnerUnit, Some("SRB"), Some("MoD"), "Public Relations Department", "Одељење за односе с јавношћу"),
    ("SAF GS", OrgKind::PartnerUnit, Some("SRB"), Some("MoD"), "General Staff of the Serbian Armed Forces", "Генералштаб Војске Србије"),
    ("SAF Training", OrgKind::PartnerUnit, Some("SRB"), Some("SAF GS"), "Training Command", "Команда за обуку"),
    (
        "SAF J-6",
        OrgKind::PartnerUnit,
        Some("SRB"),
        Some("SAF GS"),
        "Directorate for Telecommunications and Informatics (J-6)",
        "Управа за телекомуникације и информатику (Ј-6)",
    ),
    ("MMA", OrgKind::PartnerUnit, Some("SRB"), Some("MoD"), "Military Medical Academy", "Војномедицинска академија"),
    (
        "NSC Office",
        OrgKind::PartnerGovernment,
        Some("SRB"),
        None,
        "Office of the National Security Council and Classified Information Protection",
        "Канцеларија Савета за националну безбедност и заштиту тајних података",
    ),
    (
        "MoI Emergency",
        OrgKind::PartnerUnit,
        Some("SRB"),
        None,
        "Sector for Emergency Management, Ministry of Interior",
        "Сектор за ванредне ситуације Министарства унутрашњих послова",
    ),
    ("Review Panel", OrgKind::CivilSociety, Some("SRB"), None, "Independent Review Panel on the Partnership", "Независни панел за преглед партнерства"),
];

// Areas of cooperation: code, English, Serbian.
const AREAS: &[(&str, &str, &str)] = &[
    ("political_framework", "Political dialogue and framework", "Политички дијалог и оквир"),
    ("regional_cooperation", "Regional cooperation", "Регионална сарадња"),
    ("defence_policy", "Defence policy and planning", "Политика и планирање одбране"),
    ("human_resources", "Human resources and education", "Људски ресурси и образовање"),
    ("logistics", "Logistics", "Логистика"),
    ("capabilities", "Capabilities and interoperability", "Способности и интероперабилност"),
    ("cyber_defence", "Cyber defence", "Сајбер одбрана"),
    ("military_health", "Military health (medical support)", "Војно здравство (санитетска подршка)"),
    ("public_diplomacy", "Public diplomacy and public information", "Јавна дипломатија и јавно информисање"),
    ("language_training", "Language training", "Језичка обука"),
    ("gender_perspective", "Gender perspective", "Родна перспектива"),
    ("classified_information", "Protection of classified information", "Заштита тајних података"),
    ("science", "Science for Peace and Security", "Наука за мир и безбедност"),
    ("emergency_management", "Civil emergency planning", "Цивилно планирање за ванредне ситуације"),
];

/// The OECD DAC purpose code each demo area is reported under in IATI files; areas with no
/// civilian purpose code that fits (logistics, capabilities, cyber defence, military health)
/// are reported in the reporting organisation's own vocabulary.
fn dac_sector(area: &str) -> Option<&'static str> {
    Some(match area {
        "political_framework" => "15110",
        "regional_cooperation" => "15220",
        "defence_policy" | "classified_information" => "15210",
        "human_resources" | "language_training" => "11430",
        "public_diplomacy" => "15153",
        "gender_perspective" => "15170",
        "science" => "43082",
        "emergency_management" => "74020",
        _ => return None,
    })
}

/// The IATI organisation identifiers of the demo organisations: the Allies' OECD DAC donor
/// codes, the Serbian ministries by the state's chart of accounts, the NATO bodies by IATI's
/// own register (made up for the demo: NATO publishes no IATI data).
fn iati_ref(short: &str) -> Option<&'static str> {
    Some(match short {
        "NATO IS" => "XI-IATI-NATOIS",
        "MLO Belgrade" => "XI-IATI-NATOMLO",
        "NSPA" => "XI-IATI-NSPA",
        "NOR MoD" => "XM-DAC-8",
        "NLD MoD" => "XM-DAC-7",
        "GBR DS" => "XM-DAC-12",
        "USA ODC" => "XM-DAC-302",
        "MFA" => "RS-COA-MFA",
        "MoD" => "RS-COA-MOD",
        _ => return None,
    })
}

const USERS: &[UserRow] = &[
    ("coordinator@demo.test", "IPAP Coordinator (MLO)", "MLO Belgrade", Level::NatoSecret, &[], Some(Role::Coordinator)),
    ("partner@demo.test", "IPAP Desk (MFA)", "MFA NATO-PfP", Level::NatoConfidential, &[], Some(Role::PartnerEditor)),
    ("ally@demo.test", "Defence Attaché Office (Norway)", "NOR MoD", Level::NatoConfidential, &[], Some(Role::AllyContributor)),
    ("reporter@demo.test", "Reporting Officer (MoD Policy)", "MoD Policy", Level::NatoRestricted, &[], Some(Role::Reporter)),
    ("viewer@demo.test", "Analyst (NATO IS)", "NATO IS", Level::NatoUnclassified, &[], Some(Role::Viewer)),
    ("admin@demo.test", "Liaison Administrator", "NATO IS", Level::NatoUnclassified, &[GlobalRole::Admin], None),
    ("security@demo.test", "Security Officer", "NATO IS", Level::NatoSecret, &[GlobalRole::SecurityOfficer], None),
    ("assessor@demo.test", "Independent Reviewer", "Review Panel", Level::NatoUnclassified, &[], Some(Role::Assessor)),
];

/// The first IPAP. One line per item:
/// `depth | code | English | Serbian | lead | due | final status | areas | flags`.
/// Flags: `public`, `restricted` (NATO RESTRICTED, releasable to SRB), `alliance` (NATO
/// RESTRICTED, alliance only), `g1`/`g2` (gender marker), `v2` (added by the 2016 amendment).
pub(crate) const IPAP_2015_ITEMS: &str = "
0|1|Political and security framework|Политички и безбедносни оквир|MFA NATO-PfP|continuous|completed|political_framework|
1|1.1|Political dialogue with NATO|Политички дијалог са НАТО|MFA NATO-PfP|continuous|completed|political_framework|
2|1.1.1|Hold regular political consultations with NATO bodies|Одржавати редовне политичке консултације са телима НАТО|MFA NATO-PfP|continuous|completed|political_framework|
2|1.1.2|Brief the National Assembly on the partnership every year|Сваке године информисати Народну скупштину о партнерству|MFA|2015-Q4|completed|political_framework|
1|1.2|Regional cooperation and good-neighbourly relations|Регионална сарадња и добросуседски односи|MFA|continuous|completed|regional_cooperation|
2|1.2.1|Take part in regional security initiatives|Учествовати у регионалним безбедносним иницијативама|MFA|continuous|completed|regional_cooperation|
2|1.2.2|Agree border security cooperation with neighbouring states|Договорити сарадњу на безбедности граница са суседним државама|MFA|2016-Q2|partially_completed|regional_cooperation|
1|1.3|Democratic and civilian control of the armed forces|Демократска и цивилна контрола оружаних снага|MoD Policy|continuous|completed|political_framework|
2|1.3.1|Strengthen parliamentary oversight of the defence budget|Ојачати парламентарни надзор над буџетом одбране|MoD Policy|2016-Q4|completed|political_framework,defence_policy|
2|1.3.2|Train defence committee staff in oversight methods|Обучити особље одбора за одбрану методама надзора|MoD Policy|2016-06-30|completed|political_framework|
1|1.4|Integrity and the fight against corruption in defence|Интегритет и борба против корупције у одбрани|MoD Policy|continuous|partially_completed|political_framework|
2|1.4.1|Complete the Building Integrity self-assessment|Спровести самопроцену у оквиру програма Изградња интегритета|MoD Policy|2015-Q3|completed|political_framework|
2|1.4.2|Allied review of integrity risks in procurement|Савезнички преглед ризика по интегритет у набавкама|MLO Belgrade|2016-Q1|completed|political_framework|alliance
0|2|Defence and military issues|Одбрамбена и војна питања|MoD Policy|continuous|completed|defence_policy|
1|2.1|Defence reform and strategic planning|Реформа одбране и стратешко планирање|MoD Policy|continuous|completed|defence_policy|
2|2.1.1|Carry out a strategic defence review|Спровести стратешки преглед одбране|MoD Policy|2015-Q4|completed|defence_policy|
2|2.1.2|Align the long-term development plan with available resources|Ускладити дугорочни план развоја са расположивим ресурсима|MoD Policy|2016-Q4|partially_completed|defence_policy|
1|2.2|Interoperability and multinational operations|Интероперабилност и мултинационалне операције|SAF GS|continuous|completed|capabilities|
2|2.2.1|Evaluate declared units under the Operational Capabilities Concept|Евалуирати пријављене јединице по Концепту оперативних способности|SAF GS|2016-Q2|completed|capabilities|
2|2.2.2|Prepare units for EU and UN peacekeeping missions|Припремити јединице за мировне мисије ЕУ и УН|SAF Training|continuous|completed|capabilities|
1|2.3|Human resources and military education|Људски ресурси и војно образовање|MoD HR|continuous|completed|human_resources|
2|2.3.1|Reform career management of officers and NCOs|Реформисати управљање каријером официра и подофицира|MoD HR|2016-Q4|delayed|human_resources|
2|2.3.2|Expand English language training|Проширити обуку из енглеског језика|SAF Training|2015-12-31|completed|language_training|
1|2.4|Logistics and material resources|Логистика и материјални ресурси|MoD Materiel|continuous|completed|logistics|
2|2.4.1|Dispose of surplus ammunition safely|Безбедно уништити вишкове муниције|MoD Materiel|2016-Q2|partially_completed|logistics|restricted
2|2.4.2|Codify materiel under the NATO Codification System|Кодификовати средства по НАТО систему кодификације|MoD Materiel|2016-Q3|completed|logistics|
1|2.5|Gender equality in the defence system|Родна равноправност у систему одбране|MoD HR|continuous|completed|gender_perspective|g2
2|2.5.1|Implement the National Action Plan for UNSCR 1325|Спроводити Национални акциони план за примену Резолуције 1325|MoD HR|2015-Q4|completed|gender_perspective|g2
2|2.5.2|Appoint gender focal points in commands and units|Одредити особе за родну равноправност у командама и јединицама|SAF GS|2016-Q3|completed|gender_perspective|g2
0|3|Protection of classified information|Заштита тајних података|NSC Office|continuous|completed|classified_information|
1|3.1|Legal and institutional framework|Правни и институционални оквир|NSC Office|continuous|completed|classified_information|
2|3.1.1|Align regulations with the security agreement with NATO|Ускладити прописе са безбедносним споразумом са НАТО|NSC Office|2015-Q2|completed|classified_information|
2|3.1.2|Accredit secure registries|Акредитовати безбедне регистратуре|NSC Office|2016-Q1|completed|classified_information|restricted
1|3.2|Personnel and information security|Безбедност лица и информација|NSC Office|continuous|completed|classified_information|
2|3.2.1|Run security vetting under common standards|Спроводити безбедносне провере по заједничким стандардима|NSC Office|continuous|completed|classified_information|restricted
2|3.2.2|Train security officers|Обучити службенике за безбедност|NSC Office|2015-Q4|completed|classified_information|
0|4|Public diplomacy, science and emergency management|Јавна дипломатија, наука и управљање ванредним ситуацијама|MFA NATO-PfP|continuous|completed|public_diplomacy|public
1|4.1|Public diplomacy|Јавна дипломатија|MFA NATO-PfP|continuous|completed|public_diplomacy|public
2|4.1.1|Hold public events on the partnership across Serbia|Организовати јавне догађаје о партнерству широм Србије|MFA NATO-PfP|continuous|completed|public_diplomacy|public
2|4.1.2|Publish information on the partnership in Serbian|Објављивати информације о партнерству на српском језику|MoD PR|continuous|completed|public_diplomacy|public
2|4.1.3|Open a partnership information point in Belgrade|Отворити информативни пункт о партнерству у Београду|MFA NATO-PfP|2017-Q2|carried_over|public_diplomacy|public v2
1|4.2|Science for Peace and Security|Наука за мир и безбедност|MFA NATO-PfP|continuous|completed|science|
2|4.2.1|Submit joint research projects to the SPS Programme|Пријавити заједничке истраживачке пројекте програму Наука за мир и безбедност|MFA NATO-PfP|2016-Q4|completed|science|
1|4.3|Civil emergency planning|Цивилно планирање за ванредне ситуације|MoI Emergency|continuous|completed|emergency_management|
2|4.3.1|Connect with the Euro-Atlantic Disaster Response Coordination Centre|Повезати се са Евроатлантским координационим центром за реаговање у катастрофама|MoI Emergency|2015-Q3|completed|emergency_management|
2|4.3.2|Take part in a consequence-management field exercise|Учествовати у теренској вежби управљања последицама|MoI Emergency|2016-Q4|not_implemented|emergency_management|
";

/// The second IPAP (2019–2021).
pub(crate) const IPAP_2019_ITEMS: &str = "
0|1|Political and security framework|Политички и безбедносни оквир|MFA NATO-PfP|continuous|in_progress|political_framework|
1|1.1|Political dialogue with NATO|Политички дијалог са НАТО|MFA NATO-PfP|continuous|in_progress|political_framework|
2|1.1.1|Hold regular political consultations with NATO bodies|Одржавати редовне политичке консултације са телима НАТО|MFA NATO-PfP|continuous|in_progress|political_framework|
0|2|Defence and military issues|Одбрамбена и војна питања|MoD Policy|continuous|in_progress|defence_policy|
1|2.1|Interoperability for crisis management operations|Интероперабилност за операције управљања кризама|SAF GS|continuous|in_progress|capabilities|
2|2.1.1|Reach the second level of evaluation for declared units|Достићи други ниво евалуације пријављених јединица|SAF GS|2020-Q4|completed|capabilities|
2|2.1.2|Take part in multinational exercises each year|Сваке године учествовати у мултинационалним вежбама|SAF Training|continuous|in_progress|capabilities|
1|2.2|Cyber defence|Сајбер одбрана|SAF J-6|continuous|in_progress|cyber_defence|
2|2.2.1|Set up a computer incident response team for defence|Успоставити тим за реаговање на рачунарске инциденте у одбрани|SAF J-6|2020-Q2|completed|cyber_defence|
2|2.2.2|Take part in Allied cyber defence exercises|Учествовати у савезничким вежбама сајбер одбране|SAF J-6|2021-Q2|delayed|cyber_defence|restricted
0|3|Protection of classified information|Заштита тајних података|NSC Office|continuous|in_progress|classified_information|
1|3.1|Secure communications with NATO|Безбедне комуникације са НАТО|NSC Office|continuous|in_progress|classified_information|
2|3.1.1|Accredit a secure link to the Military Liaison Office|Акредитовати безбедну везу са Канцеларијом за војну везу|NSC Office|2021-Q1|in_progress|classified_information|restricted
0|4|Public diplomacy, science and emergency management|Јавна дипломатија, наука и управљање ванредним ситуацијама|MFA NATO-PfP|continuous|in_progress|public_diplomacy|public
1|4.1|Public diplomacy|Јавна дипломатија|MFA NATO-PfP|continuous|in_progress|public_diplomacy|public
2|4.1.1|Open a partnership information point in Belgrade|Отворити информативни пункт о партнерству у Београду|MFA NATO-PfP|2020-Q2|completed|public_diplomacy|public
2|4.1.2|Hold public events on the partnership across Serbia|Организовати јавне догађаје о партнерству широм Србије|MoD PR|continuous|in_progress|public_diplomacy|public
1|4.2|Civil emergency planning|Цивилно планирање за ванредне ситуације|MoI Emergency|continuous|in_progress|emergency_management|
2|4.2.1|Host a regional disaster-response exercise|Бити домаћин регионалне вежбе реаговања у катастрофама|MoI Emergency|2021-Q3|planned|emergency_management|
";

/// The 41 Partnership Goals by area, with milestones.
pub(crate) const GOALS_ITEMS: &str = "
0|A|Defence policy and planning|Политика и планирање одбране|MoD Policy|continuous|in_progress|defence_policy|
1|PG-01|A defence planning system compatible with the PfP Planning and Review Process|Систем планирања одбране усклађен са процесом планирања и ревизије Партнерства за мир|MoD Policy|2016-Q4|completed|defence_policy|
2|PG-01.1|Planning directive issued|Издата директива о планирању|MoD Policy|2015-Q4|completed|defence_policy|
2|PG-01.2|First planning cycle completed|Завршен први циклус планирања|MoD Policy|2016-Q4|completed|defence_policy|
1|PG-02|Programme budgeting of defence expenditure|Програмско буџетирање расхода одбране|MoD Policy|2017-Q4|in_progress|defence_policy|
1|PG-03|A review of the force structure|Преглед структуре снага|SAF GS|2016-Q2|completed|defence_policy|
1|PG-04|A defence resource management information system|Информациони систем управљања ресурсима одбране|MoD Materiel|2018-Q4|delayed|defence_policy|
1|PG-05|National crisis management procedures|Национални поступци управљања кризама|MoD Policy|2017-Q2|in_progress|defence_policy|
0|B|Human resources and education|Људски ресурси и образовање|MoD HR|continuous|in_progress|human_resources|
1|PG-06|Personnel management based on merit|Управљање кадровима засновано на заслугама|MoD HR|2017-Q4|in_progress|human_resources|
1|PG-07|Professional development of non-commissioned officers|Професионални развој подофицира|MoD HR|2016-Q4|completed|human_resources|
1|PG-08|Military education compatible with NATO standards|Војно образовање усклађено са стандардима НАТО|MoD HR|2018-Q2|in_progress|human_resources|
1|PG-09|A concept for the reserve component|Концепт резервног састава|MoD HR|2017-Q3|planned|human_resources|
1|PG-10|Transition support for personnel leaving the service|Подршка особљу које напушта службу|MoD HR|2016-Q3|partially_completed|human_resources|
0|C|Logistics|Логистика|MoD Materiel|continuous|in_progress|logistics|
1|PG-11|Logistic support for deployed units|Логистичка подршка упућеним јединицама|MoD Materiel|2017-Q2|in_progress|logistics|
1|PG-12|Host nation support capacity|Способност пружања подршке земље домаћина|MoD Materiel|2017-Q4|planned|logistics|
1|PG-13|Use of the NATO Codification System|Примена НАТО система кодификације|MoD Materiel|2016-Q3|completed|logistics|
1|PG-14|Safe storage of ammunition|Безбедно складиштење муниције|MoD Materiel|2016-Q4|delayed|logistics|restricted
2|PG-14.1|Storage sites surveyed|Извршен преглед складишта|MoD Materiel|2015-Q4|completed|logistics|restricted
2|PG-14.2|Allied assessment of the storage survey|Савезничка процена прегледа складишта|MLO Belgrade|2016-Q2|completed|logistics|alliance
1|PG-15|Fuel handling to NATO standards|Руковање горивом по стандардима НАТО|MoD Materiel|2017-Q4|planned|logistics|
0|D|Capabilities and interoperability|Способности и интероперабилност|SAF GS|continuous|in_progress|capabilities|
1|PG-16|A military police company for multinational operations|Чета војне полиције за мултинационалне операције|SAF GS|2017-Q4|in_progress|capabilities|
1|PG-17|An interoperable infantry battalion|Интероперабилан пешадијски батаљон|SAF GS|2018-Q4|in_progress|capabilities|
2|PG-17.1|Battalion declared to the Operational Capabilities Concept|Батаљон пријављен Концепту оперативних способности|SAF GS|2016-Q2|completed|capabilities|
2|PG-17.2|Second level of evaluation passed|Положен други ниво евалуације|SAF GS|2018-Q4|in_progress|capabilities|
1|PG-18|An engineer unit for multinational operations|Инжињеријска јединица за мултинационалне операције|SAF GS|2017-Q2|completed|capabilities|
1|PG-19|Air surveillance data exchange|Размена података о надзору ваздушног простора|SAF GS|2018-Q2|planned|capabilities|restricted
1|PG-20|A deployable communications module|Покретни комуникациони модул|SAF J-6|2017-Q4|delayed|capabilities|
1|PG-21|Nuclear, biological and chemical defence|Нуклеарно-биолошко-хемијска одбрана|SAF GS|2017-Q4|in_progress|capabilities|
1|PG-22|A helicopter unit for medical evacuation|Хеликоптерска јединица за медицинску евакуацију|SAF GS|2018-Q4|planned|capabilities,military_health|
1|PG-23|Evaluation under the Operational Capabilities Concept|Евалуација по Концепту оперативних способности|SAF GS|continuous|in_progress|capabilities|
1|PG-24|Training areas to NATO standards|Полигони за обуку по стандардима НАТО|SAF Training|2018-Q2|planned|capabilities|
1|PG-25|Implementation of standardization agreements|Примена споразума о стандардизацији|SAF GS|continuous|in_progress|capabilities|
0|E|Cyber defence|Сајбер одбрана|SAF J-6|continuous|in_progress|cyber_defence|
1|PG-26|A cyber defence policy|Политика сајбер одбране|MoD Policy|2016-Q4|completed|cyber_defence|
1|PG-27|A computer incident response capability|Способност реаговања на рачунарске инциденте|SAF J-6|2017-Q4|in_progress|cyber_defence|
1|PG-28|Cyber defence training and exercises|Обука и вежбе сајбер одбране|SAF J-6|continuous|in_progress|cyber_defence|
1|PG-29|Information assurance of defence networks|Заштита информација у мрежама одбране|SAF J-6|2017-Q2|delayed|cyber_defence|restricted
0|F|Military health|Војно здравство|MMA|continuous|in_progress|military_health|
1|PG-30|A Role 2 medical treatment facility|Санитетска установа нивоа 2|MMA|2017-Q4|in_progress|military_health|
1|PG-31|Medical standards for deployed personnel|Медицински стандарди за упућено особље|MMA|2016-Q2|completed|military_health|
1|PG-32|Medical evacuation procedures|Поступци медицинске евакуације|MMA|2016-Q4|completed|military_health|
1|PG-33|Military medical training|Војномедицинска обука|MMA|continuous|in_progress|military_health|
0|G|Public information|Јавно информисање|MoD PR|continuous|in_progress|public_diplomacy|public
1|PG-34|A public information capability|Способност јавног информисања|MoD PR|2016-Q2|completed|public_diplomacy|public
1|PG-35|Media operations in multinational missions|Медијске операције у мултинационалним мисијама|MoD PR|2017-Q2|in_progress|public_diplomacy|public
1|PG-36|A strategic communication plan|План стратешке комуникације|MoD PR|2016-Q4|partially_completed|public_diplomacy|public
0|H|Language training|Језичка обука|SAF Training|continuous|in_progress|language_training|
1|PG-37|English proficiency to STANAG 6001 levels|Знање енглеског језика по нивоима СТАНАГ 6001|SAF Training|continuous|in_progress|language_training|
2|PG-37.1|Proficiency targets set for deployable posts|Утврђени циљни нивои за формацијска места за упућивање|SAF Training|2015-Q4|completed|language_training|
1|PG-38|A language testing capacity|Капацитет за тестирање знања језика|SAF Training|2016-Q4|completed|language_training|
0|I|Gender perspective|Родна перспектива|MoD HR|continuous|in_progress|gender_perspective|g2
1|PG-39|Gender advisers in the defence system|Саветници за родну равноправност у систему одбране|MoD HR|2016-Q2|completed|gender_perspective|g2
1|PG-40|A gender perspective in training and operations|Родна перспектива у обуци и операцијама|SAF Training|continuous|in_progress|gender_perspective|g2
1|PG-41|Prevention of gender-based discrimination|Спречавање дискриминације на основу пола|MoD HR|2017-Q4|in_progress|gender_perspective|g2
";

/// IPAP actions that implement Partnership Goals (`implements`), and other links.
const LINKS: &[(&str, &str, &str, &str, LinkKind)] = &[
    (IPAP_2015, "2.1.1", GOALS, "PG-01", LinkKind::Implements),
    (IPAP_2015, "2.1.2", GOALS, "PG-02", LinkKind::Implements),
    (IPAP_2015, "2.2.1", GOALS, "PG-23", LinkKind::Implements),
    (IPAP_2015, "2.2.2", GOALS, "PG-17", LinkKind::Implements),
    (IPAP_2015, "2.3.1", GOALS, "PG-06", LinkKind::Implements),
    (IPAP_2015, "2.3.2", GOALS, "PG-37", LinkKind::Implements),
    (IPAP_2015, "2.4.1", GOALS, "PG-14", LinkKind::Implements),
    (IPAP_2015, "2.4.2", GOALS, "PG-13", LinkKind::Implements),
    (IPAP_2015, "2.5.1", GOALS, "PG-39", LinkKind::Implements),
    (IPAP_2015, "2.5.2", GOALS, "PG-40", LinkKind::Supports),
    (IPAP_2015, "3.2.1", GOALS, "PG-29", LinkKind::Supports),
    (IPAP_2015, "4.1.1", GOALS, "PG-34", LinkKind::Supports),
    (IPAP_2015, "4.1.2", GOALS, "PG-36", LinkKind::Implements),
    (IPAP_2015, "2.2.2", IPAP_2015, "2.2.1", LinkKind::DependsOn),
    (IPAP_2019, "2.1.1", GOALS, "PG-17", LinkKind::Implements),
    (IPAP_2019, "2.2.1", GOALS, "PG-27", LinkKind::Implements),
    (IPAP_2019, "2.2.2", GOALS, "PG-28", LinkKind::Implements),
    (IPAP_2019, "4.1.1", IPAP_2015, "4.1.3", LinkKind::Implements),
];

/// One line of an item table.
pub(crate) struct Row<'a> {
    pub(crate) depth: usize,
    pub(crate) code: &'a str,
    pub(crate) en: &'a str,
    pub(crate) sr: &'a str,
    pub(crate) lead: &'a str,
    pub(crate) due: &'a str,
    pub(crate) status: ItemStatus,
    pub(crate) areas: Vec<String>,
    pub(crate) flags: Vec<&'a str>,
}

pub(crate) fn rows(table: &str) -> Result<Vec<Row<'_>>> {
    table
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('|').collect();
            let bad = || AppError::Internal(format!("bad demo line: {l}"));
            if f.len() != 9 {
                return Err(bad());
            }
            Ok(Row {
                depth: f[0].parse().map_err(|_| bad())?,
                code: f[1],
                en: f[2],
                sr: f[3],
                lead: f[4],
                due: f[5],
                status: ItemStatus::parse(f[6]).ok_or_else(bad)?,
                areas: f[7].split(',').filter(|a| !a.is_empty()).map(String::from).collect(),
                flags: f[8].split_whitespace().collect(),
            })
        })
        .collect()
}

pub(crate) fn text(en: &str, sr: &str) -> Text {
    Text::new("en", en).with("sr", sr)
}

pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

pub(crate) struct Loader {
    pub(crate) app: App,
    pub(crate) clock: Arc<DemoClock>,
    pub(crate) sys: Ctx,
    pub(crate) orgs: HashMap<String, OrganisationId>,
    pub(crate) users: HashMap<String, User>,
}

impl Loader {
    pub(crate) async fn as_user(&self, email: &str) -> Result<Ctx> {
        let u = self.users.get(email).cloned().ok_or_else(|| AppError::Internal(format!("demo user {email} missing")))?;
        Ok(Ctx { actor: actor_for(&self.app, u).await?, request_id: "demo".into(), source: "demo".into() })
    }

    pub(crate) fn org(&self, short: &str) -> Result<OrganisationId> {
        self.orgs.get(short).copied().ok_or_else(|| AppError::Internal(format!("demo organisation {short} missing")))
    }

    async fn directory(&mut self) -> Result<()> {
        self.clock.set(2011, 1, 10);
        for (short, kind, country, parent, en, sr) in ORGS {
            let existing = liaison_app::organisations::find_by_short_name(&self.app, &self.sys, short).await?;
            let id = match existing {
                Some(o) => o.id,
                None => {
                    let parent = parent.map(|p| self.org(p)).transpose()?;
                    let input = NewOrganisation {
                        name: text(en, sr),
                        short_name: short.to_string(),
                        kind: *kind,
                        country: country.map(String::from),
                        parent,
                        iati_ref: iati_ref(short).map(String::from),
                    };
                    liaison_app::organisations::create(&self.app, &self.sys, input).await?.id
                }
            };
            self.orgs.insert(short.to_string(), id);
        }
        let areas: HashSet<String> = liaison_app::directory::areas(&self.app, &self.sys).await?.into_iter().map(|a| a.code).collect();
        for (code, en, sr) in AREAS {
            if !areas.contains(*code) {
                let input = liaison_app::directory::NewArea { code: code.to_string(), name: text(en, sr), dac_sector: dac_sector(code).map(String::from) };
                liaison_app::directory::create_area(&self.app, &self.sys, input).await?;
            }
        }
        for (email, name, org, clearance, roles, _) in USERS {
            let user = match liaison_app::users::find_by_email(&self.app, &self.sys, email).await {
                Ok(u) => u,
                Err(AppError::NotFound) => {
                    let input = NewUser {
                        display_name: name.to_string(),
                        email: email.to_string(),
                        organisation: self.org(org)?,
                        clearance: *clearance,
                        global_roles: roles.to_vec(),
                        password: PASSWORD.to_string(),
                    };
                    liaison_app::users::create(&self.app, &self.sys, input).await?
                }
                Err(e) => return Err(e),
            };
            self.users.insert(email.to_string(), user);
        }
        Ok(())
    }

    /// Create a plan with its members and items (all `planned`); returns the items by code.
    async fn plan(&self, input: NewPlan, table: &str, skip_v2: bool) -> Result<(Plan, HashMap<String, ItemId>)> {
        let plan = liaison_app::plans::create(&self.app, &self.sys, input).await?;
        for (email, _, _, _, _, role) in USERS {
            if let Some(r) = role {
                let user = self.users.get(*email).map(|u| u.id).ok_or_else(|| AppError::Internal("user".into()))?;
                liaison_app::plans::set_member(&self.app, &self.sys, plan.id, SetMember { user, role: *r }).await?;
            }
        }
        let coordinator = self.as_user("coordinator@demo.test").await?;
        let mut ids: HashMap<String, ItemId> = HashMap::new();
        let mut parents: Vec<ItemId> = Vec::new();
        for r in rows(table)? {
            if skip_v2 && r.flags.contains(&"v2") {
                continue;
            }
            parents.truncate(r.depth);
            let marking = if r.flags.contains(&"public") {
                Some(Marking::new(Level::Public, &[], "NATO"))
            } else if r.flags.contains(&"restricted") {
                Some(Marking::new(Level::NatoRestricted, &["SRB"], "NATO"))
            } else if r.flags.contains(&"alliance") {
                Some(Marking::new(Level::NatoRestricted, &[], "NATO"))
            } else {
                None
            };
            let gender = if r.flags.contains(&"g2") { GenderMarker::Principal } else { GenderMarker::NotTargeted };
            let input = NewItem {
                parent: parents.last().copied(),
                level: None,
                code: r.code.to_string(),
                title: text(r.en, r.sr),
                description: Text::default(),
                areas: r.areas.clone(),
                lead_organisation: Some(self.org(r.lead)?),
                contributing_organisations: Vec::new(),
                start: None,
                due: r.due.parse().ok(),
                status: Some(ItemStatus::Planned),
                weight: None,
                gender_marker: Some(gender),
                downgrade: marking.as_ref().is_some_and(|m| m.level.is_public()),
                marking,
                position: None,
            };
            self.clock.tick();
            let ctx = if r.flags.contains(&"public") || r.flags.contains(&"alliance") { &coordinator } else { &self.sys };
            let item = liaison_app::items::create(&self.app, ctx, plan.id, input).await?;
            ids.insert(r.code.to_string(), item.id);
            parents.push(item.id);
        }
        Ok((plan, ids))
    }

    async fn decide(&self, plan: &Plan, kind: DecisionKind, d: NaiveDate, en: &str, sr: &str, reference: &str) -> Result<()> {
        let input = NewDecision { kind, date: d, body: text(en, sr), reference: reference.into(), note: Text::default(), marking: None };
        liaison_app::decisions::create(&self.app, &self.sys, plan.id, input).await?;
        Ok(())
    }

    async fn transition(&self, plan: PlanId, to: PlanState) -> Result<Plan> {
        let cur = liaison_app::plans::get(&self.app, &self.sys, plan).await?;
        let ctx = self.as_user("coordinator@demo.test").await?;
        liaison_app::plans::transition(&self.app, &ctx, plan, cur.version, to).await
    }

    async fn agree(&self, plan: PlanId) -> Result<Plan> {
        for who in ["partner@demo.test", "coordinator@demo.test"] {
            self.clock.tick();
            let ctx = self.as_user(who).await?;
            liaison_app::plans::approve(&self.app, &ctx, plan, ApproveInput::default()).await?;
        }
        self.clock.tick();
        self.transition(plan, PlanState::Agreed).await
    }

    /// Set statuses as the reporting went, by the reporter or the partner's editor.
    async fn report(&self, plan: PlanId, table: &str, ids: &HashMap<String, ItemId>) -> Result<()> {
        let partner = self.as_user("partner@demo.test").await?;
        let coordinator = self.as_user("coordinator@demo.test").await?;
        for r in rows(table)? {
            let Some(id) = ids.get(r.code) else { continue };
            if r.status == ItemStatus::Planned {
                continue;
            }
            // Alliance-only items are not releasable to the partner: the coordinator reports them.
            let ctx = if r.flags.contains(&"alliance") { &coordinator } else { &partner };
            let cur = liaison_app::items::get(&self.app, &self.sys, *id).await?;
            self.clock.tick();
            let patch = ItemPatch { status: Some(r.status), ..Default::default() };
            liaison_app::items::update(&self.app, ctx, *id, cur.version, patch).await?;
        }
        let _ = plan;
        Ok(())
    }

    /// An item by plan and code.
    async fn find(&self, plan_code: &str, code: &str) -> Result<Option<ItemId>> {
        let Some(plan) = liaison_app::plans::find_by_code(&self.app, &self.sys, plan_code).await? else { return Ok(None) };
        Ok(liaison_app::items::of_plan(&self.app, &self.sys, plan.id).await?.into_iter().find(|i| i.code == code).map(|i| i.id))
    }

    /// Make the links that start in `plan_code` and whose target exists.
    async fn link_from(&self, plan_code: &str) -> Result<()> {
        let coordinator = self.as_user("coordinator@demo.test").await?;
        for (fp, fc, tp, tc, kind) in LINKS.iter().filter(|l| l.0 == plan_code) {
            let (Some(from), Some(to)) = (self.find(fp, fc).await?, self.find(tp, tc).await?) else { continue };
            self.clock.tick();
            liaison_app::items::create_link(&self.app, &coordinator, from, NewLink { to, kind: *kind }).await?;
        }
        Ok(())
    }

    async fn update_item(&self, ctx: &Ctx, id: ItemId, patch: ItemPatch) -> Result<()> {
        let cur = liaison_app::items::get(&self.app, &self.sys, id).await?;
        self.clock.tick();
        liaison_app::items::update(&self.app, ctx, id, cur.version, patch).await?;
        Ok(())
    }
}

use liaison_domain::PlanId;

fn period(a: NaiveDate, b: NaiveDate) -> Period {
    Period { start: a, end: b }
}

/// Load the demo partnership where it is absent. Returns whether anything was added.
pub async fn load(app: &App) -> Result<bool> {
    let clock = Arc::new(DemoClock(Mutex::new(Utc::now())));
    let demo_app = app.with_clock(clock.clone());
    let mut l = Loader { app: demo_app, clock, sys: Ctx::system("demo"), orgs: HashMap::new(), users: HashMap::new() };
    let sys = Ctx::system("demo");
    let head_before = liaison_app::audit::head(app, &sys).await?;
    l.directory().await?;
    let have = |code: &'static str| {
        let (app, sys) = (app.clone(), sys.clone());
        async move { liaison_app::plans::find_by_code(&app, &sys, code).await.map(|p| p.is_some()) }
    };
    let mut plans: HashMap<&str, PlanId> = HashMap::new();
    let owner = l.org("NATO IS")?;
    let partner = l.org("MFA")?;
    let plan_marking = Some(Marking::new(Level::NatoUnclassified, &["SRB"], "NATO"));

    if !have(GOALS).await? {
        l.clock.set(2014, 3, 3);
        let input = NewPlan {
            framework: "partnership_goals".into(),
            code: GOALS.into(),
            title: text("Partnership Goals of Serbia", "Циљеви партнерства Србије"),
            description: text(
                "The capability targets Serbia and the Allies agreed under the Planning and Review Process, held by units of the Ministry of Defence and the Serbian Armed Forces.",
                "Циљеви у погледу способности које су Србија и савезници договорили у оквиру процеса планирања и ревизије, а за које су задужене јединице Министарства одбране и Војске Србије.",
            ),
            partner,
            owner,
            period: period(date(2014, 6, 1), date(2018, 12, 31)),
            predecessor: None,
            marking: plan_marking.clone(),
        };
        let (plan, ids) = l.plan(input, GOALS_ITEMS, false).await?;
        l.link_from(GOALS).await?;
        l.clock.set(2014, 9, 15);
        l.transition(plan.id, PlanState::Negotiation).await?;
        l.clock.set(2014, 11, 20);
        l.agree(plan.id).await?;
        l.clock.set(2015, 1, 5);
        l.transition(plan.id, PlanState::Implementation).await?;
        implementation::goals(&l, &plan, &ids).await?;
        l.clock.set(2016, 7, 20);
        l.report(plan.id, GOALS_ITEMS, &ids).await?;
        plans.insert(GOALS, plan.id);
    }

    if !have(IPAP_2015).await? {
        l.clock.set(2011, 2, 15);
        let input = NewPlan {
            framework: "ipap".into(),
            code: IPAP_2015.into(),
            title: text("Individual Partnership Action Plan of Serbia", "Индивидуални акциони план партнерства Србије"),
            description: text(
                "Serbia's first IPAP: cooperation objectives and priorities in political and defence affairs, protection of classified information, public diplomacy, science and emergency management, through which NATO and individual Allies give tailored assistance.",
                "Први ИПАП Србије: циљеви и приоритети сарадње у политичким и одбрамбеним питањима, заштити тајних података, јавној дипломатији, науци и управљању ванредним ситуацијама, кроз које НАТО и поједини савезници пружају помоћ прилагођену потребама.",
            ),
            partner,
            owner,
            period: period(date(2015, 1, 15), date(2018, 12, 31)),
            predecessor: None,
            marking: plan_marking.clone(),
        };
        let (plan, mut ids) = l.plan(input, IPAP_2015_ITEMS, true).await?;
        l.link_from(IPAP_2015).await?;
        l.decide(&plan, DecisionKind::DraftingStarted, date(2011, 2, 15), "Ministry of Foreign Affairs of Serbia", "Министарство спољних послова Србије", "")
            .await?;
        l.decide(&plan, DecisionKind::Presented, date(2011, 7, 14), "NATO and Serbia", "НАТО и Србија", "IPAP presentation document").await?;
        l.clock.set(2011, 7, 14);
        l.transition(plan.id, PlanState::Negotiation).await?;
        l.clock.set(2014, 12, 14);
        l.decide(&plan, DecisionKind::PartnerAdopted, date(2014, 12, 14), "Government of the Republic of Serbia", "Влада Републике Србије", "").await?;
        l.agree(plan.id).await?;
        l.clock.set(2015, 1, 15);
        l.decide(&plan, DecisionKind::CouncilApproved, date(2015, 1, 15), "North Atlantic Council", "Северноатлантски савет", "").await?;
        l.decide(&plan, DecisionKind::Announced, date(2015, 1, 20), "NATO and Serbia", "НАТО и Србија", "Public announcement of the agreed IPAP").await?;
        l.clock.set(2015, 2, 2);
        l.transition(plan.id, PlanState::Implementation).await?;
        assistance::ipap_2015(&l, &plan, &ids).await?;
        implementation::ipap_2015_first_year(&l, &plan, &ids).await?;
        portal::ipap_2015(&l, &plan, &ids).await?;
        // The 2016 amendment: a new action, a clarified title, a later due date.
        l.clock.set(2016, 3, 1);
        l.transition(plan.id, PlanState::Negotiation).await?;
        let partner_ctx = l.as_user("partner@demo.test").await?;
        let parent = ids.get("4.1").copied();
        let v2 = rows(IPAP_2015_ITEMS)?.into_iter().filter(|r| r.flags.contains(&"v2")).collect::<Vec<_>>();
        let coordinator = l.as_user("coordinator@demo.test").await?;
        for r in v2 {
            let input = NewItem {
                parent,
                level: None,
                code: r.code.into(),
                title: text(r.en, r.sr),
                description: Text::default(),
                areas: r.areas.clone(),
                lead_organisation: Some(l.org(r.lead)?),
                contributing_organisations: vec![l.org("MoD PR")?],
                start: Some(date(2016, 9, 1)),
                due: r.due.parse().ok(),
                status: Some(ItemStatus::Planned),
                weight: None,
                gender_marker: None,
                marking: None,
                position: None,
                downgrade: false,
            };
            l.clock.tick();
            let item = liaison_app::items::create(&l.app, &coordinator, plan.id, input).await?;
            ids.insert(r.code.into(), item.id);
        }
        if let Some(id) = ids.get("2.1.2").copied() {
            let patch = ItemPatch {
                title: Some(text(
                    "Align the long-term development plan with the resources the budget provides",
                    "Ускладити дугорочни план развоја са ресурсима које обезбеђује буџет",
                )),
                ..Default::default()
            };
            l.update_item(&partner_ctx, id, patch).await?;
        }
        if let Some(id) = ids.get("2.4.1").copied() {
            l.update_item(
                &partner_ctx,
                id,
                ItemPatch { due: Patch::Set("2016-Q4".parse().map_err(|_| AppError::Internal("due".into()))?), ..Default::default() },
            )
            .await?;
        }
        l.clock.set(2016, 6, 10);
        l.agree(plan.id).await?;
        l.decide(&plan, DecisionKind::Amended, date(2016, 6, 10), "North Atlantic Council", "Северноатлантски савет", "IPAP amendment 2016").await?;
        l.transition(plan.id, PlanState::Implementation).await?;
        implementation::ipap_2015_final(&l, &plan, &ids).await?;
        l.clock.set(2017, 12, 28);
        l.report(plan.id, IPAP_2015_ITEMS, &ids).await?;
        if let Some(id) = ids.get("2.3.1").copied() {
            let patch = ItemPatch {
                description: Some(text(
                    "The new rules on career management were drafted in 2016; adoption slipped to the next cycle.",
                    "Нова правила о управљању каријером израђена су 2016. године; усвајање је померено за следећи циклус.",
                )),
                ..Default::default()
            };
            l.update_item(&partner_ctx, id, patch).await?;
        }
        l.clock.set(2018, 9, 1);
        l.transition(plan.id, PlanState::Assessment).await?;
        implementation::ipap_2015_assessments(&l, &plan, &ids).await?;
        l.clock.set(2019, 3, 1);
        l.transition(plan.id, PlanState::Closed).await?;
        // What the first cycle sent has been read by now.
        for (email, _) in ACCOUNTS {
            if let Ok(ctx) = l.as_user(email).await {
                liaison_app::notifications::mark_read(&l.app, &ctx, None).await?;
            }
        }
        plans.insert(IPAP_2015, plan.id);
    }

    if !have(IPAP_2019).await? {
        let predecessor = match plans.get(IPAP_2015) {
            Some(p) => Some(*p),
            None => liaison_app::plans::find_by_code(&l.app, &l.sys, IPAP_2015).await?.map(|p| p.id),
        };
        l.clock.set(2019, 4, 1);
        let input = NewPlan {
            framework: "ipap".into(),
            code: IPAP_2019.into(),
            title: text("Individual Partnership Action Plan of Serbia 2019–2021", "Индивидуални акциони план партнерства Србије 2019–2021"),
            description: text("The second cycle, carrying forward the work of the first IPAP.", "Други циклус, који наставља рад започет првим ИПАП-ом."),
            partner,
            owner,
            period: period(date(2019, 11, 7), date(2021, 12, 31)),
            predecessor,
            marking: plan_marking.clone(),
        };
        let (plan, ids) = l.plan(input, IPAP_2019_ITEMS, false).await?;
        l.link_from(IPAP_2019).await?;
        l.clock.set(2019, 6, 1);
        l.transition(plan.id, PlanState::Negotiation).await?;
        l.clock.set(2019, 11, 7);
        l.decide(&plan, DecisionKind::PartnerAdopted, date(2019, 11, 7), "Government of the Republic of Serbia", "Влада Републике Србије", "").await?;
        l.agree(plan.id).await?;
        l.clock.set(2019, 12, 2);
        l.transition(plan.id, PlanState::Implementation).await?;
        implementation::ipap_2019(&l, &plan, &ids).await?;
        l.clock.set(2021, 7, 20);
        l.report(plan.id, IPAP_2019_ITEMS, &ids).await?;
        plans.insert(IPAP_2019, plan.id);
    }

    let head_after = liaison_app::audit::head(app, &sys).await?;
    Ok(head_after != head_before)
}
