-- Retention (Platform/Retention): the sweeper finds expired rows by their instant, and a dead letter is unique per
-- consumer and event (a redelivered letter must not make a second row).
DELETE FROM platform_dead_letters
WHERE EXISTS (SELECT 1 FROM platform_dead_letters k
              WHERE k.consumer = platform_dead_letters.consumer AND k.event_id = platform_dead_letters.event_id AND k.id < platform_dead_letters.id);
CREATE UNIQUE INDEX platform_dead_letters_consumer_event ON platform_dead_letters (consumer, event_id);
CREATE INDEX platform_dead_letters_failed_at ON platform_dead_letters (failed_at);
CREATE INDEX platform_inbox_processed_at ON platform_inbox (processed_at);
CREATE INDEX platform_idempotency_created_at ON platform_idempotency (created_at);
