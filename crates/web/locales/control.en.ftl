# The Board's dashboard, reports, inbox, mail. Keys match control.ru.ftl.
control-title = Control of execution
control-as-of = as of { $date }
control-lead = Assignments of the session decisions, counted today. Every figure opens the list behind it.
control-summary = Summary
control-download-pdf = Execution report (PDF)
control-download-xlsx = Execution report (Excel)
control-card-total = assignments in all
control-card-overdue = overdue
control-card-due = due in the next { $days } days
control-empty = There are no assignments yet: they appear when a session decision is imported.
control-import = Import a decision
control-by-body = By lead executor
control-by-body-hint = Counted by the lead executor body; each count opens the list of exactly those assignments.
control-by-decision = By decision
control-col-body = Executor
control-col-total = Total
control-col-open = Open
control-col-overdue = Overdue
control-col-due-soon = Due soon
control-col-accepted = Accepted
control-col-bar = Share
control-open-hint = Not yet accepted or cancelled
control-legend-open = open, on time
control-decision-label = Session { $number }: { $title }
control-total = Total
control-report-title = Execution of the decisions of the sessions of the International Assembly of Capitals and Large Cities
control-report-as-of = Report to the Board as of { $date }
control-col-decision = Decision
control-col-item = Item
control-col-task = Assignment
control-col-lead = Lead executor
control-col-co-executors = Co-executors
control-col-deadline = Deadline
control-col-state = State
control-col-progress = Progress
control-col-totals = Totals
control-col-last-report = Last report
control-pdf-unavailable = This server was built without PDF reports (cargo feature "pdf"). Download the report as Excel (/control/report.xlsx) or rebuild with --features pdf.
inbox-title = Inbox
inbox-unread = { $count ->
    [0] nothing unread
    [one] { $count } unread
   *[other] { $count } unread
}
inbox-new = new
inbox-mark-all = Mark all as read
inbox-mark-one = Mark as read
inbox-empty = No notifications yet. They come when something happens with assignments of your bodies.
mail-subject = { $event }: { $task }
mail-assignment = Assignment
mail-comment = Comment
mail-open = Open the assignment
mail-footer = This message was sent by the Megapolis platform; you receive it as a member of a body concerned.
