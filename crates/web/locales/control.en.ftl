# The Board's dashboard, reports, inbox, mail. Keys match control.ru.ftl.
