# Session decisions: register, import, public page. Keys match decisions.en.ftl.
# Решения сессий: регистр, импорт, публичная страница. Ключи совпадают с decisions.en.ftl.
decisions-title = Решения сессий
decisions-intro = Решения сессий ассоциации, их пункты и ход исполнения каждого поручения.
decisions-import = Импортировать решение
decisions-none = Опубликованных решений пока нет.
decisions-session = Сессия
decisions-session-number = { $number }-я сессия
decisions-decision = Решение
decisions-assignments = Поручения
decisions-accepted = Принято
decisions-overdue = Просрочено
decisions-published = Опубликовано
decisions-draft = Черновик
decisions-publish = Опубликовать
decisions-withdraw = Снять с публикации
decisions-controller = Контроль
decisions-not-named = не указан
decisions-progress = Ход исполнения
decisions-progress-summary = принято { $accepted } из { $total }
decisions-overdue-count = { $count ->
    [one] { $count } поручение просрочено
    [few] { $count } поручения просрочены
   *[many] { $count } поручений просрочено
}
decisions-items = Текст решения
decisions-appendices = Приложения
decisions-file-size = { $kb } КБ
decisions-item = Пункт
decisions-task = Поручение
decisions-lead = Ответственный исполнитель
decisions-co-executors = Соисполнители
decisions-deadline = Срок
decisions-state = Состояние
decisions-kind = Вид
decisions-open-assignment = Открыть поручение
decisions-recurrence = Периодичность
decisions-recurrence-none = Однократно
decisions-no-assignments = В этом решении нет поручений.
decisions-import-lead = Вставьте текст решения или загрузите файл .txt или .docx. Система предложит структуру решения и поручения, вы проверите и исправите их перед сохранением.
decisions-import-text = Текст решения
decisions-import-file = Или файл (.txt, .docx)
decisions-import-file-hint = Если выбран файл, текст берётся из файла.
decisions-import-read = Прочитать решение
decisions-none-selected = — нет в справочнике —
decisions-review = Проверка решения
decisions-review-lead = Слева — исходный текст, справа — предложенная структура. Исправьте то, что нужно, и подтвердите: решение и все поручения будут сохранены вместе.
decisions-doubts = { $count ->
    [0] Проверьте замечания к документу.
    [one] Проверьте отмеченное: в { $count } поручении есть сомнения.
    [few] Проверьте отмеченное: в { $count } поручениях есть сомнения.
   *[many] Проверьте отмеченное: в { $count } поручениях есть сомнения.
}
decisions-source = Исходный текст
decisions-structure = Предложенная структура
decisions-session-number-label = Номер сессии
decisions-session-date = Дата сессии
decisions-session-place = Место проведения
decisions-title-label = Заголовок решения
decisions-language = Язык решения
decisions-controller-name = Контролирующий орган, которого нет в справочнике
decisions-name-hint = Если орган не выбран из списка, название сохраняется как написано.
decisions-publish-now = Опубликовать сразу
decisions-exclude = Не сохранять это поручение
decisions-lead-name = Исполнитель, которого нет в справочнике
decisions-co-executors-hint = По одному на строке; названия из справочника распознаются, остальные сохраняются как написаны.
decisions-deadline-text = Срок, как написано
decisions-appendices-hint = Необязательно: название и ссылка (например, на план мероприятий) или название и файл.
decisions-appendix-title = Название приложения
decisions-appendix-link = Ссылка
decisions-appendix-file = Файл
decisions-attach-again = Файлы приложений не сохраняются при ошибке в форме: выберите их снова.
decisions-confirm = Подтвердить и сохранить
decisions-flag-executor = Исполнителя нет в справочнике: { $name }
decisions-flag-deadline = Срок не распознан: { $name }
decisions-flag-no-executor = Исполнитель не назван
decisions-warning-no-controller = В документе не найден пункт о контроле за исполнением.
decisions-warning-controller-unknown = Контролирующего органа нет в справочнике: { $name }
decisions-warning-no-date = В заголовке не найдена дата сессии: сроки вида «в месячный срок» не вычислены.
decisions-warning-text-after-control = После пункта о контроле есть текст, он не прочитан как пункты: { $name }
decisions-error-empty = Текст пуст: в решении должны быть заголовок и нумерованные пункты (1., 1.1.).
decisions-error-no-items = В тексте не найдено нумерованных пунктов (строк, начинающихся с «1.», «1.1.», «1.2)»): это не решение, или его пункты не пронумерованы.
decisions-error-no-text = Вставьте текст решения или выберите файл.
decisions-error-encoding = Файл «{ $name }» не читается в выбранной кодировке. Выберите другую ниже или «определить самостоятельно».
decisions-import-encoding = Кодировка файла .txt
decisions-import-encoding-hint = Обычно определяется сама; выберите, если на следующей странице текст читается неверно.
decisions-encoding-auto = определить самостоятельно
decisions-encoding-utf-8 = UTF-8
decisions-encoding-windows-1251 = Windows-1251 (кириллица, Windows)
decisions-encoding-koi8-r = КОИ-8
decisions-encoding-ibm866 = CP866 (DOS)
decisions-error-docx-not-word = Файл «{ $name }» — не документ Word (.docx).
decisions-error-docx-too-large = Файл «{ $name }» слишком велик для чтения.
decisions-error-docx-damaged = Файл «{ $name }» повреждён: текст из него прочитать не удалось.
decisions-error-file-type = Файл «{ $name }» не поддерживается: загрузите .txt или .docx.
decisions-error-session-number = Номер сессии — целое положительное число.
decisions-error-unknown-body = Такого органа нет в справочнике.
decisions-error-link = Ссылка должна начинаться с /, http:// или https://.
decisions-error-appendix-empty = Укажите ссылку или приложите файл.
decisions-error-session-date-conflict = Эта сессия уже записана с другой датой. Исправьте дату или номер сессии.
decisions-duplicate = Этот текст уже импортирован:
decisions-delete = Удалить черновик
decisions-delete-confirm = Удалить вместе с поручениями
