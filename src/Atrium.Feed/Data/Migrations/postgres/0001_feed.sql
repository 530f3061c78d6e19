-- Feed owns these tables; no other module reads them. PostgreSQL twin of sqlite/0001_feed.sql: same names,
-- keys and indexes; every integer BIGINT; no WITHOUT ROWID.

CREATE TABLE feed_posts (
    id         BIGINT PRIMARY KEY,          -- Snowflake id: creation order, the score in timelines, the cursor
    author_id  BIGINT NOT NULL,
    text       TEXT   NOT NULL,             -- NFC, trimmed, 1-500 characters
    created_at BIGINT NOT NULL,             -- unix ms
    deleted_at BIGINT NULL                  -- unix ms
);
CREATE INDEX feed_posts_by_author ON feed_posts (author_id, id);

CREATE TABLE feed_follows (
    follower_id BIGINT NOT NULL,
    followee_id BIGINT NOT NULL,
    id          BIGINT NOT NULL,            -- Snowflake id of the follow: the cursor of follower/following lists
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
);
CREATE UNIQUE INDEX feed_follows_by_follower ON feed_follows (follower_id, id);
CREATE UNIQUE INDEX feed_follows_by_followee ON feed_follows (followee_id, id);

CREATE TABLE feed_blocks (
    blocker_id BIGINT NOT NULL,
    blocked_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);

CREATE TABLE feed_users (
    user_id      BIGINT PRIMARY KEY,
    followers    BIGINT NOT NULL DEFAULT 0,
    following    BIGINT NOT NULL DEFAULT 0,
    posts        BIGINT NOT NULL DEFAULT 0,
    last_post_id BIGINT NOT NULL DEFAULT 0,
    celebrity    BIGINT NOT NULL DEFAULT 0,
    active_at    BIGINT NOT NULL DEFAULT 0,
    rebuilding   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX feed_users_celebrities ON feed_users (celebrity, last_post_id);

CREATE TABLE feed_timeline (
    user_id   BIGINT NOT NULL,
    post_id   BIGINT NOT NULL,
    author_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, post_id)
);
