-- Accounts owns these tables; no other module reads them. Ids are Snowflake ids, instants unix ms.
-- PostgreSQL twin of sqlite/0001_accounts.sql: same names, keys and indexes; every integer BIGINT.
CREATE TABLE accounts_users (
    id            BIGINT PRIMARY KEY,
    username      TEXT   NOT NULL UNIQUE,     -- canonical (lower-case) [a-z0-9_]{3,32}: unique case-insensitively
    display_name  TEXT   NOT NULL,
    password_hash TEXT   NOT NULL,            -- ASP.NET Core Identity V3: PBKDF2-HMAC-SHA512, salt and iteration count inside
    api_key_count BIGINT NOT NULL DEFAULT 0,  -- guarded by a conditional UPDATE, so the per-user limit holds under concurrency
    created_at    BIGINT NOT NULL
);

-- Refresh tokens, stored only as SHA-256. A family is one sign-in and its chain of rotations.
CREATE TABLE accounts_refresh_tokens (
    id          BIGINT PRIMARY KEY,
    user_id     BIGINT NOT NULL,
    family_id   BIGINT NOT NULL,              -- the id of the family's first token
    token_hash  TEXT   NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    revoked_at  BIGINT NULL,
    replaced_by BIGINT NULL                   -- set when rotated: presenting this token again is reuse
);
CREATE INDEX accounts_refresh_tokens_family ON accounts_refresh_tokens (family_id);
CREATE INDEX accounts_refresh_tokens_expiry ON accounts_refresh_tokens (expires_at);

-- API keys, stored only as SHA-256, with the first characters kept for display.
CREATE TABLE accounts_api_keys (
    id           BIGINT PRIMARY KEY,
    user_id      BIGINT NOT NULL,
    name         TEXT   NOT NULL,
    key_hash     TEXT   NOT NULL UNIQUE,
    prefix       TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NULL                  -- updated at most once a minute per key and node
);
CREATE INDEX accounts_api_keys_user ON accounts_api_keys (user_id, id);

-- HMAC keys that sign access tokens, shared by every node. generation is unique, so two nodes that
-- rotate at once cannot both add a key; retire_at is set when a newer key exists.
CREATE TABLE accounts_signing_keys (
    kid        TEXT   PRIMARY KEY,
    generation BIGINT NOT NULL UNIQUE,
    secret     TEXT   NOT NULL,               -- base64 of 32 random bytes
    created_at BIGINT NOT NULL,
    retire_at  BIGINT NULL
);
