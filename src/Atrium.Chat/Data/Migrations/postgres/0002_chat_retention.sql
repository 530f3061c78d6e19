-- Retention of the users' event streams (ChatOptions.EventRetention, docs/chat-protocol.md "Retention"): events that
-- every device of the user has acknowledged and that are older than the window are deleted; pruned_pos is the
-- highest position deleted, so a resume from before it is answered with a reset instead of a silent gap.
ALTER TABLE chat_user_heads ADD COLUMN pruned_pos BIGINT NOT NULL DEFAULT 0;
