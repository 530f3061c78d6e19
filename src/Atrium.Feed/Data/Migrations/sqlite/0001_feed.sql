-- Feed owns these tables; no other module reads them. Users are Accounts' ids (no foreign keys across modules).

-- Posts. A delete is a tombstone (deleted_at): timelines still hold the id and drop it when read.
CREATE TABLE feed_posts (
    id         INTEGER PRIMARY KEY,         -- Snowflake id: creation order, the score in timelines, the cursor
    author_id  INTEGER NOT NULL,
    text       TEXT    NOT NULL,            -- NFC, trimmed, 1-500 characters
    created_at INTEGER NOT NULL,            -- unix ms
    deleted_at INTEGER NULL                 -- unix ms
);
CREATE INDEX feed_posts_by_author ON feed_posts (author_id, id);

-- Follows, indexed both ways: "whom do I follow" (reads, pull) and "who follows me" (fan-out).
CREATE TABLE feed_follows (
    follower_id INTEGER NOT NULL,
    followee_id INTEGER NOT NULL,
    id          INTEGER NOT NULL,           -- Snowflake id of the follow: the cursor of follower/following lists
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX feed_follows_by_follower ON feed_follows (follower_id, id);
CREATE UNIQUE INDEX feed_follows_by_followee ON feed_follows (followee_id, id);

-- Blocks: the blocker never sees the blocked user's posts, and neither can follow the other.
CREATE TABLE feed_blocks (
    blocker_id INTEGER NOT NULL,
    blocked_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
) WITHOUT ROWID;

-- One row per user the feed has seen: counters, the celebrity flag, activity and timeline state.
CREATE TABLE feed_users (
    user_id      INTEGER PRIMARY KEY,
    followers    INTEGER NOT NULL DEFAULT 0,
    following    INTEGER NOT NULL DEFAULT 0,
    posts        INTEGER NOT NULL DEFAULT 0,   -- live (not deleted) posts
    last_post_id INTEGER NOT NULL DEFAULT 0,   -- picks the celebrities merged first when a reader follows many
    celebrity    INTEGER NOT NULL DEFAULT 0,   -- 1: posts are merged at read, not fanned out (hysteresis in CelebrityRule)
    active_at    INTEGER NOT NULL DEFAULT 0,   -- unix ms of the last home-timeline read (coarse: see FeedOptions.ActivityResolution)
    rebuilding   INTEGER NOT NULL DEFAULT 0    -- 1: the home timeline is being rebuilt; reads are served from posts meanwhile
);
CREATE INDEX feed_users_celebrities ON feed_users (celebrity, last_post_id);

-- Home timelines of the embedded shape (the distributed one keeps them in Redis sorted sets).
CREATE TABLE feed_timeline (
    user_id   INTEGER NOT NULL,
    post_id   INTEGER NOT NULL,
    author_id INTEGER NOT NULL,             -- so an unfollow removes that author's entries in one statement
    PRIMARY KEY (user_id, post_id)
) WITHOUT ROWID;
