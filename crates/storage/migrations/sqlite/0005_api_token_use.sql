-- When each API token was last used, shown on its owner's profile beside the revoke button.
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;
