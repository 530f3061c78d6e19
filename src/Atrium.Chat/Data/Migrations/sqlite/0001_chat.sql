-- Chat owns these tables; no other module reads them (DESIGN.md §3, Chat). Every integer is 64-bit,
-- every instant unix ms. PostgreSQL twin: postgres/0001_chat.sql.

-- A conversation. last_seq is the per-conversation message counter: a send runs
-- UPDATE ... SET last_seq = last_seq + 1 RETURNING last_seq in the transaction that stores the message,
-- so seqs are gap-free and sends to one conversation are serialised by this row.
CREATE TABLE chat_conversations (
    id                  INTEGER PRIMARY KEY,      -- Snowflake
    kind                TEXT    NOT NULL,         -- 'direct' | 'group'
    title               TEXT    NULL,
    direct_key          TEXT    NULL UNIQUE,      -- 'lowUserId:highUserId' for direct conversations: one per pair
    last_seq            INTEGER NOT NULL DEFAULT 0,
    delivered_all_up_to INTEGER NOT NULL DEFAULT 0, -- min(delivered_up_to) over members, as last announced
    read_all_up_to      INTEGER NOT NULL DEFAULT 0, -- min(read_up_to) over members, as last announced
    created_by          INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    last_activity       INTEGER NOT NULL          -- unix ms of the last message (or creation)
);

-- Membership and the per-member receipt watermarks. joined_seq: the member sees messages with seq > joined_seq.
CREATE TABLE chat_members (
    conversation_id INTEGER NOT NULL,
    user_id         INTEGER NOT NULL,
    joined_seq      INTEGER NOT NULL,
    delivered_up_to INTEGER NOT NULL,
    read_up_to      INTEGER NOT NULL,
    joined_at       INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
) WITHOUT ROWID;
CREATE INDEX chat_members_by_user ON chat_members (user_id, conversation_id);

CREATE TABLE chat_messages (
    conversation_id   INTEGER NOT NULL,
    seq               INTEGER NOT NULL,
    message_id        INTEGER NOT NULL,       -- Snowflake
    sender_id         INTEGER NOT NULL,
    client_message_id TEXT    NOT NULL,
    text              TEXT    NOT NULL,
    sent_at           INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX chat_messages_by_client_id ON chat_messages (conversation_id, sender_id, client_message_id);

-- Each user's linear event stream: pos is gap-free per user (chat_user_heads.last_pos is its counter).
-- Written in the same transaction as what it announces. A message event references the message
-- (conversation_id, seq) instead of copying it; receipts carry their payload as JSON.
CREATE TABLE chat_user_events (
    user_id         INTEGER NOT NULL,
    pos             INTEGER NOT NULL,
    kind            TEXT    NOT NULL,         -- 'message' | 'receipt' | 'conversation'
    conversation_id INTEGER NOT NULL,
    seq             INTEGER NULL,             -- message events: the message's seq
    payload         TEXT    NULL,             -- receipt events: JSON
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (user_id, pos)
) WITHOUT ROWID;

-- Per user: the stream head, how far any device has acknowledged (drives delivered receipts), last seen.
CREATE TABLE chat_user_heads (
    user_id       INTEGER PRIMARY KEY,
    last_pos      INTEGER NOT NULL DEFAULT 0,
    delivered_pos INTEGER NOT NULL DEFAULT 0,
    last_seen_at  INTEGER NULL
);

-- Per named device: the last acknowledged stream position (a reconnect without 'since' resumes after it).
CREATE TABLE chat_devices (
    user_id   INTEGER NOT NULL,
    device    TEXT    NOT NULL,
    acked_pos INTEGER NOT NULL,
    seen_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, device)
) WITHOUT ROWID;
