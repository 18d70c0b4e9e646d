nav-training = Training
training-title = Training of city staff
training-lead = Programmes run with the university partner, cohorts with places for each city, and certificates anyone can verify.
training-programmes = Programmes
training-programme = Programme
training-no-programmes = No programme yet.
training-cohorts = Cohorts
training-cohort = Cohort
training-no-cohorts = No cohort yet.
training-hours = { $count ->
    [one] one hour
   *[other] { $count } hours
}
training-validity = { $count ->
    [one] certificate valid one year
   *[other] certificate valid { $count } years
}
training-rule = completion: { $percent } % attendance and a passed assessment
training-format-in-person = in person
training-format-online = online
training-format-mixed = mixed
training-dates = Dates
training-place = Place
training-window = Nominations
training-open = open for nominations
training-capacity = Places
training-quotas = Places by city
training-city = City
training-places = Quota
training-used = Nominated
training-remaining = Left
training-remaining-for-city = { $count ->
    [0] Your city has no places left in this cohort.
    [one] Your city has one place left.
   *[other] Your city has { $count } places left.
}
training-nominate = Nominate a staff member
training-nominate-button = Nominate
training-name = Name
training-position = Position
training-department = Department
training-email = E-mail
training-participants = Participants
training-no-nominations = No one is nominated yet.
training-state = State
training-state-nominated = nominated
training-state-completed = completed
training-state-failed = not completed
training-results = Results
training-attendance = Attendance, %
training-passed = assessment passed
training-record = Record
training-issue = Issue certificates to those who completed
training-invalid-name = Give the staff member's name.
training-invalid-position = Give the position.
training-invalid-email = Give a valid e-mail address.
training-invalid-city = Give a city code.
training-invalid-attendance = Attendance is a per cent between 0 and 100.
training-refused-not_nominator = Only a city's representative or the Secretariat nominates.
training-refused-not_your_city = You may nominate only your own city's staff.
training-refused-outside_window = Nominations to this cohort are not open now.
training-refused-no_quota = This cohort has no places for your city.
training-refused-quota_used = Your city's quota in this cohort is used.
training-refused-cohort_full = The cohort is full.
training-refused-duplicate_nominee = This person is already nominated to the cohort.
certificate-title = Certificate
certificate-unknown = No certificate has this code: it is not valid. Check the code as printed.
certificate-status-valid = Valid
certificate-status-expired = Expired
certificate-status-revoked = Revoked
certificate-status-invalid = Not valid: the record does not match its signature
certificate-reason = Reason
certificate-recipient = Awarded to
certificate-achievement = For
certificate-description = About
certificate-criteria = Criteria
certificate-issuer = Issued by
certificate-issued = Issued
certificate-valid-until = Valid until
certificate-revoked = Revoked on
certificate-verified = The signature (Ed25519, eddsa-jcs-2022) was checked now with the association's public key.
certificate-not-verified = The signature does not verify with the association's key.
certificate-credential = Signed credential (Open Badges 3.0, JSON)
certificate-status-json = Status (JSON)
certificate-issuer-key = The association's public key
training-new-programme = New programme
training-new-cohort = New cohort
training-title-ru = Title in Russian
training-title-en = Title in English
training-partner = Partner running it
training-hours-label = Academic hours
training-format = Format
training-validity-label = Certificates valid for, years (empty: no expiry)
training-min-attendance = Least attendance to complete, %
training-starts = Starts
training-ends = Ends
training-applications-open = Nominations open
training-applications-close = Nominations close
training-quotas-hint = City codes with their places, e.g. minsk=2, moscow=1; together no more than the places.
training-create = Create
training-invalid-title_ru = Give the title in Russian.
training-invalid-title_en = Give the title in English.
training-invalid-title = Give the cohort's title.
training-invalid-hours = Give the hours, a whole number above zero.
training-invalid-format = Choose a format.
training-invalid-validity_years = The validity is a whole number of years, or empty.
training-invalid-min_attendance = The least attendance is a per cent between 0 and 100.
training-invalid-programme_id = Choose an existing programme.
training-invalid-starts_on = Give the start date.
training-invalid-ends_on = Give an end date not before the start.
training-invalid-applications_open = Give the date nominations open.
training-invalid-applications_close = Give a closing date not before the opening.
training-invalid-capacity = Give the number of places, at least one.
training-invalid-quotas = Quotas: city codes of the directory with their places, together no more than the places.
training-invalid-department = Check the department.

## Decisions on nominations, sessions and the register
training-teachers = Teachers
training-state-confirmed = confirmed
training-state-waitlisted = on the waiting list
training-state-declined = declined
training-state-withdrawn = withdrawn
training-state-moved = moved to another cohort
training-decision = Decision
training-decision-confirm = Confirm
training-decision-waitlist = Put on the waiting list
training-decision-decline = Decline
training-decision-withdraw = Withdraw
training-reason = Reason (required to decline or withdraw)
training-decide = Apply
training-move-to = Move to the cohort
training-move = Move
training-register-share = { $percent } % of the sessions attended (register)
training-sessions = Sessions and attendance
training-sessions-hint = Mark who attended each session. Left empty, a participant's attendance on the results form is counted from this register.
training-no-sessions = No sessions are scheduled yet.
training-session-day = Day
training-session-topic = Topic
training-add-session = Add the session
training-save-register = Save the register
training-event-confirmed = The nomination is confirmed
training-event-waitlisted = The nomination is on the waiting list
training-event-declined = The nomination is declined
training-event-withdrawn = The nomination is withdrawn
training-event-moved = The nominee is moved to another cohort
training-event-nominated = The nomination is back in the cohort
# The certificate as a PDF
certificate-pdf = Certificate as PDF
certificate-no-pdf = No PDF is given for this certificate: it was revoked, or its record does not match its signature.
certificate-pdf-title = CERTIFICATE
certificate-pdf-awarded = This certifies that
certificate-pdf-completed = has completed the programme
certificate-pdf-hours = Volume
certificate-pdf-status = Status
certificate-pdf-code = Verification code

# Reports
training-reports-title = Training reports
training-reports-lead = Aggregate figures without personal data: how many staff of each city were trained by programme and year against the quotas, and the share who completed each programme.
training-reports-by-city = Trained by city, programme and year
training-reports-by-programme = Completion by programme
training-reports-year = Year
training-reports-trained = Trained
training-reports-quota-used = Quota used
training-reports-withdrawn = withdrawn
training-reports-completion-rate = Completion rate
training-reports-open-data = Open data
training-reports-empty = No figures yet.

## Courses, outcomes and competences of a programme
training-courses = Courses
training-courses-hint = One a line: title in Russian | title in English | hours. Together no more hours than the programme.
training-outcomes = Learning outcomes
training-outcomes-hint = One a line: what a participant can do afterwards.
training-competences = Competences (monitoring criteria)
training-competences-hint = Codes of criteria of the published monitoring methodology, separated by commas, e.g. OpenData, Services.
training-invalid-courses = Write each course as title RU | title EN | hours, with no more hours together than the programme.
training-invalid-competences = Use the codes of criteria of the published monitoring methodology.
training-teacher-accounts = Teachers' accounts
training-teacher-accounts-hint = E-mails of teachers who have an account, separated by commas: they mark the register and the results of this cohort.
training-invalid-teacher_accounts = Give the teachers' accounts as e-mail addresses, separated by commas.
training-issue-one = Issue the certificate
