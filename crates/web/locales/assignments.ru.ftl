# Поручения: ход исполнения. Ключи совпадают с assignments.en.ftl.
workflow-only-lead = Это может сделать только член органа — ответственного исполнителя.
workflow-only-co-executor = Это может сделать только член органа — соисполнителя.
workflow-only-controller = Это может сделать только член контролирующего органа.
workflow-only-secretariat = Это может сделать только Секретариат.
workflow-cancelled = Поручение отменено: по нему больше ничего нельзя сделать.
workflow-already-accepted = Поручение уже принято.
workflow-report-pending = Отчёт уже представлен и ждёт решения контролирующего органа.
workflow-no-report = Нет представленного отчёта, который можно принять или вернуть.
workflow-already-started = Работа по поручению уже начата.
workflow-text-required = Заполните текст: отчёт, комментарий или причину.
workflow-progress-range = Ход исполнения — от 0 до 100 %.
workflow-extension-not-later = Новый срок должен быть позже текущего.
workflow-extension-pending = Запрос о продлении срока уже ждёт ответа.
workflow-no-extension-request = Нет запроса о продлении срока.
