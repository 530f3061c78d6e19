-- Links owns these tables; no other module reads them. PostgreSQL twin of sqlite/0001_links.sql:
-- same names, keys and indexes; every integer BIGINT; no WITHOUT ROWID (PostgreSQL tables are heaps).
CREATE TABLE links_links (
    code        TEXT   PRIMARY KEY,           -- generated (7 chars) or custom alias; case-sensitive
    id          BIGINT NOT NULL,              -- Snowflake id: creation order, the key of list cursors
    owner_id    BIGINT NULL,                  -- the creating user; NULL: anonymous, managed by nobody
    url         TEXT   NOT NULL,              -- stored exactly as given
    permanent   BIGINT NOT NULL,              -- 1: 301, 0: 302
    created_at  BIGINT NOT NULL,              -- unix ms
    expires_at  BIGINT NULL,                  -- unix ms
    max_visits  BIGINT NULL,
    visits      BIGINT NOT NULL DEFAULT 0,    -- counted synchronously only for links with max_visits
    disabled_at BIGINT NULL                   -- unix ms; set by DELETE
);
CREATE UNIQUE INDEX links_links_by_owner ON links_links (owner_id, id);

-- Clicks aggregated per link, hour, referrer host, browser family and bot/human.
CREATE TABLE links_clicks_hourly (
    code          TEXT   NOT NULL,
    hour          BIGINT NOT NULL,            -- unix seconds of the hour's start
    referrer_host TEXT   NOT NULL,
    browser       TEXT   NOT NULL,
    is_bot        BIGINT NOT NULL,
    clicks        BIGINT NOT NULL,
    PRIMARY KEY (code, hour, referrer_host, browser, is_bot)
);

-- The secret key of the code permutation, created once per deployment.
CREATE TABLE links_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
