## Liaison — English user-interface text.

app-name = Liaison
skip-to-content = Skip to content
nav-main = Main
nav-home = Plans
nav-admin-users = Accounts
nav-admin-orgs = Organisations
nav-api = API
language = Language
breadcrumbs = You are here
signed-in-as = Signed in as
sign-out = Sign out
marking-banner = Highest marking on this page
footer = Liaison — partnership action plans. Handle marked information according to its marking.
back-home = Back to the plans
back-to-plan = Back to the plan

login-title = Sign in
login-intro = Sign in with the e-mail address and password of your Liaison account.
login-email = E-mail address
login-password = Password
login-submit = Sign in
login-failed = The e-mail address or password is not right.
login-locked = Too many failed attempts: this account is locked for { $seconds } seconds.
login-rate-limited = Too many attempts from this address; try again in { $seconds } seconds.

home-title = Plans
home-intro = The plans you take part in, with their state and progress at a glance.
home-no-plans = You have no role on any plan yet. Ask a coordinator or an administrator.
plans-count = { $count ->
    [one] One plan
   *[other] { $count } plans
}
col-code = Code
col-title = Title
col-partner = Partner
col-period = Period
col-state = State
col-progress = Completed
col-status = Status
col-lead = Lead
col-due = Due
col-name = Name
col-organisation = Organisation
col-role = Role
col-version = Version
col-agreed-at = Agreed
col-content-hash = Content fingerprint
progress-value = { $done } of { $total }
items-count = { $count ->
    [one] { $count } item
   *[other] { $count } items
}
items-shown = Showing { $shown } of { $total } items.

state-drafting = Drafting
state-negotiation = Negotiation
state-agreed = Agreed
state-implementation = Implementation
state-assessment = Assessment
state-closed = Closed
state-superseded = Superseded

status-planned = Planned
status-in_progress = In progress
status-completed = Completed
status-partially_completed = Partially completed
status-delayed = Delayed
status-not_implemented = Not implemented
status-cancelled = Cancelled
status-carried_over = Carried over

decision-drafting_started = Drafting started
decision-presented = Presented
decision-partner_adopted = Adopted by the partner
decision-council_approved = Approved by the Council
decision-announced = Announced
decision-signed = Signed
decision-amended = Amended
decision-other = Decision

plan-code = Code
plan-state = State
plan-framework = Framework
plan-partner = Partner
plan-owner = Owner
plan-period = Period
plan-versions = Agreed versions
plan-members = Members and roles
plan-lifecycle = Agreement and lifecycle
plan-items = Plan
plan-filters = Filter the plan
plan-charts = At a glance
plan-decisions = Decisions
plan-no-decisions = No decisions recorded yet.
approval-owner = Approval of the alliance (owner)
approval-partner = Approval of the partner
approval-given = given for the current text
approval-pending = not yet given for the current text
approve-owner = Approve for the alliance
approve-partner = Approve for the partner
move-drafting-negotiation = Start negotiation
move-negotiation-drafting = Back to drafting
move-negotiation-agreed = Record the agreement
move-agreed-implementation = Start implementation
move-agreed-negotiation = Open an amendment
move-implementation-assessment = Start assessment
move-implementation-negotiation = Open an amendment
move-implementation-closed = Close the plan
move-assessment-implementation = Back to implementation
move-assessment-negotiation = Open an amendment
move-assessment-closed = Close the plan
action-refused = This could not be done
stale-plan = The plan changed while you were looking at it; read it again.
stale-member = The role changed meanwhile; read the list again.
stale-record = Someone else saved this record while you were editing it. Your values are kept below on top of the newer version: check them and save again.

filter-search = Search
filter-area = Area
filter-status = Status
filter-organisation = Lead or contributor
filter-due-quarter = Due in quarter
filter-any = Any
filter-apply = Filter
filter-clear = Show all
filter-invalid = Some filters were not understood and were left out.
more-items = Show more items
chart-by-status = Items by status
chart-by-area = Items by area
overdue = overdue
due-continuous = continuous
new-item = New item
new-child = New { $level } here
edit = Edit
edit-item = Edit item
save = Save
cancel = Cancel

item-lead = Lead organisation
item-contributors = Contributing organisations
item-areas = Areas
item-start = Start
item-due = Due
item-weight = Weight
item-gender-marker = Gender marker
item-description = Description
item-no-description = No description yet.
item-children = Contents
item-links = Links
item-no-links = No links to other items.
item-history = History
history-system = Liaison
history-create = Created
history-update = Changed
history-delete = Deleted
history-move = Moved
history-marking_downgrade = Marking lowered
history-transition = State changed
history-approve = Approved
history-agree_version = Version agreed
comments-count = { $count ->
    [0] Comments
    [one] One comment
   *[other] { $count } comments
}
comment-add = Add a comment
comment-submit = Comment
markdown-hint = You can use Markdown: **bold**, *italic*, lists, links.
gender-0 = 0 — not targeted
gender-1 = 1 — significant objective
gender-2 = 2 — principal objective
link-implements-outgoing = Implements
link-implements-incoming = Implemented by
link-supports-outgoing = Supports
link-supports-incoming = Supported by
link-depends_on-outgoing = Depends on
link-depends_on-incoming = Needed by

form-errors = { $count ->
    [one] There is one problem to fix
   *[other] There are { $count } problems to fix
}
stale-title = Someone else changed this item
stale-body = { $name } saved a newer version at { $time } while you were editing.
stale-their-change = Their change
stale-resave = Your values are kept below on top of the newer version. Check them, then save again.
lang-en = English
lang-sr-cyrl = Serbian (Cyrillic)
due-hint = A date (2015-09-30), a quarter (2015-Q3) or “continuous”.
marking-level = Classification
marking-releasable = Releasable to
marking-releasable-hint = Country codes or groups, separated by commas, e.g. SRB.
marking-originator = Originator
marking-downgrade = I confirm a marking lower than what the item belongs to
field-code = Code
field-title = Title
field-description = Description
field-areas = Areas
field-lead_organisation = Lead organisation
field-contributing_organisations = Contributing organisations
field-start = Start
field-due = Due
field-status = Status
field-weight = Weight
field-gender_marker = Gender marker
field-marking = Marking
field-position = Position
field-parent = Parent
field-level = Level
field-period = Period
field-email = E-mail address
field-clearance = Clearance
field-password = Password
field-short-name = Short name
field-country = Country
field-kind = Kind
field-user-status = Status
field-global-roles = Global roles

versions-title = Agreed versions
versions-intro = Each time both sides agree the plan, its text is frozen as a version. Compare any two, or a version with the plan as it is now.
versions-none = The plan has not been agreed yet.
version-agreed = Version { $number } ({ $date })
version-current = The plan as it is now
compare-title = Compare versions
compare-from = From
compare-to = To
compare-submit = Compare
compare-none = No differences you can see.
compare-plan = The plan itself
compare-added = { $count ->
    [one] One item added
   *[other] { $count } items added
}
compare-removed = { $count ->
    [one] One item removed
   *[other] { $count } items removed
}
compare-changed = { $count ->
    [one] One item changed
   *[other] { $count } items changed
}
compare-links = Links
compare-links-count = { $added } added, { $removed } removed.
compare-with-current = Compare with now

members-title = Members and roles
members-add = Give a role
members-user = Account
members-remove = Remove
members-choose = Choose an account and a role.
role-coordinator = Coordinator
role-partner_editor = Partner editor
role-ally_contributor = Ally contributor
role-reporter = Reporter
role-viewer = Viewer

admin-users-title = Accounts
admin-orgs-title = Organisations
users-count = { $count ->
    [one] One account
   *[other] { $count } accounts
}
organisations-count = { $count ->
    [one] One organisation
   *[other] { $count } organisations
}
user-new = New account
user-create = Create the account
user-status-active = Active
user-status-locked = Locked
user-status-disabled = Disabled
global-role-admin = Administrator
global-role-security_officer = Security officer
org-new = New organisation
org-edit = Change
org-kind-alliance_body = Alliance body
org-kind-ally = Ally
org-kind-partner_government = Partner government
org-kind-partner_unit = Partner unit
org-kind-liaison_office = Liaison office
org-kind-agency = Agency
org-kind-civil_society = Civil society
org-kind-other = Other
country-hint = ISO 3166 three-letter code, e.g. SRB. Required for the partner's organisations.
choose-organisation = Choose an organisation.
choose-clearance = Choose a clearance.
choose-status = Choose a status.
choose-kind = Choose a kind.

error-not-found-title = Not found
error-not-found-body = There is no such page, or you may not see it.
error-forbidden-title = Not allowed
error-forbidden-body = Your role does not allow this
error-internal-title = Something went wrong
error-internal-body = The server could not show this page. The problem has been logged; try again later.
plan-final = The plan is { $state } and can no longer change.
plan-new = New plan
plan-create = Start the plan
plan-predecessor = Previous cycle
period-start = Start of the period
period-end = End of the period
date-hint = Give a date such as 2015-01-15.
decision-new = Record a decision
decision-kind = Kind
decision-date = Date
decision-body = Decided by
decision-reference = Reference
delete-item = Delete
delete-explain = Deleting removes the item and its links. Its history stays in the audit trail.
delete-cascade = { $count ->
    [one] Also delete its one child item
   *[other] Also delete its { $count } child items
}
delete-confirm = Delete for good

## Following implementation
role-assessor = Independent assessor
nav-inbox = Inbox
nav-plan = Plan
period = Period
period-choose = Choose a period
period-unknown = There is no such period; showing the current one.
figures-as-of = Figures as of { $date }.
form-problems = Please correct the following
dashboard-title = Dashboard
dashboard-progress = Progress
dashboard-overdue = Overdue items
dashboard-none-overdue = Nothing is overdue.
dashboard-indicators = Indicators against targets
dashboard-no-indicators = No indicators are defined on the items you can see.
dashboard-assessments = Latest assessment of each perspective
kpi-progress = Overall progress
kpi-items = Items you can see
kpi-overdue = Overdue
kpi-targets-met = Targets met
kpi-achievement = Mean achievement
kpi-by-sex = By sex
chart-progress-by-root = Progress by chapter
chart-progress-by-area = Progress by area
chart-progress-over-time = Progress over time
chart-status-over-time = Reported status over time
not-reported = Not reported
indicator = Indicator
indicator-actual = Actual
indicator-target = Target
indicator-achievement = Achievement
indicator-chart-legend = Columns show the actual value of each period; red lines mark targets.
indicator-cumulative = Cumulative
indicator-by-sex = Disaggregated by sex (women, men)
indicator-new = Define an indicator
indicator-name-en = Name (English)
indicator-name-sr = Name (Serbian)
indicator-unit = Unit
indicator-measure = Measure
indicator-target-period = Target period
indicator-add = Add indicator
indicators-title = Indicators
indicators-none = No indicators on this item.
measure-number = Number
measure-percentage = Percentage
measure-qualitative = Qualitative
measurement-new = Record a figure
measurement-value = Value
measurement-numerator = Numerator
measurement-denominator = Denominator
measurement-text = What was observed
measurement-note = Note
measurement-record = Record
category-women = women
category-men = men
progress-title = Progress reports
progress-none = No progress reports yet.
progress-new = Write a progress report
progress-percent = Percent done
progress-narrative = What was done (Markdown)
progress-narrative-hint = Say what was achieved in the period, what is late and why.
progress-add-evidence = Evidence file
progress-file-hint = PDF, images, Word, Excel, PowerPoint or text; up to the size the installation allows.
progress-save-draft = Save draft
progress-save-submit = Save and submit for review
progress-revise = Revise
progress-evidence = Evidence
progress-reason = Reason
progress-approve = Approve
progress-return = Return for revision
progress-return-reason = Reason for returning
progress-reopen = Reopen
progress-reopen-reason = Reason for reopening
progress-closed = Progress is reported once the plan is agreed, and until it is closed.
update-state-draft = Draft
update-state-submitted = Submitted
update-state-returned = Returned
update-state-approved = Approved
calendar-title = Reporting calendar
calendar-periods = Periods
calendar-dates = Dates
calendar-due = Reports due
calendar-phase = State
calendar-locked = locked
calendar-missing-title = Who has not reported for { $period }
calendar-period-dates = { $starts } to { $ends }, reports due { $due }
calendar-reported = { $reported } of { $owed } reports submitted.
calendar-all-reported = Every report owed for this period has been submitted.
calendar-missing-items = Items without a report
calendar-no-lead = No lead organisation
calendar-manage = Manage this period
calendar-lock = Lock the period
calendar-unlock = Unlock the period
calendar-unlock-reason = Reason for unlocking (kept in the audit trail)
calendar-change-due = Change the due date
phase-upcoming = Upcoming
phase-running = Under way
phase-reporting = Reports being written
phase-overdue = Reports late
assessments-title = Assessments
assessments-none = No assessments yet.
assessments-none-period = No assessment of this period yet.
assessments-compare = Compare the perspectives
assessments-caption = Ratings of each perspective, item by item; rows where they disagree are marked.
assessments-disagreements = { $count ->
    [0] The perspectives agree on every item.
    [one] The perspectives disagree on { $count } item.
   *[other] The perspectives disagree on { $count } items.
}
assessments-disagree = disagreement
assessments-yours = Your assessment
assessments-judgement = Overall judgement
assessments-rating = Rating
assessments-note = Note
assessments-make-final = Make it final (it can no longer change)
assessments-save = Save
assessments-scale = Scale
assessments-start = Start the assessment of { $period }
assessments-final-note = Your assessment of this period is final.
assessment-state-draft = Draft
assessment-state-final = Final
perspective-self = Self-assessment (partner)
perspective-alliance = Alliance
perspective-independent = Independent
scale-completion = Completion (not started … complete)
scale-rag = Red / amber / green
rating-no_evidence = No evidence
rating-not_started = Not started
rating-limited = Limited
rating-substantial = Substantial
rating-complete = Complete
rating-red = Red
rating-amber = Amber
rating-green = Green
report-title = Report
report-csv = CSV
report-print-hint = Print this page (or save it as PDF from the print dialog); the marking appears on every page.
report-as-of = As of
report-generated = Generated
report-items = Items
report-period-report = Report for the period
inbox-title = Inbox
inbox-empty = No notifications.
inbox-unread = unread
inbox-mark-read = Mark read
inbox-mark-all = Mark all read
dashboard-indicators-shown = The { $shown } indicators furthest behind their targets, of { $total }; all are in the

## Assistance and activities
assistance-title = Assistance
assistance-ally = Ally or agency
assistance-kind = Kind
assistance-from = From
assistance-to = To
assistance-uncovered = Requests without an accepted offer
assistance-none-uncovered = Every open request has an accepted offer.
assistance-duplicates = Offers that duplicate each other
assistance-none-duplicated = No two offers of the same kind serve the same item at the same time.
assistance-unsupported = Items without any offer, by area
assistance-all-supported = Every item has an offer.
assistance-no-area = No area
assistance-totals = Totals
assistance-by-ally = By Ally or agency (offers · value)
assistance-by-area = By area (offers · value)
assistance-unsolicited = { $count ->
    [one] { $count } offer answers no request.
   *[other] { $count } offers answer no request.
}
assistance-requests = Requests
assistance-offers = Offers
assistance-no-requests = No requests for assistance.
assistance-no-offers = No offers you can see.
assistance-items = Items
assistance-dates = Dates
assistance-priority = Priority
assistance-close = Close
assistance-new-request = Ask for assistance
assistance-need = What is needed
assistance-ask = Ask
assistance-value = Value
assistance-currency = Currency
assistance-answers = Answers the request
assistance-share = Share with (other Allies see it only if shared)
assistance-description = Description
assistance-offer = Offer
assistance-new-offer = Offer assistance
assistance-reason = Reason
assistance-kind-expertise = Expertise
assistance-kind-training = Training
assistance-kind-equipment = Equipment
assistance-kind-funding = Funding
assistance-kind-exercise = Exercise
assistance-kind-other = Other
priority-high = High
priority-medium = Medium
priority-low = Low
request-state-open = Open
request-state-closed = Closed
offer-state-proposed = Proposed
offer-state-accepted = Accepted
offer-state-declined = Declined
offer-state-withdrawn = Withdrawn
offer-state-in_delivery = Being delivered
offer-state-delivered = Delivered
offer-to-accepted = Accept
offer-to-declined = Decline
offer-to-withdrawn = Withdraw
offer-to-in_delivery = Start delivery
offer-to-delivered = Mark delivered
activities-title = Activities
activities-month = Activities and due dates in { $month }
activities-due = Due:
activities-reports-due = Reports due:
activities-feed-hint = Subscribe in your calendar program with a personal API token:
activities-all = All activities
activities-none = No activities yet.
activities-participants = Participants: { $women } women, { $men } men
activities-outcome = Outcome
activities-feedback = Feedback
activities-record-outcome = Record how it went
activities-new = Record an activity
activities-place = Place
activities-organiser = Organiser
activities-offer = Delivers the offer
activities-catalogue = Catalogue reference
activities-add = Add activity
activity-kind-course = Course
activity-kind-conference = Conference
activity-kind-seminar = Seminar
activity-kind-exercise = Exercise
activity-kind-visit = Visit
activity-kind-other = Other
weekday-mon = Mon
weekday-tue = Tue
weekday-wed = Wed
weekday-thu = Thu
weekday-fri = Fri
weekday-sat = Sat
weekday-sun = Sun

## The public portal
public-title = The partnership, for citizens
public-intro = What the partnership between NATO and Serbia does: its goals, its progress, its stories and events.
public-none = Nothing is published yet.
public-home = Home
public-footer = Published from the partnership's own records. Only what is released to the public appears here.
public-stories = Stories
public-activities = Events
public-feed = News feed (Atom)
public-calendar = Calendar (iCalendar)
public-progress = Progress by area
public-upcoming = Coming up
public-past = Past
public-no-activities = No public events yet.
public-items = Goals and actions
public-no-items = No public goals or actions yet.
public-no-stories = No stories yet.
public-about = What this story is about
