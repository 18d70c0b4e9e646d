site-name = Megapolis
skip-to-content = Skip to content
nav-main = Main navigation
nav-cities = Cities
nav-bodies = Bodies
nav-decisions = Decisions
nav-assignments = Assignments
nav-control = Control
nav-inbox = Inbox
nav-admin = Administration
switch-language = Русский
login = Sign in
logout = Sign out
footer-text = Megapolis — the open platform of the association of capitals and major cities
open-api = Open API
home-title = Home
home-lead = The association of capitals and major cities does its work here: monitoring the information development of its cities, session decisions and control of their execution, the competition and collection of best solutions, the plan of events and the training of city staff.
home-in-countries = { $count ->
    [one] in { $count } country
   *[other] in { $count } countries
}
home-doors = Sections
door-cities = Member cities
door-cities-text = Members of the association: country, population, membership status.
door-bodies = Bodies of the association
door-bodies-text = The Board, the Expert Council, commissions, the Secretariat and partners.
door-monitoring = Monitoring
door-monitoring-text = The index of cities' information development, with rank intervals.
door-decisions = Decisions and control
door-decisions-text = Session decisions, assignments and how far they got.
door-solutions = Collection of solutions
door-solutions-text = The competition and catalogue of best software-hardware solutions.
door-events = Plan of events
door-events-text = The year's sessions, forums, conferences and seminars.
door-proposals = Proposals
door-proposals-text = Generalised proposals and the plan of joint actions.
door-training = Training
door-training-text = Programmes, cohorts and certificates.
cities-count = { $count ->
    [one] { $count } city
   *[other] { $count } cities
}
members-count = { $count ->
    [one] { $count } full member
   *[other] { $count } full members
}
bodies-count = { $count ->
    [one] { $count } body and partner
   *[other] { $count } bodies and partners
}
cities-title = Member cities
city-name = City
city-country = Country
city-population = Population
city-status = Status
city-member-since = Member since
city-coordinates = Coordinates
demo-note = Demo data: names, coordinates and populations are real (populations are approximate official estimates); membership status and dates are invented.
status-member = full member
status-observer = observer
status-suspended = membership suspended
status-former = former member
edit = Edit
save = Save
import = Import
filter = Show
bodies-title = Bodies and partners
body-members = Members
body-no-members = No members recorded.
kind-board = Board
kind-president = President
kind-council = Council
kind-commission = Standing commission
kind-secretariat = Secretariat
kind-partner = Partner
kind-university = University
kind-member-group = Member group
position-chair = chair
position-deputy = deputy chair
position-member = member
position-secretary = secretary
role-admin = administrator
role-secretariat = Secretariat staff
role-body-member = body member
role-city-rep = city representative
role-expert = expert
field-email = E-mail
field-password = Password
field-role = Role
field-city = City
field-body = Body
field-position = Position in the body
field-name = Name
field-code = Code
field-kind = Kind
field-name-ru = Name in Russian
field-name-en = Name in English
field-country-code = Country code (ISO)
field-country-ru = Country in Russian
field-country-en = Country in English
field-latitude = Latitude
field-longitude = Longitude
field-password-current = Current password
field-password-new = New password
field-password-confirm = New password again
field-token-name = Token name
code-hint = Lowercase Latin letters, digits and hyphens, e.g. rostov-on-don.
date-hint = As DD.MM.YYYY or YYYY-MM-DD.
password-hint = At least 10 characters.
person-city-hint = The city a city representative speaks for.
person-body-hint = The body a body member sits on.
profile-title = Profile
password-change = Change password
api-tokens = API tokens
api-token-create = Create token
api-token-created = Token created. Keep it: it is shown only once.
invitation-title = Invitation
invitation-text = { $name }, set a password to sign in as { $email }.
invitation-created = Invitation for { $email } created. Send this link:
admin-cities = Cities
admin-bodies = Bodies
admin-people = People
admin-audit = Audit log
city-new = New city
city-edit = Edit city
person-new = New person
person-invite = Add and invite
bodies-import = Import from CSV
bodies-import-label = Contents of the bodies directory CSV file
bodies-imported = { $count ->
    [one] { $count } body changed.
   *[other] { $count } bodies changed.
}
error-summary-title = There is a problem
audit-entity = Entity
audit-entity-id = Identifier
audit-actor = Who
audit-at = When (UTC)
audit-action = Action
audit-before = Before
audit-after = After
audit-shown = { $count ->
    [one] { $count } record shown
   *[other] { $count } records shown
}
error-required = Fill in this field.
error-too-long = The value is too long.
error-number = Enter a number.
error-integer = Enter a whole number.
error-out-of-range = The value is out of range.
error-choice = Choose a value from the list.
error-date = Enter the date as YYYY-MM-DD.
error-city-code = Code: 2–40 lowercase Latin letters, digits or hyphens.
error-country-code = A two-letter ISO country code, e.g. RU.
error-city-exists = A city with this code already exists.
error-city-code-fixed = The code of an existing city cannot change.
error-city-required = A city representative needs a city.
error-body-required = A body member needs a body.
error-email = Enter an e-mail address.
error-email-taken = This address is already taken.
error-password-short = The password must be at least 10 characters.
error-password-mismatch = The passwords differ.
error-password-wrong = The current password is wrong.
error-login = Wrong e-mail or password.
error-login-throttled = Too many failed attempts. Try again in 15 minutes.
error-400 = The request could not be processed.
error-403 = You have no access to this page.
error-413 = The request is too large. Shorten the text or the file and send it again.
error-404 = There is no such page.
error-500 = Internal error. We know about it; please try later.
error-home = Home page
password-change-signs-out = After a password change all your sessions end and you sign in again.
password-change-revoke-tokens = { $count ->
    [one] Revoke the API token as well
   *[other] Revoke the { $count } API tokens as well
}
api-token-created-at = Created
api-token-last-used = Last used
api-token-never-used = not used yet
api-token-revoke = Revoke
api-token-revoke-all = Revoke all tokens
api-tokens-revoked = { $count ->
    [0] The token was already revoked.
    [one] { $count } token revoked.
   *[other] { $count } tokens revoked.
}
control-report-returned = Report returned
home-live = Live
home-decisions-published = { $count ->
    [one] { $count } published decision
   *[other] { $count } published decisions
}
home-assignments-open = { $count ->
    [one] { $count } open assignment
   *[other] { $count } open assignments
}
home-assignments-overdue = { $count } overdue
audit-action-create = created
audit-action-update = updated
audit-action-delete = deleted
audit-action-edit = corrected
audit-action-publish = published
audit-action-unpublish = withdrawn
audit-action-upload = file uploaded
audit-action-revoke = revoked
audit-action-invite = invited
audit-action-accept-invitation = invitation accepted
audit-action-password = password changed
audit-action-set-password = password changed
audit-action-enqueue = job queued
audit-action-started = work started
audit-action-reported = report submitted
audit-action-input = co-executor input
audit-action-accepted = report accepted
audit-action-returned = report returned
audit-action-extension_requested = extension requested
audit-action-extension_granted = extension granted
audit-action-extension_refused = extension refused
audit-action-cancelled = cancelled
audit-action-reminder = reminder
audit-action-overdue = overdue
audit-entity-association = association
audit-entity-city = city
audit-entity-body = body
audit-entity-person = person
audit-entity-api-token = API token
audit-entity-decision = decision
audit-entity-assignment = assignment
audit-entity-file = file
audit-entity-job = job
audit-changes = Changes
audit-any = any
audit-older = Older records

# Success messages after a write (render.rs DONE_MESSAGES)
done-saved = Saved.
done-created = Created.
done-published = Published: everyone can see it now.
done-unpublished = Unpublished: only the Secretariat sees it now.
done-deleted = Deleted.
done-activated = The account is active again.
done-deactivated = The account is deactivated: its sessions have ended and its tokens no longer work.
done-submitted = Submitted: the answers are locked and go to be checked.
done-returned = Sent back to the city with your messages.
done-settled = Settled: the answer has its final value.
done-attached = The file is attached.

# People: edit and deactivate
person-choose-role = — choose a role —
person-status = Status
person-actions = Actions
person-active = active
person-inactive = deactivated
person-edit = Edit
person-deactivate = Deactivate
person-activate = Reactivate
person-other-memberships = Also a member of (kept as they are)

# The platform itself as an actor (domain::audit::actors)
actor-system-scheduler = the reminder scheduler
actor-system-demo = demo data
actor-system-cli = command line

# The home page's figures of the other live sections
home-editions-published = { $count ->
    [one] { $count } published edition of the index
   *[other] { $count } published editions of the index
}
home-solutions-published = { $count ->
    [one] { $count } solution in the catalogue
   *[other] { $count } solutions in the catalogue
}
home-events-planned = { $count ->
    [one] { $count } event in the approved plans
   *[other] { $count } events in the approved plans
}
home-consultations = { $count ->
    [one] { $count } consultation
   *[other] { $count } consultations
}
home-programmes = { $count ->
    [one] { $count } training programme
   *[other] { $count } training programmes
}
