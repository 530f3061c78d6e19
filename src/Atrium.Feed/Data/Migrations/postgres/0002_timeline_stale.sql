-- A timeline write that could not reach Redis marks the timeline stale instead of failing: its next read rebuilds it
-- from the database (DESIGN.md §3, Feed). Cleared when that rebuild is requested.
ALTER TABLE feed_users ADD COLUMN stale BIGINT NOT NULL DEFAULT 0;
