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

# Состояния, события, виды — общие для всех страниц (решения, поручения, контроль).
assignment-state-new = Новое
assignment-state-in_progress = В работе
assignment-state-report_submitted = Отчёт представлен
assignment-state-accepted = Принято
assignment-state-cancelled = Отменено
assignment-overdue = Просрочено
assignment-kind-assignment = Поручение
assignment-kind-recommendation = Рекомендация
recurrence-monthly = ежемесячно
recurrence-quarterly = ежеквартально
recurrence-yearly = ежегодно
assignment-event-created = Поручение создано
assignment-event-started = Работа начата
assignment-event-reported = Представлен отчёт
assignment-event-input = Соисполнитель внёс вклад
assignment-event-accepted = Отчёт принят
assignment-event-returned = Отчёт возвращён на доработку
assignment-event-extension_requested = Запрошено продление срока
assignment-event-extension_granted = Срок продлён
assignment-event-extension_refused = В продлении срока отказано
assignment-event-cancelled = Поручение отменено
assignment-event-reminder = Напоминание: срок приближается
assignment-event-overdue = Срок истёк

assignments-title = Поручения
assignments-to-dashboard = Панель контроля
assignments-filtered = Отбор
assignments-due-within = срок в ближайшие { $days } дн.
assignments-without-body = исполнитель не из справочника
assignments-session = Сессия { $number }
assignments-clear-filters = показать все
assignments-state = Состояние
assignments-body = Орган
assignments-any = любое
assignments-apply = Показать
assignments-count = { $count ->
    [one] { $count } поручение
    [few] { $count } поручения
   *[many] { $count } поручений
}
assignments-limited = показаны первые 1000, уточните отбор
assignments-decision = Решение
assignments-item = Пункт
assignments-task = Поручение
assignments-lead = Ответственный исполнитель
assignments-deadline = Срок
assignments-progress = Ход
assignments-none = Поручений не найдено.
assignments-no-executor = исполнитель не назначен
assignments-not-in-directory = нет в справочнике органов
assignment-title = Поручение по пункту { $item }
assignment-co-executors = Соисполнители
assignment-controller = Контроль
assignment-extension-pending = Запрошено продление до
assignment-previous = Предыдущее исполнение
assignment-flags = Отмечено при импорте
assignment-flag-executor_not_in_directory = исполнителя нет в справочнике
assignment-flag-deadline_unreadable = срок не распознан
assignment-flag-no_executor = исполнитель не назван
assignment-actions = Действия
assignment-do-start = Начать работу
assignment-do-report = Представить отчёт
assignment-report-text = Что сделано
assignment-report-progress = Выполнено, %
assignment-files = Файлы
assignment-do-input = Внести вклад соисполнителя
assignment-input-text = Вклад
assignment-review = Рассмотрение отчёта
assignment-comment = Комментарий
assignment-comment-hint = При возврате на доработку комментарий обязателен.
assignment-do-accept = Принять
assignment-do-return = Вернуть на доработку
assignment-do-extend = Запросить продление срока
assignment-extend-until = Новый срок
assignment-reason = Причина
assignment-extension-answer = Запрос о продлении до { $until }
assignment-do-grant = Продлить
assignment-do-refuse = Отказать
assignment-do-cancel = Отменить поручение
assignment-timeline = История
assignment-until-invalid = Новый срок — дата в формате ГГГГ-ММ-ДД.
assignment-action-unknown = Неизвестное действие.
assignment-event-edited = Секретариат уточнил поручение
assignment-do-edit = Уточнить поручение
assignment-edit-lead-other = или исполнитель не из справочника
assignment-edit-co-executors = Соисполнители (по одному в строке)
assignment-edit-deadline-text = Срок словами (из решения)
assignment-recurrence-none = не повторяется
assignment-edit-save = Сохранить
assignment-date-invalid = Срок — дата в формате ГГГГ-ММ-ДД.
recurrence-label = Повторение
assignments-open = открытые
mail-about-assignment = Поручение
assignments-no-lead = Исполнитель не назван
assignments-extension = ждёт решения о продлении
assignments-mine = Моя работа
assignments-mine-hint = Открытые поручения, по которым действовать вашим органам: как ответственному исполнителю или соисполнителю, а как контролирующему органу — когда ждут решения отчёт или запрос о продлении срока.
assignments-mine-no-bodies = Вы не входите ни в один орган, поэтому здесь нет поручений для вас.
assignment-overdue-reason = Срок истёк { $days } { $days ->
    [one] день
    [few] дня
   *[many] дней
} назад: { $date }
assignment-who-may-act = Действовать по поручению может ответственный исполнитель ({ $lead }): начать, отчитаться, попросить продлить срок; отчёт принимает контролирующий орган ({ $controller }).
assignments-search = Поиск по тексту
assignments-sort = Порядок
assignments-sort-decision = по решениям
assignments-sort-deadline = по сроку
assignments-sort-state = по состоянию
assignments-sort-progress = сначала наименее выполненные
assignments-draft = проект
