-- The test module's own table: every consumer effect, written in the consumer's transaction, so a
-- duplicate application would show up as a second row.
CREATE TABLE tests_effects (
    id       INTEGER PRIMARY KEY,
    consumer TEXT    NOT NULL,
    event_id INTEGER NOT NULL,
    marker   TEXT    NOT NULL
);
CREATE INDEX tests_effects_marker ON tests_effects (marker);
