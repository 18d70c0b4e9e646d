# Session decisions: register, import, public page. Keys match decisions.ru.ftl.
# Решения сессий: регистр, импорт, публичная страница. Ключи совпадают с decisions.ru.ftl.
decisions-title = Session decisions
decisions-intro = The decisions of the association's sessions, their items and the progress of every assignment.
decisions-import = Import a decision
decisions-none = No decisions have been published yet.
decisions-session = Session
decisions-session-number = Session { $number }
decisions-decision = Decision
decisions-assignments = Assignments
decisions-accepted = Accepted
decisions-overdue = Overdue
decisions-published = Published
decisions-draft = Draft
decisions-publish = Publish
decisions-withdraw = Withdraw from publication
decisions-controller = Control
decisions-not-named = not named
decisions-progress = Progress
decisions-progress-summary = { $accepted } of { $total } accepted
decisions-overdue-count = { $count ->
    [one] { $count } assignment overdue
   *[other] { $count } assignments overdue
}
decisions-items = Text of the decision
decisions-appendices = Appendices
decisions-file-size = { $kb } KB
decisions-item = Item
decisions-task = Task
decisions-lead = Lead executor
decisions-co-executors = Co-executors
decisions-deadline = Deadline
decisions-state = State
decisions-kind = Kind
decisions-open-assignment = Open the assignment
decisions-recurrence = Recurrence
decisions-recurrence-none = Once
decisions-no-assignments = This decision has no assignments.
decisions-import-lead = Paste the text of a decision or upload a .txt or .docx file. The portal proposes its structure and assignments; you check and correct them before anything is saved.
decisions-import-text = Text of the decision
decisions-import-file = Or a file (.txt, .docx)
decisions-import-file-hint = When a file is chosen, the text is taken from the file.
decisions-import-read = Read the decision
decisions-none-selected = — not in the directory —
decisions-review = Review the decision
decisions-review-lead = The source text is on the left, the proposed structure on the right. Correct what is needed and confirm: the decision and all its assignments are saved together.
decisions-doubts = { $count ->
    [0] Check the notes on the document.
    [one] Check what is marked: { $count } assignment has doubts.
   *[other] Check what is marked: { $count } assignments have doubts.
}
decisions-source = Source text
decisions-structure = Proposed structure
decisions-session-number-label = Session number
decisions-session-date = Session date
decisions-session-place = Place
decisions-title-label = Title of the decision
decisions-language = Language of the decision
decisions-controller-name = Controlling body not in the directory
decisions-name-hint = When no body is chosen from the list, the name is kept as written.
decisions-publish-now = Publish at once
decisions-exclude = Do not save this assignment
decisions-lead-name = Executor not in the directory
decisions-co-executors-hint = One per line; names in the directory are recognised, others are kept as written.
decisions-deadline-text = Deadline as written
decisions-appendices-hint = Optional: a title and a link (e.g. to a plan of events), or a title and a file.
decisions-appendix-title = Title of the appendix
decisions-appendix-link = Link
decisions-appendix-file = File
decisions-attach-again = Appendix files are not kept when the form has errors: choose them again.
decisions-confirm = Confirm and save
decisions-flag-executor = Executor not in the directory: { $name }
decisions-flag-deadline = Deadline not understood: { $name }
decisions-flag-no-executor = No executor named
decisions-warning-no-controller = The document has no clause on control of its execution.
decisions-warning-controller-unknown = The controlling body is not in the directory: { $name }
decisions-warning-no-date = The header has no session date: deadlines like "within a month" were not computed.
decisions-warning-text-after-control = There is text after the control clause; it was not read as items: { $name }
decisions-error-empty = The text is empty: a decision needs a header and numbered items (1., 1.1.).
decisions-error-no-items = No numbered items were found (lines starting with "1.", "1.1.", "1.2)"): this text is not a decision, or its items are not numbered.
decisions-error-no-text = Paste the text of a decision or choose a file.
decisions-error-not-utf8 = The file "{ $name }" is not UTF-8 text. Save it as "Text (UTF-8)" or upload the .docx.
decisions-error-docx-not-word = The file "{ $name }" is not a Word document (.docx).
decisions-error-docx-too-large = The file "{ $name }" is too large to read.
decisions-error-docx-damaged = The file "{ $name }" is damaged: no text could be read from it.
decisions-error-file-type = The file "{ $name }" is not supported: upload a .txt or .docx file.
decisions-error-session-number = The session number is a positive whole number.
decisions-error-unknown-body = There is no such body in the directory.
decisions-error-link = A link starts with /, http:// or https://.
decisions-error-appendix-empty = Give a link or attach a file.
decisions-error-session-date-conflict = This session is already recorded with another date. Correct the date or the session number.
decisions-duplicate = This text has been imported already:
decisions-delete = Delete the draft
decisions-delete-confirm = Delete it with its assignments
