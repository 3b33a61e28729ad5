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
error-invalid-title = The input has problems
error-stale-title = Changed in the meantime
error-stale-body = Someone saved this record while you had it open; it is now at version { $version }. Go back, reload it and make your change again.
error-conflict-title = Not possible now
error-rate-limited-title = Too many attempts
error-rate-limited-body = Try again in { $seconds } seconds.
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
indicator-chart-legend = Columns show the actual value of each period; orange lines mark targets.
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
public-by-status = Public goals and actions by status
public-about = What this story is about
stories-title = Stories
stories-portal = The public portal
stories-portal-on = This plan is on the public portal:
stories-portal-off = This plan is not on the public portal. Only a coordinator can put it there.
stories-portal-edit = What the portal says of this plan
stories-portal-title-en = Title (English)
stories-portal-title-sr = Title (Serbian, Cyrillic)
stories-portal-summary-en = What the partnership is (English, Markdown)
stories-portal-summary-sr = What the partnership is (Serbian, Cyrillic, Markdown)
stories-portal-publish = Show this plan on the public portal (only items, activities and stories marked PUBLIC appear)
stories-all = The plan's stories
stories-none = No stories yet.
stories-public-page = public page
stories-reason = Reason
stories-photo-remove = Remove photo
stories-edit = Edit the draft and add photos
stories-language = Language
stories-summary = Summary
stories-body = Text (Markdown)
stories-photo = Photo (JPEG, PNG or WebP)
stories-caption = Caption
stories-credit = Credit
stories-photo-hint = At most 15 MB and 40 megapixels. Location and camera data are removed; the public sees a copy of at most 1600 pixels.
stories-photo-add = Add photo
stories-new = Write a story
stories-new-hint = A story is written for the public: it is released by a coordinator other than its author, and only then appears on the portal.
stories-add = Save as draft
story-photo-missing = Choose a photo to add.
story-step-unknown = That step does not exist.
story-state-draft = Draft
story-state-release_review = Release review
story-state-published = Published
story-state-withdrawn = Withdrawn
story-step-submit = Send for release review
story-step-publish = Publish
story-step-return = Send back
story-step-withdraw = Withdraw
story-step-redraft = Work on it again
form-not-organisation = is not an organisation
form-due-hint = must be a date (2015-09-30), a quarter (2015-Q3) or “continuous”
form-choose-status = choose a status
form-weight-hint = must be a whole number from 0 to 1000
form-choose-gender = choose 0, 1 or 2
form-choose-marking = choose a marking
stale-form = Someone changed it while you were working on it; here it is as it is now — apply your change again.
form-dates = dates: give the first and last day (YYYY-MM-DD)
form-not-kind = not a kind of assistance
form-sum-hint = a sum such as 15000 or 15000.50
form-whole-number = a whole number

## Refusals: why an action was not allowed (403) or not possible now (409), by code
refusal-role-forbids = Your role does not allow you to { $action }.
refusal-token-own-only = Tokens are issued to oneself.
refusal-period-in-use = The period has reports or measurements; it cannot be removed.
refusal-owned-by-peer = This record ({ $kind }) came from the other installation, which owns it: it is read-only here. Ask the other side to change it; the change arrives with their next bundle.
refusal-period-locked = The reporting period { $period } is locked; a coordinator must unlock it first.
refusal-report-period-locked = The reporting period { $period } is locked; a coordinator must unlock it first.
refusal-report-write-not-yours = Reporters write reports only on items their organisation leads.
refusal-report-submit-not-yours = Only a reporter of the item's lead organisation (or the partner's editor) submits its report.
refusal-report-review-not-yours = Only a coordinator reviews progress reports.
refusal-report-approved = The report is approved and no longer changes; a coordinator may reopen it.
refusal-report-under-review = The report is under review; it changes again if it is returned.
refusal-report-wrong-state = A report that is { $state } cannot be { $step }.
refusal-figures-not-yours = Reporters record figures only on items their organisation leads.
refusal-figures-approved = The progress update for { $period } is approved, which locks the period's figures; a coordinator must reopen it first.
refusal-reports-not-yet = Progress is reported once the plan is agreed.
refusal-reports-no-more = The plan is { $state } and takes no more reports.
refusal-approve-no-side = Only a coordinator or the partner's editor may approve.
refusal-offer-own-name = An Ally makes offers in its own name.
refusal-offer-change-not-yours = Only the offering organisation (or a coordinator) changes an offer.
refusal-offer-settled = An offer that is { $state } no longer changes; withdraw it and make a new one.
refusal-offer-wrong-state = An offer that is { $state } cannot become { $to }.
refusal-offer-step-partners = Only the partner's side may make an offer { $to }.
refusal-offer-step-offerers = Only the offering organisation (or a coordinator) may make an offer { $to }.
refusal-activity-not-yours = Allies record the activities they organise.
refusal-story-settled = A story that is { $state } does not change; send it back to draft first.
refusal-story-wrong-state = This step is not possible for a story that is { $state }.
refusal-story-released-by-coordinator = Stories are released to the public by a coordinator.
refusal-story-not-own-release = You cannot release a story you wrote; another coordinator must.
refusal-item-has-records = The item (or one below it) has indicators, progress reports or assessment ratings; set its status to cancelled instead.
refusal-assessment-window = A plan is assessed during implementation and assessment, not while it is { $state }.
refusal-perspective-not-yours = The { $perspective } perspective is written by a { $role } of the plan.
refusal-perspective-none = Your role on this plan writes no perspective.
refusal-assessment-final = The assessment is final and no longer changes.
action-plan_read = read this plan
action-plan_update = change this plan
action-plan_transition = move this plan through its lifecycle
action-plan_approve_owner = approve for the owner
action-plan_approve_partner = approve for the partner
action-decision_write = record decisions on this plan
action-item_write = change this plan's items
action-link_write = link this plan's items
action-marking_downgrade = downgrade markings
action-members_manage = manage this plan's members
action-comment_write = comment on this plan
action-indicator_write = define indicators on this plan
action-measurement_write = record measurements on this plan
action-progress_write = report progress on this plan
action-progress_review = review progress reports on this plan
action-calendar_write = change this plan's reporting calendar
action-assessment_write = assess this plan
action-attachment_write = upload files to this plan
action-request_write = ask for assistance on this plan
action-offer_write = offer assistance on this plan
action-offer_decide = accept or decline offers on this plan
action-activity_write = record activities on this plan
action-story_write = write stories for this plan
action-story_release = release stories of this plan to the public
action-plan_create = create plans
action-directory_read = read the directory
action-directory_write = change the directory
action-user_read = read user accounts
action-user_write = change user accounts
action-audit_read = read the audit trail
action-exchange_manage = manage the exchange with other installations
action-own_account = manage this account

## Problems with input, by field and code (error-<field>-<code>) or by code alone (error-<code>)
error-taken = is already taken
error-required = must not be empty
error-too_long = is too long
error-invalid = is not valid
error-unknown = is not known
error-duplicate = is listed more than once
error-out_of_range = is out of range
error-too_many = too many
error-has_children = { $hidden ->
    [yes] this item has children that you cannot delete
   *[other] this item has children; delete or move them first, or delete with cascade=true
}
error-revoked = the token is already revoked
error-plan_final = the plan is { $state } and can no longer change
error-not_in_negotiation = only a plan in negotiation can be approved; this one is { $state }
error-clearance-wrong_scheme = must be a level of this installation's marking scheme
error-code-invalid = must be 2 to 40 lower-case letters, digits or underscores, starting with a letter
error-code-taken = { $kind ->
    [framework] another framework has this code
   *[area] another area has this code
}
error-content_hash-changed = the plan has changed since you read it; read it again before approving
error-current_password-required = give your current password
error-current_password-wrong = is not your current password
error-cursor-invalid = is not a cursor from this list
error-to-before_from = is before the start date (from)
error-limit-range = must be a whole number from { $min } to { $max }
error-email-taken = another account has this e-mail address
error-file-too_many = a story has at most 20 photos
error-global_roles-self_demotion = administrators cannot remove their own administrator role
error-marking-hides_from_you = with this marking you could no longer see the record
error-marking-below_parent = is less restrictive than the plan ({ $parent })
error-note-invalid = at most 4,000 characters, no control characters
error-offered_by-not_ally = offers are made by Allies and agencies
error-offered_by-required = say which Ally or agency makes the offer
error-organisation-unknown = no such organisation
error-parent-too_many_children = this parent has the most children allowed
error-parent-unknown = no such item
error-period-taken = { $what ->
    [measurement] the period already has a measurement; change that one
   *[update] the item already has an update for this period; change that one
}
error-period-unknown = not a reporting period of the plan
error-perspective-taken = this perspective already has an assessment for the period
error-status-self_lockout = you cannot lock or disable your own account
error-to-before_start = must not be before `from`
error-user-unknown = no such user
error-valid_days-out_of_range = must be between 1 and 3660 days
error-limit-out_of_range = must be between 1 and { $max }
error-shared_with-unknown = not an Ally or agency
error-evidence-unknown = no such file in this plan
error-role-wrong_side = a member of a { $kind } organisation cannot be { $role }
error-to-transition = { $reason ->
    [approvals] agreeing needs the approval of both sides for the current text; missing: { $missing ->
        [owner] the owner
        [partner] the partner
       *[both] the owner and the partner
    }
    [final] a plan in { $from } cannot move to { $to }; it is final
   *[other] a plan in { $from } cannot move to { $to }; it can move to { $next }
}

## Notifications and e-mails, in the recipient's language
notification-report-submitted-subject = { $plan } { $item }: progress report for { $period } submitted
notification-report-submitted-body = { $reporter } submitted a progress report on { $item } for { $period }; it waits for your review.
notification-report-returned-subject = { $plan } { $item }: progress report for { $period } returned
notification-report-returned-body = Your progress report on { $item } for { $period } was returned: { $reason }
notification-report-approved-subject = { $plan } { $item }: progress report for { $period } approved
notification-report-approved-body = Your progress report on { $item } for { $period } was approved.
notification-reports-late-subject = { $plan }: reports for { $period } are late ({ $count } outstanding)
notification-reports-late-body = { $count ->
    [one] One item you report on in { $plan } has no submitted report for { $period } (from { $starts } to { $ends }); reports were due on { $due }.
   *[other] { $count } items you report on in { $plan } have no submitted report for { $period } (from { $starts } to { $ends }); reports were due on { $due }.
}
notification-reports-due-subject = { $plan }: reports for { $period } are due on { $due } ({ $count } outstanding)
notification-reports-due-body = { $count ->
    [one] One item you report on in { $plan } has no submitted report for { $period } (from { $starts } to { $ends }); reports are due on { $due }.
   *[other] { $count } items you report on in { $plan } have no submitted report for { $period } (from { $starts } to { $ends }); reports are due on { $due }.
}
calendar-item-due = Due: { $plan } { $item } { $title }
calendar-reports-due = Reports due: { $plan } { $period }
refusal-own-password-with-current = Change your own password at /api/v1/me/password, with your current one.
refusal-story-photo-missing = Choose a photo to add.
refusal-story-step-unknown = That step does not exist.
refusal-upload-too-large = The file is larger than this server accepts.
refusal-form-unreadable = The form could not be read; send it again.
error-expected-id = must be an id
error-expected-time = must be a time such as 2015-01-20T00:00:00Z
error-expected-version = must be a version number (1, 2, …) or "current"
error-expected-framework-level = is not a level of this plan's framework
error-expected-item-or-root = must be an item id or `root`
error-expected-quarter = must be a quarter such as 2015-Q3
error-expected-at-most-200 = must be at most 200 characters
error-expected-readable-file = the file could not be read
error-expected-readable-text = could not be read
error-expected-multipart-form = the form could not be read
error-expected-marking-level = not a marking level
error-expected-status = choose a status
error-expected-percent = a whole number from 0 to 100
error-expected-number = must be a number
error-expected-measure = choose a measure
error-file-required = attach a file
error-period-required = name the period
error-unknown_field = is not a field of this record

## Problem documents of the API (detail), by kind
problem-not-found = no such record
problem-unauthenticated = sign in, or send an API token as `Authorization: Bearer …`
problem-bad-credentials = the e-mail address or password is not right
problem-internal = something went wrong on the server; it has been logged
problem-invalid = { $count ->
    [one] the input has a problem
   *[other] the input has { $count } problems
}
problem-stale = the record has changed since you read it (it is now at version { $version }); read it again and re-apply your change
problem-rate-limited = too many attempts; try again in { $seconds } seconds
problem-rate-limited-address = too many sign-in attempts from this address; try again in { $seconds } seconds
problem-unsupported-media-type = send the body as application/json
problem-unsupported-media-type-multipart = send the file as multipart/form-data
problem-too-large = the body is larger than this server accepts
problem-bad-body = the body could not be read
problem-malformed-json = the body is not valid JSON: { $error }
problem-if-match-required = send If-Match with the ETag of the version you edited, so that concurrent changes are never lost
problem-if-match-star = If-Match must name a version (an ETag such as "3"), not *
problem-if-match-unknown = If-Match does not name a version of this record
problem-if-match-weak = If-Match must name a version with a strong ETag such as "3"; a weak one (W/"3") never matches a change
problem-too-many-connections = too many connections are open from your address; close some and try again
problem-overloaded = the server has too many connections open; try again in a moment
problem-uri-too-long = the address of the request is longer than { $max } bytes
problem-cross-site = cross-site requests may not change anything
problem-method-not-allowed = this method is not allowed here
problem-timeout = the request took too long
problem-error = the request could not be answered
chart-target = target
field-iati-ref = IATI organisation identifier
iati-ref-hint = How IATI files name the organisation, e.g. XM-DAC-8 (an Ally's OECD DAC code) or RS-COA-… ; its activities' identifiers start with it. Leave empty if it has none.
error-iati_ref-invalid = must be an IATI organisation identifier: an agency prefix and the organisation's number, e.g. XM-DAC-8 or RS-COA-123, without spaces or / & | ?
error-dac_sector-invalid = must be an OECD DAC 5-digit purpose code, e.g. 15210
public-iati = Open data (IATI)
refusal-iati-no-reference = The plan's owner, { $organisation }, has no IATI organisation identifier; set it on the organisation (e.g. XM-DAC-…) to publish the plan as IATI data.
refusal-import-no-country = The activity names no recipient country: a plan's partner is an organisation of a country.
refusal-import-applied = This import has been applied already; upload the file again for a new preview.
error-activities-not_importable = { $identifier } cannot be imported: see its problems in the preview
error-activities-none_importable = nothing in this file can be imported: see the problems in the preview
error-file-too_large = the file is larger than { $max } MB

# Imports (IATI)
import-title = Import an IATI file
import-new = Import IATI file
import-intro = Upload an IATI activity file (versions 2.01 to 2.03) as donors publish it. Nothing is changed yet: you see first what would be created or updated, and every problem at its line. Then you choose which activities to apply.
import-file = IATI activity file (XML)
import-file-hint = Up to 100 MB. A zip, a spreadsheet or IATI 1.x is refused with the reason.
import-upload = Upload and preview
import-preview-title = Import preview
import-file-facts = IATI { $version } · { $size } bytes · SHA-256 { $sha256 }
import-applied = Applied: { $count } activities were imported in one change, recorded in the audit trail.
import-totals = What applying does
import-activities = Activities
import-activities-count = { $count } in the file, { $importable } can be imported
import-plans = Plans
import-items = Items
import-created-updated = { $created } created, { $updated } updated
import-figures = Indicators
import-figures-count = { $indicators } indicators, { $targets } targets, { $actuals } actuals
import-offers = Offers (from transactions)
import-organisations = Organisations
import-orgs-count = { $count } named, { $created } to be created
import-problems = Problems
import-problems-count = errors: { $errors } · warnings: { $warnings }
import-no-problems = No problems found.
import-problems-more = { $shown } of { $count } problems are listed here, from line { $line }; all are in the API's answer at /api/v1/imports/{ $id }.
import-next-problems = Next problems
import-first-problems = First problems
import-activities-more = { $shown } of { $count } activities are listed here, from line { $line }.
import-next-activities = Next activities
import-first-activities = First activities
import-apply-all-hint = This file has more activities than one page shows: applying imports every importable one, in one transaction. To choose some, name them in the API's apply (activities).
import-apply-all = Apply every importable activity
import-choose = Import
import-choose-one = Import { $identifier }
import-becomes = Becomes
import-becomes-plan = a plan
import-becomes-item = an item
import-action = Action
import-create = create
import-update = update
import-match = matched
import-refused = not importable
import-apply-hint = The ticked activities are applied in one transaction; an item's activity needs its plan's. Importing the same file again updates what it made.
import-apply = Apply the chosen activities
col-identifier = IATI identifier
col-line = Line
col-column = Column
col-path = Element
col-severity = Severity
col-message = Message
severity-error = error
severity-warning = warning

## Spreadsheet imports and exports
sheet-import-link = Import items from a spreadsheet
sheet-import-title = Import items from a spreadsheet
sheet-import-intro = Upload the plan's items as an Excel workbook (.xlsx) or a CSV file. Liaison finds the header row, proposes which column holds which field, and shows what each row would become, with every problem at its cell. Nothing is changed until you apply. Items are matched by their code and updated; nothing is deleted.
sheet-file = Spreadsheet (XLSX or CSV)
sheet-file-hint = Up to 50 MB. CSV may be UTF-8, Windows-1250 or Windows-1251, separated by commas, semicolons or tabs.
sheet-language = Language of Latin-script text
sheet-language-hint = Text in Cyrillic is always taken as Serbian.
sheet-applied = Applied: { $created } items created and { $updated } updated in one change, recorded in the audit trail; { $refused } rows refused.
sheet-plan = Plan
sheet-rows = Rows
sheet-rows-count = { $rows } rows below the header: { $items } items, { $notes } notes, { $blank } blank
sheet-items-count = { $created } to create, { $updated } to update, { $unchanged } unchanged, { $refused } refused
sheet-areas = Areas
sheet-not-in-file = Items the sheet does not name (left as they are)
sheet-mapping = Columns
sheet-mapping-hint = The header is on row { $row }. Choose the field each column holds, or leave it out, and preview again.
sheet-header-row = Header row
sheet-column = Column
sheet-header = Header
sheet-field = Field
sheet-not-imported = (not imported)
sheet-preview-again = Preview again
sheet-rows-more = { $shown } of { $count } rows are listed here.
sheet-next-rows = Next rows
sheet-first-rows = First rows
sheet-apply-hint = Every row that can be imported is applied in one transaction. A row whose item someone changed since this preview is refused, with what changed.
sheet-apply = Apply
sheet-cell = Cell
items-xlsx = Items as XLSX
items-csv = Items as CSV
report-xlsx = XLSX
report-pdf = PDF
compare-pdf = The changes as PDF
version-pdf = This version as PDF
report-pdf-period = This period’s report as PDF
error-not_a_figures_import = is not an import of figures
error-not_a_sheet_import = is not an import of a spreadsheet
error-rows-none_importable = no row of this file can be imported: see the problems in the preview
error-new_plan-with_plan = give either a plan or a new plan, not both
error-activities-not_for_sheets = a spreadsheet import applies every importable row; it takes no list of activities
error-activities-not_for_figures = an import of figures applies every importable period; it takes no list of activities
error-header_row-beyond_sheet = is below the last row of the sheet ({ $rows } rows)
error-columns-role_twice = two columns are given the role { $role }: one only
error-columns-missing_role = no column has the role { $role }: choose one
error-columns-no_disaggregation = the indicator has no disaggregation, so no column can hold its categories
error-unknown_column = is not a column of the sheet
error-not_a_field = names no field ({ $field }); the fields are code, parent, level, title, description, lead, contributors, area, status, start, due, weight, gender_marker, marking
error-unknown_role = names no role ({ $role }); the roles are period, value, category, breakdown, series, constant
error-invalid_json = is not valid JSON
clearing-xlsx = The clearing house as XLSX
indicators-xlsx = Indicators and figures (XLSX)
docx-page = Page
plan-docx = The plan as DOCX
doc-contents = Contents
doc-version = Agreed version
doc-current = Current text (not an agreed version)
plan-pdf = The plan as PDF
doc-redline = Changes
doc-redline-legend = Key:
doc-deleted = deleted
doc-inserted = inserted
doc-redline-plan = The plan
doc-redline-changed = Items changed
doc-redline-added = Items added
doc-redline-removed = Items removed
doc-redline-none = The two versions hold the same content.
doc-none = None.

## Search
search-title = Search
search-public-title = Search the portal
search-label = Search everything you may see
search-public-label = Search the plans, activities and stories on this portal
search-placeholder = Search…
search-submit = Search
search-hint = Words in Latin or Cyrillic, with or without diacritics; "a phrase" in quotes; word* for a word's beginning; a code such as PG-17 or 2.3.1.
search-found = { $count ->
    [0] Nothing found.
    [one] { $count } record found.
   *[other] { $count } records found.
}
search-filters = Filters
search-by-kind = Kind
search-by-plan = Plan
search-by-status = Status
search-clear-filters = All kinds, plans and statuses
search-more = More results
search-kind-item = Items
search-kind-indicator = Indicators
search-kind-report = Progress reports
search-kind-comment = Comments
search-kind-request = Assistance requests
search-kind-offer = Offers of assistance
search-kind-activity = Activities
search-kind-story = Stories
search-kind-decision = Decisions and key dates
search-kind-organisation = Organisations
search-kind-evidence = Evidence files

# Exchange between installations
nav-exchange = Exchange
exchange-title = Exchange with other installations
exchange-intro = Bundles are made and applied with the command line (liaison exchange export and import); here you trust peers' keys and settle conflicts.
exchange-identity = This installation
exchange-name = Name
exchange-accreditation = Accredited to
exchange-public-key = Public key
exchange-no-identity = No key yet: run liaison exchange keygen on the server.
exchange-peers = Trusted peers
exchange-level = Highest level it may hold
exchange-keys = Keys
exchange-trust = Trust a peer's key
exchange-country-hint = Its country (ISO 3166 alpha-3, e.g. SRB) or group (e.g. NATO).
exchange-trust-button = Trust this key
exchange-conflicts = Conflicts
exchange-conflicts-count = { $count ->
    [0] No conflicts to settle
    [one] One conflict to settle
   *[other] { $count } conflicts to settle
}
exchange-record = Record
exchange-field = Field
exchange-here = Here
exchange-there = There
exchange-settle = Settle
exchange-keep-local = Keep ours
exchange-keep-remote = Take theirs
exchange-bundles = Bundles sent and received
exchange-when = When
exchange-direction = Direction
exchange-records = Records
exchange-sent = sent
exchange-received = received

## The second factor: sign-in, the account page, an administrator's reset
factor-title = Second factor
factor-intro = Enter the six-digit code that your authenticator app shows for this account.
factor-enrol-intro = Your organisation requires a second factor for your account. Scan this QR code with an authenticator app (such as Aegis, FreeOTP or Google Authenticator), or type in the key, then enter the code the app shows.
factor-qr-alt = QR code of the key, for an authenticator app
factor-secret = Key
factor-code = Code
factor-recovery-hint = Lost your device? Enter one of your recovery codes instead.
factor-submit = Continue
factor-expired = This sign-in took too long or has ended. Please sign in again.
error-code-wrong = That code is not right: enter the one your app shows now, or a recovery code.
error-code-reused = That code has just been used: wait for the next one.
recovery-codes-title = Your recovery codes
recovery-codes-intro = Each of these codes signs you in once if you lose your device. Keep them somewhere safe, away from the device: they are shown only now.
recovery-codes-continue = Continue
nav-account = Your account
account-title = Your account
account-factor-heading = Second factor
account-factor-on = An authenticator app is set up.
account-recovery-left = { $count ->
    [one] One recovery code left.
   *[other] { $count } recovery codes left.
}
account-factor-off = No second factor is set up.
account-factor-required = Your organisation requires a second factor for your account.
account-totp-begin = Set up an authenticator app
account-totp-pending = Scan this QR code with an authenticator app, or type in the key, then enter the code the app shows to finish.
account-totp-confirm = Confirm
account-totp-remove = Remove the authenticator app
account-totp-remove-hint = Enter a current code to remove it.
account-recovery-renew = New recovery codes
account-recovery-renew-hint = Enter a current code: your old recovery codes stop working.
admin-factor-heading = Second factor
admin-factor-reset = Reset the second factor
admin-factor-reset-hint = When the person has lost their device: their key, passkeys, recovery codes and sessions end, and the reset is recorded in the audit trail.
refusal-second-factor-required = Your organisation requires a second factor for your account: it cannot be removed.
refusal-second-factor-exists = An authenticator app is already set up: remove it first.
refusal-second-factor-not-begun = No authenticator app is being set up: begin again.
refusal-second-factor-missing = No authenticator app is set up.
refusal-own-second-factor-reset = Another administrator must reset your own second factor.
email-digest-subject = { $count ->
    [one] Liaison: one notification today
   *[other] Liaison: { $count } notifications today
}
email-digest-intro = Your notifications since the last digest:
email-footer = You receive this because you have an account in Liaison. On your account page you can choose one email a day instead.
account-mail-heading = Email
account-digest = Send me one email a day listing my notifications, instead of one email for each
account-digest-save = Save
sso-heading = Sign in with your organisation
sso-sign-in-with = Sign in with { $provider }
sso-or-password = Or with the e-mail address and password of your Liaison account:
sso-signed-out = You are signed out of Liaison.
sso-sign-out-there = Sign out of { $provider } too
sso-failed = The sign-in with your organisation did not finish. Please try again.
refusal-sso-state = This sign-in did not start in this browser, or has already finished or expired. Please sign in again.
refusal-sso-refused = Your organisation's sign-in service did not confirm who you are. Please sign in again.
refusal-sso-unknown-account = There is no Liaison account for you yet. Ask an administrator to create one with your organisation's e-mail address.
refusal-sso-account-not-active = Your Liaison account is disabled or locked. Ask an administrator.
refusal-sso-unavailable = { $provider } cannot be reached just now. Try again in a moment, or sign in with your password.
factor-passkey-intro = Use one of your passkeys to finish signing in, or enter a recovery code.
factor-passkey = Use a passkey
factor-recovery-code = Recovery code
passkey-failed = The passkey did not answer, or its answer was refused. Try again, or use another way.
passkey-unsupported = This browser cannot use passkeys.
account-passkeys-heading = Passkeys
account-passkeys-intro = A passkey is a security key, or this device's fingerprint, face or PIN, that proves it is you when you sign in, in place of a code.
account-passkeys-none = No passkey is registered.
account-passkey-added = added
account-passkey-used = last used
account-passkey-remove = Remove
account-passkey-name = Name of the new passkey
account-passkey-name-hint = So that you can tell your passkeys apart, such as “YubiKey at the office”.
account-passkey-add = Add a passkey
account-passkeys-unavailable = Passkeys need this installation to be reached by its domain name. Ask its administrator.
account-totp-off = No authenticator app is set up.
error-passkey_refused = The passkey's answer was not accepted. Try again.
error-passkey_name = must be 1 to { $max } characters, without control characters
error-code_or_passkey = give either a code or a passkey's answer
refusal-passkeys-unavailable = This installation offers no passkeys: it is not reached by a domain name.
refusal-passkeys-too-many = This account has as many passkeys as it may have: remove one first.
refusal-passkey-not-begun = No passkey is being registered, or it took too long: begin again.
refusal-passkey-registered = This passkey is registered already.
refusal-passkey-missing = This account has no passkey.
account-passkeys-count = { $count ->
    [one] One passkey is registered.
   *[other] { $count } passkeys are registered.
}

## The portfolio across partners
nav-portfolio = Portfolio
portfolio-title = Portfolio
portfolio-intro = Every plan you may see, across partners and cycles, with its figures over what you may see. Sort by a column; a column's second click reverses it.
portfolio-any = Any
portfolio-cycle-all = All cycles
portfolio-cycle-current = Latest cycle of each partner
portfolio-apply = Show
portfolio-as-of = figures as of
portfolio-empty = No plan matches these filters.
portfolio-chart = Progress by partner (latest cycle)
portfolio-current = latest
portfolio-col-plan = Plan
portfolio-col-cycle = Cycle
portfolio-col-progress = Progress
portfolio-col-overdue = Overdue items
portfolio-col-late = Reports missing (last period due)
portfolio-col-unsupported = Requests without an offer / open
portfolio-summary = { $plans ->
    [one] One plan
   *[other] { $plans } plans
} of { $partners ->
    [one] one partner
   *[other] { $partners } partners
}
