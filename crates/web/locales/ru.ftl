site-name = Мегаполис
skip-to-content = Перейти к содержанию
nav-main = Основная навигация
nav-cities = Города
nav-bodies = Органы
nav-decisions = Решения
nav-assignments = Поручения
nav-control = Контроль
nav-inbox = Входящие
nav-admin = Администрирование
switch-language = English
login = Войти
logout = Выйти
footer-text = Мегаполис — открытая платформа ассоциации столиц и крупных городов
open-api = Открытый API
home-title = Главная
home-lead = Ассоциация столиц и крупных городов ведёт здесь свою работу: мониторинг информационного развития городов, решения сессий и контроль их исполнения, конкурс и сборник лучших решений, план мероприятий и подготовка кадров.
home-in-countries = { $count ->
    [one] в { $count } стране
   *[other] в { $count } странах
}
home-doors = Разделы
door-cities = Города-участники
door-cities-text = Члены ассоциации: страна, население, статус членства.
door-bodies = Органы ассоциации
door-bodies-text = Правление, Экспертный совет, комиссии, Секретариат и партнёры.
door-monitoring = Мониторинг
door-monitoring-text = Индекс информационного развития городов с интервалами рангов.
door-decisions = Решения и контроль
door-decisions-text = Решения сессий, поручения и ход их исполнения.
door-solutions = Сборник решений
door-solutions-text = Конкурс и каталог лучших программно-технических решений.
door-events = План мероприятий
door-events-text = Сессии, форумы, конференции и семинары года.
door-proposals = Предложения
door-proposals-text = Обобщение предложений и план совместных действий.
door-training = Подготовка кадров
door-training-text = Программы, группы и сертификаты.
cities-count = { $count ->
    [one] { $count } город
    [few] { $count } города
   *[many] { $count } городов
}
members-count = { $count ->
    [one] { $count } действительный член
    [few] { $count } действительных члена
   *[many] { $count } действительных членов
}
bodies-count = { $count ->
    [one] { $count } орган и партнёр
    [few] { $count } органа и партнёра
   *[many] { $count } органов и партнёров
}
cities-title = Города-участники
city-name = Город
city-country = Страна
city-population = Население
city-status = Статус
city-member-since = Член с
city-coordinates = Координаты
demo-note = Демонстрационные данные: названия, координаты и население реальны (население — приблизительные официальные оценки), а статус и дата вступления вымышлены.
status-member = действительный член
status-observer = наблюдатель
status-suspended = членство приостановлено
status-former = бывший член
edit = Изменить
save = Сохранить
import = Импортировать
filter = Показать
bodies-title = Органы и партнёры
body-members = Состав
body-no-members = Состав не указан.
kind-board = Правление
kind-president = Президент
kind-council = Совет
kind-commission = Постоянная комиссия
kind-secretariat = Секретариат
kind-partner = Партнёр
kind-university = Университет
kind-member-group = Группа членов
position-chair = председатель
position-deputy = заместитель председателя
position-member = член
position-secretary = секретарь
role-admin = администратор
role-secretariat = сотрудник Секретариата
role-body-member = член органа
role-city-rep = представитель города
role-expert = эксперт
field-email = Электронная почта
field-password = Пароль
field-role = Роль
field-city = Город
field-body = Орган
field-position = Должность в органе
field-name = Имя
field-code = Код
field-kind = Вид
field-name-ru = Название по-русски
field-name-en = Название по-английски
field-country-code = Код страны (ISO)
field-country-ru = Страна по-русски
field-country-en = Страна по-английски
field-latitude = Широта
field-longitude = Долгота
field-password-current = Текущий пароль
field-password-new = Новый пароль
field-password-confirm = Новый пароль ещё раз
field-token-name = Название токена
code-hint = Латинские строчные буквы, цифры и дефисы, например rostov-on-don.
date-hint = В виде ДД.ММ.ГГГГ или ГГГГ-ММ-ДД.
password-hint = Не короче 10 символов.
person-city-hint = Город, от имени которого выступает представитель города.
person-body-hint = Орган, в который входит член органа.
profile-title = Профиль
password-change = Смена пароля
api-tokens = Токены API
api-token-create = Создать токен
api-token-created = Токен создан. Сохраните его: он показывается один раз.
invitation-title = Приглашение
invitation-text = { $name }, задайте пароль для входа под адресом { $email }.
invitation-created = Приглашение для { $email } создано. Отправьте ссылку:
admin-cities = Города
admin-bodies = Органы
admin-people = Люди
admin-audit = Журнал изменений
city-new = Новый город
city-edit = Изменение города
person-new = Новый участник
person-invite = Добавить и пригласить
bodies-import = Импорт из CSV
bodies-import-label = Содержимое файла CSV справочника органов
bodies-imported = { $count ->
    [one] Изменён { $count } орган.
    [few] Изменено { $count } органа.
   *[many] Изменено { $count } органов.
}
error-summary-title = Есть ошибки
audit-entity = Объект
audit-entity-id = Идентификатор
audit-actor = Кто
audit-at = Когда (UTC)
audit-action = Действие
audit-before = Было
audit-after = Стало
audit-shown = { $count ->
    [one] Показана { $count } запись
    [few] Показаны { $count } записи
   *[many] Показано { $count } записей
}
error-required = Заполните это поле.
error-too-long = Слишком длинное значение.
error-number = Введите число.
error-integer = Введите целое число.
error-out-of-range = Значение вне допустимого диапазона.
error-choice = Выберите значение из списка.
error-date = Введите дату в виде ГГГГ-ММ-ДД.
error-city-code = Код: 2–40 латинских строчных букв, цифр или дефисов.
error-country-code = Двухбуквенный код страны ISO, например RU.
error-city-exists = Город с таким кодом уже есть.
error-city-code-fixed = Код существующего города менять нельзя.
error-city-required = Для представителя города укажите город.
error-body-required = Для члена органа укажите орган.
error-email = Введите адрес электронной почты.
error-email-taken = Этот адрес уже занят.
error-password-short = Пароль должен быть не короче 10 символов.
error-password-mismatch = Пароли не совпадают.
error-password-wrong = Неверный текущий пароль.
error-login = Неверная почта или пароль.
error-login-throttled = Слишком много неудачных попыток. Попробуйте через 15 минут.
error-400 = Запрос не удалось обработать.
error-403 = У вас нет доступа к этой странице.
error-413 = Запрос слишком велик. Сократите текст или файл и отправьте снова.
error-404 = Такой страницы нет.
error-500 = Внутренняя ошибка. Мы уже знаем о ней; попробуйте позже.
error-home = На главную
password-change-signs-out = После смены пароля все ваши сеансы завершатся, и нужно будет войти снова.
password-change-revoke-tokens = { $count ->
    [one] Отозвать и { $count } API-токен
    [few] Отозвать и { $count } API-токена
   *[many] Отозвать и { $count } API-токенов
}
api-token-created-at = Создан
api-token-last-used = Последнее использование
api-token-never-used = ещё не использовался
api-token-revoke = Отозвать
api-token-revoke-all = Отозвать все токены
api-tokens-revoked = { $count ->
    [0] Токен уже был отозван.
    [one] Отозван { $count } токен.
    [few] Отозвано { $count } токена.
   *[many] Отозвано { $count } токенов.
}
control-report-returned = Отчёт возвращён
home-live = Работает
home-decisions-published = { $count ->
    [one] { $count } опубликованное решение
    [few] { $count } опубликованных решения
   *[many] { $count } опубликованных решений
}
home-assignments-open = { $count ->
    [one] { $count } поручение в работе
    [few] { $count } поручения в работе
   *[many] { $count } поручений в работе
}
home-assignments-overdue = просрочено: { $count }
audit-action-create = создание
audit-action-update = изменение
audit-action-delete = удаление
audit-action-edit = исправление
audit-action-publish = публикация
audit-action-unpublish = снятие с публикации
audit-action-upload = загрузка файла
audit-action-revoke = отзыв
audit-action-invite = приглашение
audit-action-accept-invitation = принятие приглашения
audit-action-password = смена пароля
audit-action-set-password = смена пароля
audit-action-enqueue = постановка задания
audit-action-started = начато выполнение
audit-action-reported = представлен отчёт
audit-action-input = дополнение соисполнителя
audit-action-accepted = отчёт принят
audit-action-returned = отчёт возвращён
audit-action-extension_requested = запрошено продление
audit-action-extension_granted = срок продлён
audit-action-extension_refused = в продлении отказано
audit-action-cancelled = отмена
audit-action-reminder = напоминание
audit-action-overdue = просрочено
audit-entity-association = ассоциация
audit-entity-city = город
audit-entity-body = орган
audit-entity-person = человек
audit-entity-api-token = API-токен
audit-entity-decision = решение
audit-entity-assignment = поручение
audit-entity-file = файл
audit-entity-job = задание
audit-changes = Изменения
audit-any = любые
audit-older = Более ранние записи

# Success messages after a write (render.rs DONE_MESSAGES)
done-saved = Сохранено.
done-created = Создано.
done-published = Опубликовано: теперь это видят все.
done-unpublished = Публикация снята: теперь это видит только Секретариат.
done-deleted = Удалено.
done-activated = Учётная запись снова действует.
done-deactivated = Учётная запись отключена: её сеансы завершены, её ключи API больше не действуют.
done-submitted = Отправлено: ответы закрыты для изменений и переданы на проверку.
done-returned = Возвращено городу с вашими сообщениями.
done-settled = Решено: у ответа окончательное значение.
done-attached = Файл приложен.

# People: edit and deactivate
person-choose-role = — выберите роль —
person-status = Состояние
person-actions = Действия
person-active = действует
person-inactive = отключён
person-edit = Изменить
person-deactivate = Отключить
person-activate = Включить снова
person-other-memberships = Также входит в (без изменений)

# The platform itself as an actor (domain::audit::actors)
actor-system-scheduler = планировщик напоминаний
actor-system-demo = демонстрационные данные
actor-system-cli = командная строка

# The home page's figures of the other live sections
home-editions-published = { $count ->
    [one] { $count } опубликованный выпуск индекса
    [few] { $count } опубликованных выпуска индекса
   *[many] { $count } опубликованных выпусков индекса
}
home-solutions-published = { $count ->
    [one] { $count } решение в каталоге
    [few] { $count } решения в каталоге
   *[many] { $count } решений в каталоге
}
home-events-planned = { $count ->
    [one] { $count } мероприятие в утверждённых планах
    [few] { $count } мероприятия в утверждённых планах
   *[many] { $count } мероприятий в утверждённых планах
}
home-consultations = { $count ->
    [one] { $count } консультация
    [few] { $count } консультации
   *[many] { $count } консультаций
}
home-programmes = { $count ->
    [one] { $count } программа обучения
    [few] { $count } программы обучения
   *[many] { $count } программ обучения
}
