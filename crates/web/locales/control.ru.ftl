# Панель Правления, отчёты, входящие, почта. Ключи совпадают с control.en.ftl.
control-title = Контроль исполнения
control-as-of = на { $date }
control-lead = Поручения решений сессий на сегодня. Каждое число открывает список поручений за ним.
control-summary = Сводка
control-download-pdf = Отчёт об исполнении (PDF)
control-download-xlsx = Отчёт об исполнении (Excel)
control-card-total = поручений всего
control-card-overdue = просрочено
control-card-due = срок в ближайшие { $days } дней
control-empty = Поручений пока нет: они появятся после импорта решения сессии.
control-import = Импортировать решение
control-by-body = По ответственным исполнителям
control-by-body-hint = Подсчёт по ответственному исполнителю; каждое число открывает список именно этих поручений.
control-by-decision = По решениям
control-col-body = Исполнитель
control-col-total = Всего
control-col-open = В работе
control-col-overdue = Просрочено
control-col-due-soon = Скоро срок
control-col-accepted = Принято
control-col-bar = Доля
control-open-hint = Ещё не принятые и не отменённые
control-legend-open = в работе, в срок
control-decision-label = Сессия { $number }: { $title }
control-total = Всего
control-report-title = Исполнение решений сессий Международной Ассамблеи столиц и крупных городов
control-report-as-of = Отчёт Правлению по состоянию на { $date }
control-col-decision = Решение
control-col-item = Пункт
control-col-task = Поручение
control-col-lead = Ответственный
control-col-co-executors = Соисполнители
control-col-deadline = Срок
control-col-state = Состояние
control-col-progress = Выполнение
control-col-totals = Итого
control-col-last-report = Последний отчёт
control-pdf-unavailable = Сервер собран без PDF-отчётов (функция cargo «pdf»). Скачайте отчёт в Excel (/control/report.xlsx) или пересоберите с --features pdf.
inbox-title = Входящие
inbox-unread = { $count ->
    [0] непрочитанных нет
    [one] { $count } непрочитанное
    [few] { $count } непрочитанных
   *[many] { $count } непрочитанных
}
inbox-new = новое
inbox-mark-all = Отметить все как прочитанные
inbox-mark-one = Прочитано
inbox-empty = Уведомлений пока нет. Они приходят, когда что-то происходит с поручениями ваших органов.
mail-subject = { $event }: { $task }
mail-assignment = Поручение
mail-comment = Комментарий
mail-open = Открыть поручение
mail-footer = Письмо отправлено платформой «Мегаполис»; вы получаете его как член органа, которого касается поручение.
