nav-catalogue = Каталог
catalogue-title = Каталог решений
catalogue-lead = Лучшие программно-аппаратные решения городов – членов для тиражирования в других городах.
catalogue-search = Найти решение
catalogue-find = Найти
catalogue-found = { $count ->
    [one] Найдено { $count } решение
    [few] Найдено { $count } решения
   *[other] Найдено { $count } решений
}
catalogue-nothing = Ничего не найдено. Попробуйте другие слова или меньше слов.
catalogue-clear-filters = снять отбор
catalogue-facets = Уточнить поиск
catalogue-facet-nomination = Номинация
catalogue-facet-city = Город
catalogue-facet-country = Страна
catalogue-facet-year = Год
catalogue-facet-technology = Технологии
catalogue-facet-licence = Лицензия
catalogue-hardware = Оборудование
catalogue-url = Адрес
catalogue-all = Все опубликованные решения, сначала новые
catalogue-empty = Пока не опубликовано ни одного решения.
catalogue-open-data = Каталог как открытые данные
catalogue-unpublished = не опубликовано
catalogue-similar = Похожие решения
catalogue-no-similar = Похожих решений в каталоге пока нет.
catalogue-facet-used_by = Используют городов
catalogue-used-by = { $count ->
    [0] Другие города пока не используют
    [one] Используется в { $count } городе
    [few] Используется в { $count } городах
   *[other] Используется в { $count } городах
}
catalogue-adoptions = Города, которые используют решение
catalogue-adoption-status = Статус
catalogue-adoption-since = С какого числа
catalogue-adoption-note = Примечание
catalogue-adoption-history = Прежние статусы
catalogue-adoption-record = Записать внедрение
catalogue-adoption-save = Сохранить внедрение
catalogue-status-studying = изучается
catalogue-status-piloting = пилотный проект
catalogue-status-in-operation = в эксплуатации
catalogue-status-dropped = отказались
