-- Platform tables: node-id leases, hi/lo id blocks, the outbox, the local queue, inbox, dead letters, idempotency keys.
CREATE TABLE platform_nodes (
    node_id    INTEGER PRIMARY KEY,
    holder     TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE platform_id_blocks (
    name       TEXT    PRIMARY KEY,
    next_value INTEGER NOT NULL
);

CREATE TABLE platform_outbox (
    id          INTEGER PRIMARY KEY,
    type        TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    occurred_at INTEGER NOT NULL
);

CREATE TABLE platform_queue (
    consumer        TEXT    NOT NULL,
    event_id        INTEGER NOT NULL,
    type            TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    occurred_at     INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT    NULL,
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX platform_queue_due ON platform_queue (next_attempt_at);

CREATE TABLE platform_inbox (
    consumer     TEXT    NOT NULL,
    event_id     INTEGER NOT NULL,
    processed_at INTEGER NOT NULL,
    PRIMARY KEY (consumer, event_id)
);

CREATE TABLE platform_dead_letters (
    id          INTEGER PRIMARY KEY,
    consumer    TEXT    NOT NULL,
    event_id    INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    occurred_at INTEGER NOT NULL,
    attempts    INTEGER NOT NULL,
    last_error  TEXT    NOT NULL,
    failed_at   INTEGER NOT NULL
);

CREATE TABLE platform_idempotency (
    scope        TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    resource     TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
);
