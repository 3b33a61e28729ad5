## Liaison — српски (ћирилица). Латиница се из овог фајла прави пресловљавањем.

app-name = Liaison
skip-to-content = Пређи на садржај
nav-main = Главни мени
nav-home = Планови
nav-admin-users = Налози
nav-admin-orgs = Организације
nav-api = API
language = Језик
breadcrumbs = Налазите се овде
signed-in-as = Пријављени сте као
sign-out = Одјава
marking-banner = Највиша ознака тајности на овој страници
footer = Liaison — акциони планови партнерства. Са означеним подацима поступајте у складу са ознаком.
back-home = Назад на планове
back-to-plan = Назад на план

login-title = Пријава
login-intro = Пријавите се адресом електронске поште и лозинком свог налога.
login-email = Адреса електронске поште
login-password = Лозинка
login-submit = Пријави се
login-failed = Адреса електронске поште или лозинка нису тачни.
login-locked = Превише неуспелих покушаја: налог је закључан { $seconds } секунди.
login-rate-limited = Превише покушаја са ове адресе; покушајте поново за { $seconds } секунди.

home-title = Планови
home-intro = Планови у којима учествујете, са стањем и напретком на први поглед.
home-no-plans = Још немате улогу ни у једном плану. Обратите се координатору или администратору.
plans-count = { $count ->
    [one] { $count } план
    [few] { $count } плана
   *[other] { $count } планова
}
col-code = Ознака
col-title = Наслов
col-partner = Партнер
col-period = Период
col-state = Стање
col-progress = Завршено
col-status = Статус
col-lead = Носилац
col-due = Рок
col-name = Име
col-organisation = Организација
col-role = Улога
col-version = Верзија
col-agreed-at = Усаглашено
col-content-hash = Отисак садржаја
progress-value = { $done } од { $total }
items-count = { $count ->
    [one] { $count } ставка
    [few] { $count } ставке
   *[other] { $count } ставки
}
items-shown = Приказано { $shown } од { $total } ставки.

state-drafting = Израда нацрта
state-negotiation = Преговори
state-agreed = Усаглашен
state-implementation = Спровођење
state-assessment = Оцењивање
state-closed = Затворен
state-superseded = Замењен

status-planned = Планирано
status-in_progress = У току
status-completed = Завршено
status-partially_completed = Делимично завршено
status-delayed = Касни
status-not_implemented = Није спроведено
status-cancelled = Отказано
status-carried_over = Пренето

decision-drafting_started = Почетак израде
decision-presented = Представљено
decision-partner_adopted = Усвојио партнер
decision-council_approved = Одобрио Савет
decision-announced = Објављено
decision-signed = Потписано
decision-amended = Измењено
decision-other = Одлука

plan-code = Ознака
plan-state = Стање
plan-framework = Оквир
plan-partner = Партнер
plan-owner = Носилац плана
plan-period = Период
plan-versions = Усаглашене верзије
plan-members = Чланови и улоге
plan-lifecycle = Усаглашавање и животни циклус
plan-items = План
plan-filters = Филтрирање плана
plan-charts = На први поглед
plan-decisions = Одлуке
plan-no-decisions = Још нема забележених одлука.
approval-owner = Сагласност Алијансе (носиоца)
approval-partner = Сагласност партнера
approval-given = дата за садашњи текст
approval-pending = још није дата за садашњи текст
approve-owner = Сагласност у име Алијансе
approve-partner = Сагласност у име партнера
move-drafting-negotiation = Почни преговоре
move-negotiation-drafting = Врати на израду
move-negotiation-agreed = Забележи договор
move-agreed-implementation = Почни спровођење
move-agreed-negotiation = Отвори измену
move-implementation-assessment = Почни оцењивање
move-implementation-negotiation = Отвори измену
move-implementation-closed = Затвори план
move-assessment-implementation = Врати на спровођење
move-assessment-negotiation = Отвори измену
move-assessment-closed = Затвори план
action-refused = Ово није могло да се уради
stale-plan = План је измењен док сте га гледали; учитајте га поново.
stale-member = Улога је у међувремену измењена; поново учитајте списак.
stale-record = Неко други је сачувао овај запис док сте га мењали. Ваше вредности су задржане испод, на новијој верзији: проверите их и сачувајте поново.

filter-search = Претрага
filter-area = Област
filter-status = Статус
filter-organisation = Носилац или учесник
filter-due-quarter = Рок у тромесечју
filter-any = Било који
filter-apply = Филтрирај
filter-clear = Прикажи све
filter-invalid = Неки филтери нису разумљиви и изостављени су.
more-items = Прикажи још ставки
chart-by-status = Ставке по статусу
chart-by-area = Ставке по области
overdue = рок је истекао
due-continuous = стално
new-item = Нова ставка
new-child = Нова ставка овде: { $level }
edit = Измени
edit-item = Измена ставке
save = Сачувај
cancel = Одустани

item-lead = Организација носилац
item-contributors = Организације учесници
item-areas = Области
item-start = Почетак
item-due = Рок
item-weight = Тежина
item-gender-marker = Родна ознака
item-description = Опис
item-no-description = Још нема описа.
item-children = Садржај
item-links = Везе
item-no-links = Нема веза са другим ставкама.
item-history = Историја
history-system = Liaison
history-create = Направљено
history-update = Измењено
history-delete = Обрисано
history-move = Премештено
history-marking_downgrade = Ознака снижена
history-transition = Стање промењено
history-approve = Дата сагласност
history-agree_version = Верзија усаглашена
comments-count = { $count ->
    [0] Коментари
    [one] { $count } коментар
    [few] { $count } коментара
   *[other] { $count } коментара
}
comment-add = Додајте коментар
comment-submit = Коментариши
markdown-hint = Можете користити Markdown: **подебљано**, *курзив*, листе, везе.
gender-0 = 0 — није циљано
gender-1 = 1 — значајан циљ
gender-2 = 2 — главни циљ
link-implements-outgoing = Спроводи
link-implements-incoming = Спроводи га
link-supports-outgoing = Подржава
link-supports-incoming = Подржава га
link-depends_on-outgoing = Зависи од
link-depends_on-incoming = Потребно за

form-errors = { $count ->
    [one] Треба исправити { $count } проблем
    [few] Треба исправити { $count } проблема
   *[other] Треба исправити { $count } проблема
}
stale-title = Неко други је изменио ову ставку
stale-body = { $name } је сачувао новију верзију у { $time } док сте ви мењали ставку.
stale-their-change = Њихова измена
stale-resave = Ваше вредности су задржане испод, на новијој верзији. Проверите их, па сачувајте поново.
lang-en = енглески
lang-sr-cyrl = српски (ћирилица)
due-hint = Датум (2015-09-30), тромесечје (2015-Q3) или „continuous“ (стално).
marking-level = Степен тајности
marking-releasable = Може се уступити
marking-releasable-hint = Ознаке земаља или група, одвојене зарезом, нпр. SRB.
marking-originator = Извор
marking-downgrade = Потврђујем ознаку нижу од ознаке целине којој ставка припада
field-code = Ознака
field-title = Наслов
field-description = Опис
field-areas = Области
field-lead_organisation = Организација носилац
field-contributing_organisations = Организације учесници
field-start = Почетак
field-due = Рок
field-status = Статус
field-weight = Тежина
field-gender_marker = Родна ознака
field-marking = Ознака тајности
field-position = Положај
field-parent = Надређена ставка
field-level = Ниво
field-period = Период
field-email = Адреса електронске поште
field-clearance = Безбедносни сертификат
field-password = Лозинка
field-short-name = Скраћени назив
field-country = Земља
field-kind = Врста
field-user-status = Стање
field-global-roles = Опште улоге

versions-title = Усаглашене верзије
versions-intro = Сваки пут кад обе стране усагласе план, његов текст се чува као верзија. Упоредите било које две, или верзију са садашњим планом.
versions-none = План још није усаглашен.
version-agreed = Верзија { $number } ({ $date })
version-current = План какав је сада
compare-title = Поређење верзија
compare-from = Од
compare-to = До
compare-submit = Упореди
compare-none = Нема разлика које можете видети.
compare-plan = Сам план
compare-added = { $count ->
    [one] Додата { $count } ставка
    [few] Додате { $count } ставке
   *[other] Додато { $count } ставки
}
compare-removed = { $count ->
    [one] Уклоњена { $count } ставка
    [few] Уклоњене { $count } ставке
   *[other] Уклоњено { $count } ставки
}
compare-changed = { $count ->
    [one] Измењена { $count } ставка
    [few] Измењене { $count } ставке
   *[other] Измењено { $count } ставки
}
compare-links = Везе
compare-links-count = Додато: { $added }, уклоњено: { $removed }.
compare-with-current = Упореди са садашњим

members-title = Чланови и улоге
members-add = Додели улогу
members-user = Налог
members-remove = Уклони
members-choose = Изаберите налог и улогу.
role-coordinator = Координатор
role-partner_editor = Уредник партнера
role-ally_contributor = Сарадник савезника
role-reporter = Известилац
role-viewer = Читалац

admin-users-title = Налози
admin-orgs-title = Организације
users-count = { $count ->
    [one] { $count } налог
    [few] { $count } налога
   *[other] { $count } налога
}
organisations-count = { $count ->
    [one] { $count } организација
    [few] { $count } организације
   *[other] { $count } организација
}
user-new = Нови налог
user-create = Направи налог
user-status-active = Активан
user-status-locked = Закључан
user-status-disabled = Онемогућен
global-role-admin = Администратор
global-role-security_officer = Службеник за безбедност
org-new = Нова организација
org-edit = Измена
org-kind-alliance_body = Тело Алијансе
org-kind-ally = Савезник
org-kind-partner_government = Влада партнера
org-kind-partner_unit = Јединица партнера
org-kind-liaison_office = Канцеларија за везу
org-kind-agency = Агенција
org-kind-civil_society = Цивилно друштво
org-kind-other = Остало
country-hint = Троловна ознака ISO 3166, нпр. SRB. Обавезна за организације партнера.
choose-organisation = Изаберите организацију.
choose-clearance = Изаберите безбедносни сертификат.
choose-status = Изаберите стање.
choose-kind = Изаберите врсту.

error-not-found-title = Није пронађено
error-not-found-body = Таква страница не постоји или вам није доступна.
error-forbidden-title = Није дозвољено
error-forbidden-body = Ваша улога то не дозвољава
error-internal-title = Дошло је до грешке
error-internal-body = Сервер није могао да прикаже ову страницу. Проблем је забележен; покушајте поново касније.
error-invalid-title = Унос има грешке
error-stale-title = Промењено у међувремену
error-stale-body = Неко је сачувао овај запис док сте га имали отвореног; сада је у верзији { $version }. Вратите се, учитајте га поново и поновите измену.
error-conflict-title = Тренутно није могуће
error-rate-limited-title = Превише покушаја
error-rate-limited-body = Покушајте поново за { $seconds } с.
plan-final = План је у стању „{ $state }“ и више не може да се мења.
plan-new = Нови план
plan-create = Започни план
plan-predecessor = Претходни циклус
period-start = Почетак периода
period-end = Крај периода
date-hint = Унесите датум, нпр. 2015-01-15.
decision-new = Забележи одлуку
decision-kind = Врста
decision-date = Датум
decision-body = Донео
decision-reference = Број акта
delete-item = Обриши
delete-explain = Брисањем се уклањају ставка и њене везе. Њена историја остаје у ревизорском трагу.
delete-cascade = { $count ->
    [one] Обриши и њену { $count } подређену ставку
    [few] Обриши и њене { $count } подређене ставке
   *[other] Обриши и њених { $count } подређених ставки
}
delete-confirm = Трајно обриши

## Праћење спровођења
role-assessor = Независни оцењивач
nav-inbox = Обавештења
nav-plan = План
period = Период
period-choose = Изаберите период
period-unknown = Тај период не постоји; приказује се текући.
figures-as-of = Подаци на дан { $date }.
form-problems = Исправите следеће
dashboard-title = Преглед
dashboard-progress = Напредак
dashboard-overdue = Ставке у кашњењу
dashboard-none-overdue = Ништа не касни.
dashboard-indicators = Индикатори у односу на циљне вредности
dashboard-no-indicators = На ставкама које видите нема индикатора.
dashboard-assessments = Последња оцена сваке перспективе
kpi-progress = Укупан напредак
kpi-items = Ставке које видите
kpi-overdue = У кашњењу
kpi-targets-met = Достигнуте циљне вредности
kpi-achievement = Просечна оствареност
kpi-by-sex = По полу
chart-progress-by-root = Напредак по поглављима
chart-progress-by-area = Напредак по областима
chart-progress-over-time = Напредак кроз време
chart-status-over-time = Пријављени статус кроз време
not-reported = Није извештено
indicator = Индикатор
indicator-actual = Остварено
indicator-target = Циљ
indicator-achievement = Остварење
indicator-chart-legend = Стубићи приказују остварену вредност сваког периода; наранџасте линије означавају циљеве.
indicator-cumulative = Кумулативно
indicator-by-sex = Разврстано по полу (жене, мушкарци)
indicator-new = Дефинишите индикатор
indicator-name-en = Назив (енглески)
indicator-name-sr = Назив (српски)
indicator-unit = Јединица
indicator-measure = Мера
indicator-target-period = Период циља
indicator-add = Додај индикатор
indicators-title = Индикатори
indicators-none = На овој ставци нема индикатора.
measure-number = Број
measure-percentage = Проценат
measure-qualitative = Описно
measurement-new = Унесите податак
measurement-value = Вредност
measurement-numerator = Бројилац
measurement-denominator = Именилац
measurement-text = Шта је утврђено
measurement-note = Напомена
measurement-record = Унеси
category-women = жене
category-men = мушкарци
progress-title = Извештаји о напретку
progress-none = Још нема извештаја о напретку.
progress-new = Напишите извештај о напретку
progress-percent = Проценат урађеног
progress-narrative = Шта је урађено (Markdown)
progress-narrative-hint = Наведите шта је постигнуто у периоду, шта касни и зашто.
progress-add-evidence = Доказ (датотека)
progress-file-hint = PDF, слике, Word, Excel, PowerPoint или текст; до величине коју инсталација дозвољава.
progress-save-draft = Сачувај нацрт
progress-save-submit = Сачувај и пошаљи на преглед
progress-revise = Измени
progress-evidence = Докази
progress-reason = Разлог
progress-approve = Одобри
progress-return = Врати на дораду
progress-return-reason = Разлог враћања
progress-reopen = Поново отвори
progress-reopen-reason = Разлог поновног отварања
progress-closed = Напредак се извештава када је план усаглашен, до његовог затварања.
update-state-draft = Нацрт
update-state-submitted = Послато
update-state-returned = Враћено
update-state-approved = Одобрено
calendar-title = Календар извештавања
calendar-periods = Периоди
calendar-dates = Датуми
calendar-due = Рок за извештаје
calendar-phase = Стање
calendar-locked = закључано
calendar-missing-title = Ко није известио за { $period }
calendar-period-dates = од { $starts } до { $ends }, рок за извештаје { $due }
calendar-reported = Послато { $reported } од { $owed } извештаја.
calendar-all-reported = Сви извештаји за овај период су послати.
calendar-missing-items = Ставке без извештаја
calendar-no-lead = Без носиоца
calendar-manage = Управљање периодом
calendar-lock = Закључај период
calendar-unlock = Откључај период
calendar-unlock-reason = Разлог откључавања (чува се у ревизорском трагу)
calendar-change-due = Промени рок
phase-upcoming = Предстоји
phase-running = У току
phase-reporting = Извештаји се пишу
phase-overdue = Извештаји касне
assessments-title = Оцене
assessments-none = Још нема оцена.
assessments-none-period = Још нема оцене овог периода.
assessments-compare = Упоредите перспективе
assessments-caption = Оцене сваке перспективе по ставкама; редови у којима се разилазе су означени.
assessments-disagreements = { $count ->
    [0] Перспективе се слажу о свим ставкама.
    [one] Перспективе се разилазе о { $count } ставци.
    [few] Перспективе се разилазе о { $count } ставке.
   *[other] Перспективе се разилазе о { $count } ставки.
}
assessments-disagree = разилажење
assessments-yours = Ваша оцена
assessments-judgement = Укупна оцена
assessments-rating = Оцена
assessments-note = Напомена
assessments-make-final = Учини је коначном (више се не мења)
assessments-save = Сачувај
assessments-scale = Скала
assessments-start = Започните оцену периода { $period }
assessments-final-note = Ваша оцена овог периода је коначна.
assessment-state-draft = Нацрт
assessment-state-final = Коначна
perspective-self = Самооцена (партнер)
perspective-alliance = Савез
perspective-independent = Независна
scale-completion = Степен остварености (није започето … потпуно)
scale-rag = Црвено / жуто / зелено
rating-no_evidence = Нема доказа
rating-not_started = Није започето
rating-limited = Ограничено
rating-substantial = Знатно
rating-complete = Потпуно
rating-red = Црвено
rating-amber = Жуто
rating-green = Зелено
report-title = Извештај
report-csv = CSV
report-print-hint = Одштампајте ову страницу (или је сачувајте као PDF из дијалога за штампу); ознака тајности је на свакој страни.
report-as-of = На дан
report-generated = Направљено
report-items = Ставке
report-period-report = Извештај за период
inbox-title = Обавештења
inbox-empty = Нема обавештења.
inbox-unread = непрочитано
inbox-mark-read = Означи као прочитано
inbox-mark-all = Означи све као прочитано
dashboard-indicators-shown = { $shown } индикатора најудаљенијих од циља, од укупно { $total }; сви су у

## Помоћ и активности
assistance-title = Помоћ
assistance-ally = Савезник или агенција
assistance-kind = Врста
assistance-from = Од
assistance-to = До
assistance-uncovered = Захтеви без прихваћене понуде
assistance-none-uncovered = Сваки отворени захтев има прихваћену понуду.
assistance-duplicates = Понуде које се понављају
assistance-none-duplicated = Ниједне две понуде исте врсте не служе истој ставци у исто време.
assistance-unsupported = Ставке без иједне понуде, по областима
assistance-all-supported = Свака ставка има понуду.
assistance-no-area = Без области
assistance-totals = Збирови
assistance-by-ally = По савезнику или агенцији (понуде · вредност)
assistance-by-area = По областима (понуде · вредност)
assistance-unsolicited = { $count ->
    [one] { $count } понуда не одговара ни на један захтев.
    [few] { $count } понуде не одговарају ни на један захтев.
   *[other] { $count } понуда не одговара ни на један захтев.
}
assistance-requests = Захтеви
assistance-offers = Понуде
assistance-no-requests = Нема захтева за помоћ.
assistance-no-offers = Нема понуда које видите.
assistance-items = Ставке
assistance-dates = Датуми
assistance-priority = Приоритет
assistance-close = Затвори
assistance-new-request = Затражите помоћ
assistance-need = Шта је потребно
assistance-ask = Затражи
assistance-value = Вредност
assistance-currency = Валута
assistance-answers = Одговара на захтев
assistance-share = Подели са (други савезници је виде само ако је подељена)
assistance-description = Опис
assistance-offer = Понуди
assistance-new-offer = Понудите помоћ
assistance-reason = Разлог
assistance-kind-expertise = Стручна помоћ
assistance-kind-training = Обука
assistance-kind-equipment = Опрема
assistance-kind-funding = Финансирање
assistance-kind-exercise = Вежба
assistance-kind-other = Друго
priority-high = Висок
priority-medium = Средњи
priority-low = Низак
request-state-open = Отворен
request-state-closed = Затворен
offer-state-proposed = Предложена
offer-state-accepted = Прихваћена
offer-state-declined = Одбијена
offer-state-withdrawn = Повучена
offer-state-in_delivery = У реализацији
offer-state-delivered = Реализована
offer-to-accepted = Прихвати
offer-to-declined = Одбиј
offer-to-withdrawn = Повуци
offer-to-in_delivery = Започни реализацију
offer-to-delivered = Означи као реализовану
activities-title = Активности
activities-month = Активности и рокови у { $month }
activities-due = Рок:
activities-reports-due = Рок за извештаје:
activities-feed-hint = Претплатите се у свом календару личним API токеном:
activities-all = Све активности
activities-none = Још нема активности.
activities-participants = Учесници: { $women } жена, { $men } мушкараца
activities-outcome = Исход
activities-feedback = Утисци
activities-record-outcome = Забележите како је прошло
activities-new = Унесите активност
activities-place = Место
activities-organiser = Организатор
activities-offer = Реализује понуду
activities-catalogue = Ознака у каталогу
activities-add = Додај активност
activity-kind-course = Курс
activity-kind-conference = Конференција
activity-kind-seminar = Семинар
activity-kind-exercise = Вежба
activity-kind-visit = Посета
activity-kind-other = Друго
weekday-mon = пон
weekday-tue = уто
weekday-wed = сре
weekday-thu = чет
weekday-fri = пет
weekday-sat = суб
weekday-sun = нед

## Јавни портал
public-title = Партнерство, за грађане
public-intro = Шта ради партнерство НАТО и Србије: његови циљеви, напредак, приче и догађаји.
public-none = Још ништа није објављено.
public-home = Почетна
public-footer = Објављено из евиденције самог партнерства. Овде се појављује само оно што је одобрено за јавност.
public-stories = Приче
public-activities = Догађаји
public-feed = Вести (Atom)
public-calendar = Календар (iCalendar)
public-progress = Напредак по областима
public-upcoming = Предстоји
public-past = Прошли
public-no-activities = Још нема јавних догађаја.
public-items = Циљеви и активности
public-no-items = Још нема јавних циљева ни активности.
public-no-stories = Још нема прича.
public-by-status = Јавни циљеви и активности по статусу
public-about = О чему говори ова прича
stories-title = Приче
stories-portal = Јавни портал
stories-portal-on = Овај план је на јавном порталу:
stories-portal-off = Овај план није на јавном порталу. Само координатор може да га постави.
stories-portal-edit = Шта портал каже о овом плану
stories-portal-title-en = Наслов (енглески)
stories-portal-title-sr = Наслов (српски, ћирилица)
stories-portal-summary-en = Шта је партнерство (енглески, Markdown)
stories-portal-summary-sr = Шта је партнерство (српски, ћирилица, Markdown)
stories-portal-publish = Прикажи овај план на јавном порталу (појављују се само ставке, активности и приче означене као ЈАВНО)
stories-all = Приче плана
stories-none = Још нема прича.
stories-public-page = јавна страница
stories-reason = Разлог
stories-photo-remove = Уклони фотографију
stories-edit = Уреди нацрт и додај фотографије
stories-language = Језик
stories-summary = Сажетак
stories-body = Текст (Markdown)
stories-photo = Фотографија (JPEG, PNG или WebP)
stories-caption = Опис
stories-credit = Аутор фотографије
stories-photo-hint = Највише 15 MB и 40 мегапиксела. Подаци о локацији и фотоапарату се уклањају; јавност види копију од највише 1600 пиксела.
stories-photo-add = Додај фотографију
stories-new = Напиши причу
stories-new-hint = Прича се пише за јавност: објављује је координатор који није њен аутор, и тек тада се појављује на порталу.
stories-add = Сачувај као нацрт
story-photo-missing = Изаберите фотографију.
story-step-unknown = Тај корак не постоји.
story-state-draft = Нацрт
story-state-release_review = Провера за објављивање
story-state-published = Објављено
story-state-withdrawn = Повучено
story-step-submit = Пошаљи на проверу
story-step-publish = Објави
story-step-return = Врати
story-step-withdraw = Повуци
story-step-redraft = Настави рад
form-not-organisation = није организација
form-due-hint = мора бити датум (2015-09-30), тромесечје (2015-Q3) или „стално”
form-choose-status = изаберите статус
form-weight-hint = мора бити цео број од 0 до 1000
form-choose-gender = изаберите 0, 1 или 2
form-choose-marking = изаберите ознаку
stale-form = Неко га је изменио док сте радили на њему; ево га какав је сада — поновите своју измену.
form-dates = датуми: унесите први и последњи дан (ГГГГ-ММ-ДД)
form-not-kind = није врста помоћи
form-sum-hint = износ, на пример 15000 или 15000,50
form-whole-number = цео број

## Одбијања: зашто радња није дозвољена (403) или сада није могућа (409), по коду
refusal-role-forbids = Ваша улога вам не дозвољава да { $action }.
refusal-token-own-only = Токени се издају само за сопствени налог.
refusal-period-in-use = За овај период постоје извештаји или мерења; не може се уклонити.
refusal-owned-by-peer = Овај запис ({ $kind }) стигао је из друге инсталације, која је његов власник: овде се може само читати. Замолите другу страну да га измени; измена стиже са њиховим следећим пакетом.
refusal-period-locked = Извештајни период { $period } је закључан; координатор мора прво да га откључа.
refusal-report-period-locked = Извештајни период { $period } је закључан; координатор мора прво да га откључа.
refusal-report-write-not-yours = Известиоци пишу извештаје само о ставкама које води њихова организација.
refusal-report-submit-not-yours = Извештај о ставци шаље известилац организације која је води (или уредник партнера).
refusal-report-review-not-yours = Извештаје о напретку прегледа само координатор.
refusal-report-approved = Извештај је одобрен и више се не мења; координатор може поново да га отвори.
refusal-report-under-review = Извештај је на прегледу; може се поново мењати ако буде враћен.
refusal-report-wrong-state = Извештај у стању „{ $state }“ не може да пређе у стање „{ $step }“.
refusal-figures-not-yours = Известиоци уносе податке само за ставке које води њихова организација.
refusal-figures-approved = Извештај о напретку за { $period } је одобрен, па су подаци за тај период закључани; координатор мора прво поново да га отвори.
refusal-reports-not-yet = О напретку се извештава када план буде усаглашен.
refusal-reports-no-more = План је у стању „{ $state }“ и више не прима извештаје.
refusal-approve-no-side = Одобрава само координатор или уредник партнера.
refusal-offer-own-name = Савезник даје понуде у своје име.
refusal-offer-change-not-yours = Понуду мења само организација која ју је дала (или координатор).
refusal-offer-settled = Понуда у стању „{ $state }“ се више не мења; повуците је и дајте нову.
refusal-offer-wrong-state = Понуда у стању „{ $state }“ не може да пређе у стање „{ $to }“.
refusal-offer-step-partners = Само партнерска страна може да понуду преведе у стање „{ $to }“.
refusal-offer-step-offerers = Само организација која је дала понуду (или координатор) може да је преведе у стање „{ $to }“.
refusal-activity-not-yours = Савезници уносе активности које организују.
refusal-story-settled = Прича у стању „{ $state }“ се не мења; прво је вратите у нацрт.
refusal-story-wrong-state = Овај корак није могућ за причу у стању „{ $state }“.
refusal-story-released-by-coordinator = Приче објављује координатор.
refusal-story-not-own-release = Не можете објавити причу коју сте сами написали; то мора други координатор.
refusal-item-has-records = Ставка (или нека испод ње) има показатеље, извештаје о напретку или оцене; уместо брисања поставите њен статус на „отказано“.
refusal-assessment-window = План се оцењује током спровођења и оцењивања, а не док је у стању „{ $state }“.
refusal-perspective-not-yours = Перспективу „{ $perspective }“ пише улога „{ $role }“ на плану.
refusal-perspective-none = Ваша улога на овом плану не пише ниједну перспективу.
refusal-assessment-final = Оцена је коначна и више се не мења.
action-plan_read = читате овај план
action-plan_update = мењате овај план
action-plan_transition = водите овај план кроз његове фазе
action-plan_approve_owner = одобравате у име власника
action-plan_approve_partner = одобравате у име партнера
action-decision_write = уносите одлуке о овом плану
action-item_write = мењате ставке овог плана
action-link_write = повезујете ставке овог плана
action-marking_downgrade = снижавате ознаке
action-members_manage = управљате члановима овог плана
action-comment_write = коментаришете овај план
action-indicator_write = дефинишете показатеље овог плана
action-measurement_write = уносите мерења за овај план
action-progress_write = извештавате о напретку овог плана
action-progress_review = прегледате извештаје о напретку овог плана
action-calendar_write = мењате извештајни календар овог плана
action-assessment_write = оцењујете овај план
action-attachment_write = отпремате датотеке уз овај план
action-request_write = тражите помоћ у оквиру овог плана
action-offer_write = нудите помоћ у оквиру овог плана
action-offer_decide = прихватате или одбијате понуде у оквиру овог плана
action-activity_write = уносите активности овог плана
action-story_write = пишете приче за овај план
action-story_release = објављујете приче овог плана
action-plan_create = отварате планове
action-directory_read = читате именик
action-directory_write = мењате именик
action-user_read = читате корисничке налоге
action-user_write = мењате корисничке налоге
action-audit_read = читате ревизијски траг
action-exchange_manage = управљате разменом са другим инсталацијама
action-own_account = управљате овим налогом

## Проблеми са уносом, по пољу и коду (error-<поље>-<код>) или само по коду (error-<код>)
error-taken = је већ заузето
error-required = не сме бити празно
error-too_long = је предугачко
error-invalid = није исправно
error-unknown = није познато
error-duplicate = наведено је више пута
error-out_of_range = је ван дозвољеног опсега
error-too_many = има их превише
error-has_children = { $hidden ->
    [yes] ова ставка има подређене ставке које не можете да обришете
   *[other] ова ставка има подређене ставке; прво их обришите или преместите, или бришите заједно са њима (cascade=true)
}
error-revoked = токен је већ опозван
error-plan_final = план је у стању „{ $state }“ и више се не може мењати
error-not_in_negotiation = одобрити се може само план у преговорима; овај је у стању „{ $state }“
error-clearance-wrong_scheme = мора бити ниво система ознака ове инсталације
error-code-invalid = мора имати од 2 до 40 малих слова, цифара или доњих црта и почињати словом
error-code-taken = { $kind ->
    [framework] други оквир већ има ову шифру
   *[area] друга област већ има ову шифру
}
error-content_hash-changed = план се променио откако сте га прочитали; прочитајте га поново пре одобравања
error-current_password-required = унесите своју тренутну лозинку
error-current_password-wrong = није ваша тренутна лозинка
error-cursor-invalid = није показивач са овог списка
error-to-before_from = је пре почетног датума (from)
error-limit-range = мора бити цео број од { $min } до { $max }
error-email-taken = други налог већ има ову адресу е-поште
error-file-too_many = прича има највише 20 фотографија
error-global_roles-self_demotion = администратори не могу себи да одузму улогу администратора
error-marking-hides_from_you = са овом ознаком више не бисте могли да видите запис
error-marking-below_parent = мање је ограничавајуће од ознаке којој запис припада
error-note-invalid = највише 4.000 знакова, без контролних знакова
error-offered_by-not_ally = понуде дају савезници и агенције
error-offered_by-required = наведите који савезник или агенција даје понуду
error-organisation-unknown = таква организација не постоји
error-parent-too_many_children = ова надређена ставка већ има највише дозвољених подређених
error-parent-unknown = таква ставка не постоји
error-period-taken = { $what ->
    [measurement] за овај период већ постоји мерење; измените њега
   *[update] ставка већ има извештај за овај период; измените њега
}
error-period-unknown = није извештајни период овог плана
error-perspective-taken = ова перспектива већ има оцену за овај период
error-status-self_lockout = не можете закључати или онемогућити сопствени налог
error-to-before_start = не сме бити пре почетка
error-user-unknown = такав корисник не постоји
error-valid_days-out_of_range = мора бити између 1 и 3660 дана
error-limit-out_of_range = мора бити између 1 и { $max }
error-shared_with-unknown = није савезник ни агенција
error-evidence-unknown = таква датотека не постоји у овом плану
error-role-wrong_side = улога „{ $role }“ не може припасти члану ове врсте организације ({ $kind })
error-to-transition = { $reason ->
    [approvals] за усаглашавање је потребно одобрење обе стране за тренутни текст; недостаје: { $missing ->
        [owner] власник
        [partner] партнер
       *[both] власник и партнер
    }
    [final] план у стању „{ $from }“ не може прећи у стање „{ $to }“; то стање је коначно
   *[other] план у стању „{ $from }“ не може прећи у стање „{ $to }“; може прећи у: { $next }
}

## Обавештења и е-поруке, на језику примаоца
notification-report-submitted-subject = { $plan } { $item }: послат извештај о напретку за { $period }
notification-report-submitted-body = { $reporter } је послао/ла извештај о напретку за { $item } за период { $period }; чека ваш преглед.
notification-report-returned-subject = { $plan } { $item }: враћен извештај о напретку за { $period }
notification-report-returned-body = Ваш извештај о напретку за { $item } за период { $period } је враћен: { $reason }
notification-report-approved-subject = { $plan } { $item }: одобрен извештај о напретку за { $period }
notification-report-approved-body = Ваш извештај о напретку за { $item } за период { $period } је одобрен.
notification-reports-late-subject = { $plan }: касне извештаји за { $period } (недостаје { $count })
notification-reports-late-body = { $count ->
    [one] За { $count } ставку о којој извештавате у плану { $plan } нема послатог извештаја за { $period } (од { $starts } до { $ends }); рок је био { $due }.
    [few] За { $count } ставке о којима извештавате у плану { $plan } нема послатог извештаја за { $period } (од { $starts } до { $ends }); рок је био { $due }.
   *[other] За { $count } ставки о којима извештавате у плану { $plan } нема послатог извештаја за { $period } (од { $starts } до { $ends }); рок је био { $due }.
}
notification-reports-due-subject = { $plan }: извештаји за { $period } доспевају { $due } (недостаје { $count })
notification-reports-due-body = { $count ->
    [one] За { $count } ставку о којој извештавате у плану { $plan } нема послатог извештаја за { $period } (од { $starts } до { $ends }); рок је { $due }.
    [few] За { $count } ставке о којима извештавате у плану { $plan } нема послатог извештаја за { $period } (од { $starts } до { $ends }); рок је { $due }.
   *[other] За { $count } ставки о којима извештавате у плану { $plan } нема послатог извештаја за { $period } (од { $starts } до { $ends }); рок је { $due }.
}
calendar-item-due = Рок: { $plan } { $item } { $title }
calendar-reports-due = Рок за извештаје: { $plan } { $period }
refusal-own-password-with-current = Своју лозинку мењате на /api/v1/me/password, уз тренутну лозинку.
refusal-story-photo-missing = Изаберите фотографију коју додајете.
refusal-story-step-unknown = Тај корак не постоји.
refusal-upload-too-large = Датотека је већа од онога што овај сервер прима.
refusal-form-unreadable = Образац није могао да се прочита; пошаљите га поново.
error-expected-id = мора бити идентификатор
error-expected-time = мора бити време, на пример 2015-01-20T00:00:00Z
error-expected-version = мора бити број верзије (1, 2, …) или "current"
error-expected-framework-level = није ниво оквира овог плана
error-expected-item-or-root = мора бити идентификатор ставке или `root`
error-expected-quarter = мора бити тромесечје, на пример 2015-Q3
error-expected-at-most-200 = највише 200 знакова
error-expected-readable-file = датотека није могла да се прочита
error-expected-readable-text = није могло да се прочита
error-expected-multipart-form = образац није могао да се прочита
error-expected-marking-level = није ниво ознаке
error-expected-status = изаберите статус
error-expected-percent = цео број од 0 до 100
error-expected-number = мора бити број
error-expected-measure = изаберите меру
error-file-required = приложите датотеку
error-period-required = наведите период
error-unknown_field = није поље овог записа

## Документи о проблемима API-ја (detail), по врсти
problem-not-found = такав запис не постоји
problem-unauthenticated = пријавите се или пошаљите API токен као `Authorization: Bearer …`
problem-bad-credentials = адреса е-поште или лозинка нису тачне
problem-internal = на серверу је дошло до грешке; забележена је
problem-invalid = { $count ->
    [one] унос има { $count } проблем
    [few] унос има { $count } проблема
   *[other] унос има { $count } проблема
}
problem-stale = запис се променио откако сте га прочитали (сада је у верзији { $version }); прочитајте га поново и поновите измену
problem-rate-limited = превише покушаја; покушајте поново за { $seconds } с
problem-rate-limited-address = превише покушаја пријаве са ове адресе; покушајте поново за { $seconds } с
problem-unsupported-media-type = пошаљите тело захтева као application/json
problem-unsupported-media-type-multipart = пошаљите датотеку као multipart/form-data
problem-too-large = тело захтева је веће од онога што овај сервер прима
problem-bad-body = тело захтева није могло да се прочита
problem-malformed-json = тело захтева није исправан JSON: { $error }
problem-if-match-required = пошаљите If-Match са ETag-ом верзије коју сте мењали, да се истовремене измене никад не изгубе
problem-if-match-star = If-Match мора навести верзију (ETag, на пример "3"), а не *
problem-if-match-unknown = If-Match не наводи верзију овог записа
problem-if-match-weak = If-Match мора навести верзију јаким ETag-ом, на пример "3"; слаб (W/"3") се никад не поклапа са изменом
problem-too-many-connections = са ваше адресе је отворено превише веза; затворите неке и покушајте поново
problem-overloaded = сервер има превише отворених веза; покушајте поново за тренутак
problem-uri-too-long = адреса захтева је дужа од { $max } бајтова
problem-cross-site = захтеви са других сајтова не смеју ништа да мењају
problem-method-not-allowed = ова метода овде није дозвољена
problem-timeout = захтев је трајао предуго
problem-error = на захтев није могло да се одговори
chart-target = циљ
field-iati-ref = IATI идентификатор организације
iati-ref-hint = Како је IATI датотеке именују, нпр. XM-DAC-8 (ОЕЦД ДАК шифра савезника) или RS-COA-… ; идентификатори њених активности почињу њиме. Оставите празно ако га нема.
error-iati_ref-invalid = мора бити IATI идентификатор организације: префикс агенције и број организације, нпр. XM-DAC-8 или RS-COA-123, без размака и знакова / & | ?
error-dac_sector-invalid = мора бити петоцифрена ОЕЦД ДАК шифра намене, нпр. 15210
public-iati = Отворени подаци (IATI)
refusal-iati-no-reference = Власник плана, { $organisation }, нема IATI идентификатор организације; унесите га на организацији (нпр. XM-DAC-…) да би план био објављен као IATI подаци.
refusal-import-no-country = Активност не наводи земљу примаоца: партнер плана је организација неке земље.
refusal-import-applied = Овај увоз је већ примењен; поново отпремите датотеку за нови преглед.
error-activities-not_importable = { $identifier } не може да се увезе: погледајте његове проблеме у прегледу
error-activities-none_importable = ништа из ове датотеке не може да се увезе: погледајте проблеме у прегледу
error-file-too_large = датотека је већа од { $max } MB

# Увози (IATI)
import-title = Увоз IATI датотеке
import-new = Увези IATI датотеку
import-intro = Отпремите IATI датотеку активности (верзије 2.01 до 2.03) онако како је донатори објављују. Још се ништа не мења: прво видите шта би се направило или ажурирало и сваки проблем у његовом реду. Затим бирате које активности примењујете.
import-file = IATI датотека активности (XML)
import-file-hint = До 100 MB. Zip, табела или IATI 1.x се одбијају уз разлог.
import-upload = Отпреми и прегледај
import-preview-title = Преглед увоза
import-file-facts = IATI { $version } · { $size } бајтова · SHA-256 { $sha256 }
import-applied = Примењено: { $count } активности увезено је у једној промени, забележеној у ревизијском трагу.
import-totals = Шта примена ради
import-activities = Активности
import-activities-count = { $count } у датотеци, { $importable } може да се увезе
import-plans = Планови
import-items = Ставке
import-created-updated = { $created } направљено, { $updated } ажурирано
import-figures = Индикатори
import-figures-count = { $indicators } индикатора, { $targets } циљева, { $actuals } остварења
import-offers = Понуде (из трансакција)
import-organisations = Организације
import-orgs-count = { $count } наведено, { $created } за прављење
import-problems = Проблеми
import-problems-count = грешке: { $errors } · упозорења: { $warnings }
import-no-problems = Нема проблема.
import-problems-more = Овде је наведено { $shown } од { $count } проблема, од реда { $line }; сви су у одговору API-ја на /api/v1/imports/{ $id }.
import-next-problems = Следећи проблеми
import-first-problems = Први проблеми
import-activities-more = Овде је наведено { $shown } од { $count } активности, од реда { $line }.
import-next-activities = Следеће активности
import-first-activities = Прве активности
import-apply-all-hint = Ова датотека има више активности него што једна страна приказује: примена увози све које могу да се увезу, у једној трансакцији. Да бисте изабрали неке, наведите их у примени преко API-ја (activities).
import-apply-all = Примени све активности које могу да се увезу
import-choose = Увоз
import-choose-one = Увези { $identifier }
import-becomes = Постаје
import-becomes-plan = план
import-becomes-item = ставка
import-action = Радња
import-create = прави се
import-update = ажурира се
import-match = пронађено
import-refused = не може да се увезе
import-apply-hint = Означене активности примењују се у једној трансакцији; активности ставке потребан је план. Поновни увоз исте датотеке ажурира оно што је направила.
import-apply = Примени изабране активности
col-identifier = IATI идентификатор
col-line = Ред
col-column = Колона
col-path = Елемент
col-severity = Озбиљност
col-message = Порука
severity-error = грешка
severity-warning = упозорење

## Увоз и извоз табела
sheet-import-link = Увези ставке из табеле
sheet-import-title = Увоз ставки из табеле
sheet-import-intro = Отпремите ставке плана као Excel радну свеску (.xlsx) или CSV датотеку. Liaison проналази ред заглавља, предлаже која колона садржи које поље и приказује шта би постао сваки ред, са сваким проблемом у његовој ћелији. Ништа се не мења док не примените увоз. Ставке се препознају по шифри и ажурирају; ништа се не брише.
sheet-file = Табела (XLSX или CSV)
sheet-file-hint = До 50 MB. CSV може бити у кодирању UTF-8, Windows-1250 или Windows-1251, са зарезима, тачка-зарезима или табулаторима.
sheet-language = Језик текста на латиници
sheet-language-hint = Текст на ћирилици се увек узима као српски.
sheet-applied = Примењено: { $created } ставки направљено и { $updated } ажурирано у једној промени, забележено у ревизијском трагу; { $refused } редова одбијено.
sheet-plan = План
sheet-rows = Редови
sheet-rows-count = { $rows } редова испод заглавља: { $items } ставки, { $notes } напомена, { $blank } празних
sheet-items-count = { $created } за прављење, { $updated } за ажурирање, { $unchanged } без промене, { $refused } одбијено
sheet-areas = Области
sheet-not-in-file = Ставке које табела не наводи (остају какве јесу)
sheet-mapping = Колоне
sheet-mapping-hint = Заглавље је у реду { $row }. Изаберите поље које свака колона садржи, или је изоставите, и поново прегледајте.
sheet-header-row = Ред заглавља
sheet-column = Колона
sheet-header = Заглавље
sheet-field = Поље
sheet-not-imported = (не увози се)
sheet-preview-again = Прегледај поново
sheet-rows-more = Овде је наведено { $shown } од { $count } редова.
sheet-next-rows = Следећи редови
sheet-first-rows = Први редови
sheet-apply-hint = Сваки ред који може да се увезе примењује се у једној трансакцији. Ред чију је ставку неко променио после овог прегледа одбија се, уз оно што је промењено.
sheet-apply = Примени
sheet-cell = Ћелија
items-xlsx = Ставке као XLSX
items-csv = Ставке као CSV
report-xlsx = XLSX
report-pdf = PDF
compare-pdf = Измене као PDF
version-pdf = Ова верзија као PDF
report-pdf-period = Извештај за овај период као PDF
error-not_a_figures_import = није увоз вредности
error-not_a_sheet_import = није увоз табеле
error-rows-none_importable = ниједан ред ове датотеке не може да се увезе: погледајте проблеме у прегледу
error-new_plan-with_plan = наведите план или нови план, не оба
error-activities-not_for_sheets = увоз табеле примењује сваки ред који може да се увезе; не прима списак активности
error-activities-not_for_figures = увоз вредности примењује сваки период који може да се увезе; не прима списак активности
error-header_row-beyond_sheet = је испод последњег реда листа ({ $rows } редова)
error-columns-role_twice = две колоне имају улогу { $role }: само једна
error-columns-missing_role = ниједна колона нема улогу { $role }: изаберите једну
error-columns-no_disaggregation = показатељ нема разврставање, па ниједна колона не може да садржи његове категорије
error-unknown_column = није колона листа
error-not_a_field = не именује поље ({ $field }); поља су code, parent, level, title, description, lead, contributors, area, status, start, due, weight, gender_marker, marking
error-unknown_role = не именује улогу ({ $role }); улоге су period, value, category, breakdown, series, constant
error-invalid_json = није исправан JSON
clearing-xlsx = Координација помоћи као XLSX
indicators-xlsx = Показатељи и вредности (XLSX)
docx-page = Страна
plan-docx = План као DOCX
doc-contents = Садржај
doc-version = Усаглашена верзија
doc-current = Тренутни текст (није усаглашена верзија)
plan-pdf = План као PDF
doc-redline = Измене
doc-redline-legend = Легенда:
doc-deleted = брисано
doc-inserted = додато
doc-redline-plan = План
doc-redline-changed = Измењене ставке
doc-redline-added = Додате ставке
doc-redline-removed = Уклоњене ставке
doc-redline-none = Две верзије имају исти садржај.
doc-none = Нема.

## Претрага
search-title = Претрага
search-public-title = Претрага портала
search-label = Претражите све што смете да видите
search-public-label = Претражите планове, активности и приче на овом порталу
search-placeholder = Претрага…
search-submit = Тражи
search-hint = Речи латиницом или ћирилицом, са дијакритицима или без њих; „израз“ под наводницима; реч* за почетак речи; ознака као PG-17 или 2.3.1.
search-found = { $count ->
    [0] Ништа није пронађено.
    [one] Пронађен је { $count } запис.
    [few] Пронађена су { $count } записа.
   *[other] Пронађено је { $count } записа.
}
search-filters = Филтери
search-by-kind = Врста
search-by-plan = План
search-by-status = Стање
search-clear-filters = Све врсте, планови и стања
search-more = Још резултата
search-kind-item = Ставке
search-kind-indicator = Показатељи
search-kind-report = Извештаји о напретку
search-kind-comment = Коментари
search-kind-request = Захтеви за помоћ
search-kind-offer = Понуде помоћи
search-kind-activity = Активности
search-kind-story = Приче
search-kind-decision = Одлуке и кључни датуми
search-kind-organisation = Организације
search-kind-evidence = Докази

# Exchange between installations
nav-exchange = Размена
exchange-title = Размена са другим инсталацијама
exchange-intro = Пакети се праве и примењују из командне линије (liaison exchange export и import); овде потврђујете кључеве партнера и решавате сукобе.
exchange-identity = Ова инсталација
exchange-name = Назив
exchange-accreditation = Акредитована до
exchange-public-key = Јавни кључ
exchange-no-identity = Још нема кључа: покрените liaison exchange keygen на серверу.
exchange-peers = Поуздани партнери
exchange-level = Највиши ниво који сме да чува
exchange-keys = Кључеви
exchange-trust = Потврдите кључ партнера
exchange-country-hint = Њена земља (ISO 3166 alpha-3, нпр. SRB) или група (нпр. NATO).
exchange-trust-button = Потврди овај кључ
exchange-conflicts = Сукоби
exchange-conflicts-count = { $count ->
    [0] Нема сукоба за решавање
    [one] { $count } сукоб за решавање
    [few] { $count } сукоба за решавање
   *[other] { $count } сукоба за решавање
}
exchange-record = Запис
exchange-field = Поље
exchange-here = Овде
exchange-there = Тамо
exchange-settle = Решите
exchange-keep-local = Задржи наше
exchange-keep-remote = Узми њихово
exchange-bundles = Послати и примљени пакети
exchange-when = Када
exchange-direction = Смер
exchange-records = Записи
exchange-sent = послат
exchange-received = примљен

## Други фактор: пријава, страница налога, поништавање од стране администратора
factor-title = Други фактор
factor-intro = Унесите шестоцифрени код који апликација за аутентификацију приказује за овај налог.
factor-enrol-intro = Ваша организација захтева други фактор за ваш налог. Скенирајте овај QR код апликацијом за аутентификацију (на пример Aegis, FreeOTP или Google Authenticator) или унесите кључ, а затим унесите код који апликација приказује.
factor-qr-alt = QR код кључа, за апликацију за аутентификацију
factor-secret = Кључ
factor-code = Код
factor-recovery-hint = Изгубили сте уређај? Унесите уместо тога један од својих кодова за опоравак.
factor-submit = Настави
factor-expired = Ова пријава је трајала предуго или је завршена. Пријавите се поново.
error-code-wrong = Тај код није тачан: унесите онај који апликација сада приказује или код за опоравак.
error-code-reused = Тај код је управо употребљен: сачекајте следећи.
recovery-codes-title = Ваши кодови за опоравак
recovery-codes-intro = Сваки од ових кодова вас једном пријављује ако изгубите уређај. Чувајте их на безбедном месту, одвојено од уређаја: приказују се само сада.
recovery-codes-continue = Настави
nav-account = Ваш налог
account-title = Ваш налог
account-factor-heading = Други фактор
account-factor-on = Апликација за аутентификацију је подешена.
account-recovery-left = { $count ->
    [one] Преостао је { $count } код за опоравак.
    [few] Преостала су { $count } кода за опоравак.
   *[other] Преостало је { $count } кодова за опоравак.
}
account-factor-off = Други фактор није подешен.
account-factor-required = Ваша организација захтева други фактор за ваш налог.
account-totp-begin = Подеси апликацију за аутентификацију
account-totp-pending = Скенирајте овај QR код апликацијом за аутентификацију или унесите кључ, а затим унесите код који апликација приказује да бисте завршили.
account-totp-confirm = Потврди
account-totp-remove = Уклони апликацију за аутентификацију
account-totp-remove-hint = Унесите тренутни код да бисте је уклонили.
account-recovery-renew = Нови кодови за опоравак
account-recovery-renew-hint = Унесите тренутни код: стари кодови за опоравак престају да важе.
admin-factor-heading = Други фактор
admin-factor-reset = Поништи други фактор
admin-factor-reset-hint = Када је особа изгубила уређај: њен кључ, приступни кључеви, кодови за опоравак и сесије престају да важе, а поништавање се бележи у ревизијском трагу.
refusal-second-factor-required = Ваша организација захтева други фактор за ваш налог: не може се уклонити.
refusal-second-factor-exists = Апликација за аутентификацију је већ подешена: прво је уклоните.
refusal-second-factor-not-begun = Апликација за аутентификацију се не подешава: почните поново.
refusal-second-factor-missing = Апликација за аутентификацију није подешена.
refusal-own-second-factor-reset = Ваш други фактор мора да поништи други администратор.
email-digest-subject = { $count ->
    [one] Liaison: { $count } обавештење данас
    [few] Liaison: { $count } обавештења данас
   *[other] Liaison: { $count } обавештења данас
}
email-digest-intro = Ваша обавештења од претходног прегледа:
email-footer = Ову поруку добијате јер имате налог у систему Liaison. На страници свог налога можете изабрати једну поруку дневно.
account-mail-heading = Електронска пошта
account-digest = Шаљите ми једну поруку дневно са списком обавештења, уместо поруке за свако
account-digest-save = Сачувај
sso-heading = Пријава налогом ваше организације
sso-sign-in-with = Пријавите се преко: { $provider }
sso-or-password = Или адресом електронске поште и лозинком свог налога у систему Liaison:
sso-signed-out = Одјављени сте из система Liaison.
sso-sign-out-there = Одјавите се и из: { $provider }
sso-failed = Пријава налогом ваше организације није завршена. Покушајте поново.
refusal-sso-state = Ова пријава није почела у овом прегледачу или је већ завршена или истекла. Пријавите се поново.
refusal-sso-refused = Служба за пријаву ваше организације није потврдила ваш идентитет. Пријавите се поново.
refusal-sso-unknown-account = За вас још не постоји налог у систему Liaison. Замолите администратора да га отвори са адресом електронске поште ваше организације.
refusal-sso-account-not-active = Ваш налог у систему Liaison је онемогућен или закључан. Обратите се администратору.
refusal-sso-unavailable = { $provider } тренутно није доступан. Покушајте поново за тренутак или се пријавите лозинком.
factor-passkey-intro = Употребите један од својих приступних кључева да бисте завршили пријаву или унесите код за опоравак.
factor-passkey = Употреби приступни кључ
factor-recovery-code = Код за опоравак
passkey-failed = Приступни кључ није одговорио или је његов одговор одбијен. Покушајте поново или на други начин.
passkey-unsupported = Овај прегледач не може да користи приступне кључеве.
account-passkeys-heading = Приступни кључеви
account-passkeys-intro = Приступни кључ је безбедносни кључ или отисак прста, лице или PIN овог уређаја, који при пријави доказује да сте то ви, уместо кода.
account-passkeys-none = Није регистрован ниједан приступни кључ.
account-passkey-added = додат
account-passkey-used = последњи пут употребљен
account-passkey-remove = Уклони
account-passkey-name = Назив новог приступног кључа
account-passkey-name-hint = Да бисте разликовали своје приступне кључеве, на пример „YubiKey у канцеларији”.
account-passkey-add = Додај приступни кључ
account-passkeys-unavailable = Приступни кључеви захтевају да се овој инсталацији приступа преко њеног имена домена. Обратите се њеном администратору.
account-totp-off = Апликација за аутентификацију није подешена.
error-passkey_refused = Одговор приступног кључа није прихваћен. Покушајте поново.
error-passkey_name = мора имати од 1 до { $max } знакова, без контролних знакова
error-code_or_passkey = наведите или код или одговор приступног кључа
refusal-passkeys-unavailable = Ова инсталација не нуди приступне кључеве: не приступа јој се преко имена домена.
refusal-passkeys-too-many = Овај налог има највећи дозвољени број приступних кључева: прво уклоните један.
refusal-passkey-not-begun = Приступни кључ се не региструје или је то трајало предуго: почните поново.
refusal-passkey-registered = Овај приступни кључ је већ регистрован.
refusal-passkey-missing = Овај налог нема приступни кључ.
account-passkeys-count = { $count ->
    [one] Регистрован је { $count } приступни кључ.
    [few] Регистрована су { $count } приступна кључа.
   *[other] Регистровано је { $count } приступних кључева.
}

## Портфолио свих партнера
nav-portfolio = Портфолио
portfolio-title = Портфолио
portfolio-intro = Сви планови које смете да видите, свих партнера и циклуса, са бројкама над оним што смете да видите. Сортирајте по колони; други клик обрће редослед.
portfolio-any = Било који
portfolio-cycle-all = Сви циклуси
portfolio-cycle-current = Последњи циклус сваког партнера
portfolio-apply = Прикажи
portfolio-as-of = бројке на дан
portfolio-empty = Ниједан план не одговара овим филтерима.
portfolio-chart = Напредак по партнеру (последњи циклус)
portfolio-current = последњи
portfolio-col-plan = План
portfolio-col-cycle = Циклус
portfolio-col-progress = Напредак
portfolio-col-overdue = Ставке у кашњењу
portfolio-col-late = Недостајући извештаји (последњи рок)
portfolio-col-unsupported = Захтеви без понуде / отворени
portfolio-summary = { $plans ->
    [one] { $plans } план
    [few] { $plans } плана
   *[other] { $plans } планова
} { $partners ->
    [one] { $partners } партнера
   *[other] { $partners } партнера
}
