-- Links owns these tables; no other module reads them.
CREATE TABLE links_links (
    code        TEXT    PRIMARY KEY,          -- generated (7 chars) or custom alias; case-sensitive
    id          INTEGER NOT NULL,             -- Snowflake id: creation order, the key of list cursors
    owner_id    INTEGER NULL,                 -- the creating user; NULL: anonymous, managed by nobody
    url         TEXT    NOT NULL,             -- stored exactly as given
    permanent   INTEGER NOT NULL,             -- 1: 301, 0: 302
    created_at  INTEGER NOT NULL,             -- unix ms
    expires_at  INTEGER NULL,                 -- unix ms
    max_visits  INTEGER NULL,
    visits      INTEGER NOT NULL DEFAULT 0,   -- counted synchronously only for links with max_visits
    disabled_at INTEGER NULL                  -- unix ms; set by DELETE
) WITHOUT ROWID;
CREATE UNIQUE INDEX links_links_by_owner ON links_links (owner_id, id);

-- Clicks aggregated per link, hour, referrer host, browser family and bot/human.
CREATE TABLE links_clicks_hourly (
    code          TEXT    NOT NULL,
    hour          INTEGER NOT NULL,           -- unix seconds of the hour's start
    referrer_host TEXT    NOT NULL,
    browser       TEXT    NOT NULL,
    is_bot        INTEGER NOT NULL,
    clicks        INTEGER NOT NULL,
    PRIMARY KEY (code, hour, referrer_host, browser, is_bot)
) WITHOUT ROWID;

-- The secret key of the code permutation, created once per deployment.
CREATE TABLE links_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
