inbox-title = Inbox
inbox-unread = { $count ->
    [0] nothing unread
    [one] { $count } unread
   *[other] { $count } unread
}
inbox-new = new
inbox-mark-all = Mark all as read
inbox-mark-one = Mark as read
inbox-empty = No notifications yet. They come when something happens with assignments of your bodies.
mail-subject = { $event }: { $task }
mail-comment = Comment
mail-open = Open
mail-footer = This message was sent by the Megapolis platform; you receive it because it concerns your body.
