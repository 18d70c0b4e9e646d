# Assignments and their workflow. Keys match assignments.ru.ftl.
workflow-only-lead = Only members of the lead executor body can do this.
workflow-only-co-executor = Only members of a co-executor body can do this.
workflow-only-controller = Only members of the controlling body can do this.
workflow-only-secretariat = Only the Secretariat can do this.
workflow-cancelled = The assignment is cancelled: nothing more can be done on it.
workflow-already-accepted = The assignment is already accepted.
workflow-report-pending = A report is already submitted and waits for the controlling body.
workflow-no-report = There is no submitted report to accept or return.
workflow-already-started = Work on the assignment has already started.
workflow-text-required = Fill in the text: the report, the comment or the reason.
workflow-progress-range = Progress is from 0 to 100%.
workflow-extension-not-later = The new deadline must be later than the current one.
workflow-extension-pending = An extension request already waits for an answer.
workflow-no-extension-request = There is no extension request.
