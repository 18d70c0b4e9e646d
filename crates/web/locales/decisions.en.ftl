# Session decisions: register, import, public page. Keys match decisions.ru.ftl.
