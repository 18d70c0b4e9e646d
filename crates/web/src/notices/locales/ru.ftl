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
