nav-training = Обучение
training-title = Обучение сотрудников городов
training-lead = Программы с университетом-партнёром, потоки с местами для каждого города и сертификаты, которые может проверить любой.
training-programmes = Программы
training-programme = Программа
training-no-programmes = Программ пока нет.
training-cohorts = Потоки
training-cohort = Поток
training-no-cohorts = Потоков пока нет.
training-hours = { $count ->
    [one] { $count } час
    [few] { $count } часа
   *[many] { $count } часов
}
training-validity = { $count ->
    [one] сертификат действует { $count } год
    [few] сертификат действует { $count } года
   *[many] сертификат действует { $count } лет
}
training-rule = завершение: посещаемость { $percent } % и сданная аттестация
training-format-in-person = очно
training-format-online = онлайн
training-format-mixed = смешанный формат
training-dates = Даты
training-place = Место
training-window = Приём заявок
training-open = идёт приём заявок
training-capacity = Мест
training-quotas = Места по городам
training-city = Город
training-places = Квота
training-used = Выдвинуто
training-remaining = Осталось
training-remaining-for-city = { $count ->
    [0] У вашего города не осталось мест в этом потоке.
    [one] У вашего города осталось { $count } место.
    [few] У вашего города осталось { $count } места.
   *[many] У вашего города осталось { $count } мест.
}
training-nominate = Выдвинуть сотрудника
training-nominate-button = Выдвинуть
training-name = ФИО
training-position = Должность
training-department = Подразделение
training-email = Эл. почта
training-participants = Участники
training-no-nominations = Пока никто не выдвинут.
training-state = Состояние
training-state-nominated = выдвинут
training-state-completed = завершил обучение
training-state-failed = не завершил
training-results = Результаты
training-attendance = Посещаемость, %
training-passed = аттестация сдана
training-record = Записать
training-issue = Выдать сертификаты завершившим обучение
training-invalid-name = Укажите ФИО сотрудника.
training-invalid-position = Укажите должность.
training-invalid-email = Укажите верный адрес эл. почты.
training-invalid-city = Укажите код города.
training-invalid-attendance = Посещаемость — процент от 0 до 100.
training-refused-not_nominator = Выдвигают только представители городов и Секретариат.
training-refused-not_your_city = Можно выдвигать только сотрудников своего города.
training-refused-outside_window = Приём заявок в этот поток сейчас закрыт.
training-refused-no_quota = В этом потоке нет мест для вашего города.
training-refused-quota_used = Квота вашего города в этом потоке исчерпана.
training-refused-cohort_full = Мест в потоке больше нет.
training-refused-duplicate_nominee = Этот сотрудник уже выдвинут в поток.
certificate-title = Сертификат
certificate-unknown = Сертификата с таким кодом нет: он недействителен. Проверьте код по документу.
certificate-status-valid = Действителен
certificate-status-expired = Срок действия истёк
certificate-status-revoked = Отозван
certificate-status-invalid = Недействителен: запись не совпадает с подписью
certificate-reason = Причина
certificate-recipient = Выдан
certificate-achievement = За
certificate-description = Описание
certificate-criteria = Условия
certificate-issuer = Выдал
certificate-issued = Дата выдачи
certificate-valid-until = Действителен до
certificate-revoked = Отозван
certificate-verified = Подпись (Ed25519, eddsa-jcs-2022) проверена сейчас открытым ключом ассоциации.
certificate-not-verified = Подпись не проходит проверку ключом ассоциации.
certificate-credential = Подписанное удостоверение (Open Badges 3.0, JSON)
certificate-status-json = Состояние (JSON)
certificate-issuer-key = Открытый ключ ассоциации
training-new-programme = Новая программа
training-new-cohort = Новый поток
training-title-ru = Название по-русски
training-title-en = Название по-английски
training-partner = Партнёр, проводящий обучение
training-hours-label = Академических часов
training-format = Формат
training-validity-label = Срок действия сертификата, лет (пусто — бессрочно)
training-min-attendance = Минимальная посещаемость для завершения, %
training-starts = Начало
training-ends = Окончание
training-applications-open = Приём заявок с
training-applications-close = Приём заявок по
training-quotas-hint = Коды городов с числом мест, например minsk=2, moscow=1; в сумме не больше мест потока.
training-create = Создать
training-invalid-title_ru = Укажите название по-русски.
training-invalid-title_en = Укажите название по-английски.
training-invalid-title = Укажите название потока.
training-invalid-hours = Укажите число часов — целое больше нуля.
training-invalid-format = Выберите формат.
training-invalid-validity_years = Срок действия — целое число лет или пусто.
training-invalid-min_attendance = Минимальная посещаемость — процент от 0 до 100.
training-invalid-programme_id = Выберите существующую программу.
training-invalid-starts_on = Укажите дату начала.
training-invalid-ends_on = Укажите дату окончания не раньше начала.
training-invalid-applications_open = Укажите дату начала приёма заявок.
training-invalid-applications_close = Укажите дату окончания приёма не раньше начала.
training-invalid-capacity = Укажите число мест, не меньше одного.
training-invalid-quotas = Квоты: коды городов из справочника с числом мест, в сумме не больше мест потока.
training-invalid-department = Проверьте подразделение.

## Решения по выдвижениям, занятия и журнал посещаемости
training-teachers = Преподаватели
training-state-confirmed = подтверждено
training-state-waitlisted = в листе ожидания
training-state-declined = отклонено
training-state-withdrawn = отозвано
training-state-moved = переведено в другой поток
training-decision = Решение
training-decision-confirm = Подтвердить
training-decision-waitlist = В лист ожидания
training-decision-decline = Отклонить
training-decision-withdraw = Отозвать
training-reason = Причина (обязательна при отклонении и отзыве)
training-decide = Применить
training-move-to = Перевести в поток
training-move = Перевести
training-register-share = Посещено { $percent } % занятий (по журналу)
training-sessions = Занятия и посещаемость
training-sessions-hint = Отметьте, кто был на каждом занятии. Если на форме результатов посещаемость не указана, она считается по этому журналу.
training-no-sessions = Занятия ещё не запланированы.
training-session-day = День
training-session-topic = Тема
training-add-session = Добавить занятие
training-save-register = Сохранить журнал
training-event-confirmed = Выдвижение подтверждено
training-event-waitlisted = Выдвижение в листе ожидания
training-event-declined = Выдвижение отклонено
training-event-withdrawn = Выдвижение отозвано
training-event-moved = Слушатель переведён в другой поток
training-event-nominated = Выдвижение снова в потоке
# The certificate as a PDF
certificate-pdf = Сертификат в PDF
certificate-no-pdf = PDF этого сертификата не выдаётся: он отозван или его запись не совпадает с подписью.
certificate-pdf-title = СЕРТИФИКАТ
certificate-pdf-awarded = удостоверяет, что
certificate-pdf-completed = успешно завершил(а) обучение по программе
certificate-pdf-hours = Объём
certificate-pdf-status = Статус
certificate-pdf-code = Код проверки

# Reports
training-reports-title = Отчёты об обучении
training-reports-lead = Сводные цифры без персональных данных: сколько сотрудников каждого города обучено по программам и годам в пределах квот, и доля завершивших каждую программу.
training-reports-by-city = Обучено по городам, программам и годам
training-reports-by-programme = Завершение по программам
training-reports-year = Год
training-reports-trained = Обучено
training-reports-quota-used = Квота использована
training-reports-withdrawn = выбыл
training-reports-completion-rate = Доля завершивших
training-reports-open-data = Открытые данные
training-reports-empty = Пока нет данных.

## Курсы, результаты обучения и компетенции программы
training-courses = Курсы
training-courses-hint = По одному в строке: название по-русски | название по-английски | часы. Вместе не больше часов, чем в программе.
training-outcomes = Результаты обучения
training-outcomes-hint = По одному в строке: что слушатель умеет после программы.
training-competences = Компетенции (критерии мониторинга)
training-competences-hint = Коды критериев опубликованной методики мониторинга через запятую, например OpenData, Services.
training-invalid-courses = Запишите каждый курс как название RU | название EN | часы; вместе не больше часов, чем в программе.
training-invalid-competences = Укажите коды критериев опубликованной методики мониторинга.
training-teacher-accounts = Учётные записи преподавателей
training-teacher-accounts-hint = E-mail преподавателей с учётной записью через запятую: они ведут журнал и результаты этого потока.
training-invalid-teacher_accounts = Укажите учётные записи преподавателей адресами e-mail через запятую.
training-issue-one = Выдать сертификат
