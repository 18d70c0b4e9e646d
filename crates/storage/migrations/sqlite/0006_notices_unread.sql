-- The unread count beside "Inbox" is asked on every signed-in page: read from the index alone.
CREATE INDEX notices_unread ON notices (person_id, read_at);
