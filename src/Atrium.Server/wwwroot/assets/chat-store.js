// What the Chat page knows: conversations, the loaded messages of each, presence and who is typing. Filled over
// HTTP, kept current by the socket's events (chat-client.js), and merged so that an older HTTP answer never
// undoes a newer event (sequence numbers and watermarks only move forward).
import { api } from './api.js';

const PAGE_SIZE = 50;
const TYPING_SHOWN_MS = 5_000;

const activity = conversation => Date.parse(conversation.lastMessage?.sentAt ?? conversation.createdAt) || 0;

function mergeMembers(older, newer) {
  const previous = new Map((older ?? []).map(member => [member.username, member]));
  return newer.map(member => {
    const old = previous.get(member.username);
    if (!old) return { ...member };
    return {
      ...member,
      deliveredUpTo: Math.max(old.deliveredUpTo ?? 0, member.deliveredUpTo ?? 0),
      readUpTo: Math.max(old.readUpTo ?? 0, member.readUpTo ?? 0),
    };
  });
}

/** A conversation, merged with what we knew: nothing that only moves forward moves back. */
function mergeConversation(old, fresh) {
  if (!old) return { ...fresh, members: fresh.members.map(member => ({ ...member })) };
  const newer = (fresh.lastSeq ?? 0) >= (old.lastSeq ?? 0);
  return {
    ...fresh,
    members: mergeMembers(old.members, fresh.members),
    lastSeq: Math.max(old.lastSeq ?? 0, fresh.lastSeq ?? 0),
    lastMessage: newer ? fresh.lastMessage : old.lastMessage,
    unread: newer ? fresh.unread : old.unread,
    readByAllUpTo: Math.max(old.readByAllUpTo ?? 0, fresh.readByAllUpTo ?? 0),
    deliveredToAllUpTo: Math.max(old.deliveredToAllUpTo ?? 0, fresh.deliveredToAllUpTo ?? 0),
  };
}

export class ChatStore {
  #me;
  #listeners = new Set();
  #typingTimers = new Map();
  conversations = new Map();
  /** conversationId -> { items: Message[] ascending by seq, hasMore, loaded } */
  messages = new Map();
  /** conversationId -> Map(username -> displayName) */
  typing = new Map();
  listState = 'idle'; // idle | loading | loaded | error
  listError = null;
  nextCursor = null;
  #listLoad = null;

  constructor(me) {
    this.#me = me;
  }

  get me() { return this.#me; }

  /** listener(change): { kind: 'list' | 'conversation' | 'messages' | 'typing' | 'presence', conversationId? } */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  dispose() {
    for (const timer of this.#typingTimers.values()) clearTimeout(timer);
    this.#listeners.clear();
  }

  #emit(change) {
    for (const listener of [...this.#listeners]) listener(change);
  }

  /** Conversations, the most recent activity first. */
  sorted() {
    return [...this.conversations.values()].sort((a, b) => activity(b) - activity(a) || (b.id > a.id ? 1 : -1));
  }

  // ——— HTTP ———

  /** The first page of conversations (again, with `refresh`). */
  loadList({ refresh = false } = {}) {
    if (this.#listLoad && !refresh) return this.#listLoad;
    if (this.listState !== 'loaded') this.listState = 'loading';
    this.#emit({ kind: 'list' });
    this.#listLoad = (async () => {
      try {
        const page = await api('/api/v1/conversations?limit=50');
        for (const conversation of page.items ?? []) this.#upsert(conversation);
        if (this.listState !== 'loaded' || refresh) this.nextCursor = page.nextCursor ?? null;
        this.listState = 'loaded';
        this.listError = null;
      } catch (error) {
        if (this.listState !== 'loaded') this.listState = 'error';
        this.listError = error;
        this.#listLoad = null;
      }
      this.#emit({ kind: 'list' });
    })();
    return this.#listLoad;
  }

  /** The next page of older conversations. */
  async loadMoreConversations() {
    if (!this.nextCursor) return;
    const page = await api(`/api/v1/conversations?limit=50&cursor=${encodeURIComponent(this.nextCursor)}`);
    for (const conversation of page.items ?? []) this.#upsert(conversation);
    this.nextCursor = page.nextCursor ?? null;
    this.#emit({ kind: 'list' });
  }

  /** One conversation (from memory, else the server). Rejects with ApiError 404 when it is not yours. */
  async conversation(id, { refresh = false } = {}) {
    if (!refresh && this.conversations.has(id)) return this.conversations.get(id);
    const conversation = await api(`/api/v1/conversations/${encodeURIComponent(id)}`);
    return this.#upsert(conversation);
  }

  /** Creates a conversation (or finds the existing 1:1). */
  async create(members, title) {
    const body = { members };
    if (title) body.title = title;
    const conversation = await api('/api/v1/conversations', { method: 'POST', body });
    return this.#upsert(conversation);
  }

  /** Adds people to a group. */
  async addMembers(id, members) {
    const conversation = await api(`/api/v1/conversations/${encodeURIComponent(id)}/members`, { method: 'POST', body: { members } });
    return this.#upsert(conversation);
  }

  /** The newest page of messages (again, with `refresh`, e.g. after a start without a resume cursor). */
  async loadLatest(id, { refresh = false } = {}) {
    const existing = this.messages.get(id);
    if (existing?.loaded && !refresh) return existing;
    const page = await api(`/api/v1/conversations/${encodeURIComponent(id)}/messages?limit=${PAGE_SIZE}`);
    const state = this.#messageState(id);
    if (!state.loaded) state.hasMore = page.hasMore;
    state.loaded = true;
    this.#addMessages(id, page.items ?? []);
    this.#emit({ kind: 'messages', conversationId: id });
    return state;
  }

  /** The page before the oldest loaded message. Resolves to the number added. */
  async loadOlder(id) {
    const state = this.#messageState(id);
    if (!state.hasMore || state.items.length === 0) return 0;
    const before = state.items[0].seq;
    const page = await api(`/api/v1/conversations/${encodeURIComponent(id)}/messages?before=${before}&limit=${PAGE_SIZE}`);
    state.hasMore = page.hasMore;
    const added = this.#addMessages(id, page.items ?? []);
    this.#emit({ kind: 'messages', conversationId: id, older: true });
    return added;
  }

  // ——— events from the socket ———

  /** Applies a protocol event (chat-client.js). */
  apply(event) {
    switch (event.type) {
      case 'message': return this.#message(event.message);
      case 'sent': return this.#sent(event);
      case 'receipt': return this.#receipt(event);
      case 'conversation': this.#upsert(event.conversation); return this.#emit({ kind: 'list' });
      case 'presence': return this.#presence(event);
      case 'typing': return this.#typing(event);
      default: return undefined;
    }
  }

  /** We have read `id` up to `seq` (applied at once; the server confirms with a receipt). */
  markRead(id, seq) {
    const conversation = this.conversations.get(id);
    if (!conversation) return;
    const me = conversation.members.find(member => member.username === this.#me);
    if (me) me.readUpTo = Math.max(me.readUpTo ?? 0, seq);
    this.#recountUnread(conversation);
    this.#emit({ kind: 'conversation', conversationId: id });
  }

  /** My watermark in a conversation. */
  myReadUpTo(conversation) {
    return conversation.members.find(member => member.username === this.#me)?.readUpTo ?? 0;
  }

  #upsert(fresh) {
    const merged = mergeConversation(this.conversations.get(fresh.id), fresh);
    this.conversations.set(fresh.id, merged);
    this.#emit({ kind: 'conversation', conversationId: fresh.id });
    return merged;
  }

  #messageState(id) {
    let state = this.messages.get(id);
    if (!state) {
      state = { items: [], hasMore: true, loaded: false };
      this.messages.set(id, state);
    }
    return state;
  }

  /** Inserts by seq, once each; resolves to how many were new. */
  #addMessages(id, messages) {
    const state = this.#messageState(id);
    const bySeq = new Map(state.items.map(message => [message.seq, message]));
    let added = 0;
    for (const message of messages) {
      if (!bySeq.has(message.seq)) added += 1;
      const previous = bySeq.get(message.seq);
      bySeq.set(message.seq, previous?.provisional || !previous ? message : previous);
    }
    state.items = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    return added;
  }

  async #message(message) {
    const id = message.conversationId;
    const mine = message.sender?.username === this.#me;
    this.#clearTyping(id, message.sender?.username);
    if (this.messages.get(id)?.loaded) {
      this.#addMessages(id, [message]);
      this.#emit({ kind: 'messages', conversationId: id });
    }
    let conversation = this.conversations.get(id);
    if (!conversation && this.#listLoad) {
      await this.#listLoad; // a replay racing the first list: the list has it, or fetch it alone
      conversation = this.conversations.get(id);
    }
    if (!conversation) {
      try { conversation = await this.conversation(id); } catch { return; }
      this.#emit({ kind: 'list' });
      return;
    }
    if (message.seq > (conversation.lastSeq ?? 0) || !conversation.lastMessage) {
      const wasUnread = conversation.unread ?? 0;
      conversation.lastSeq = Math.max(conversation.lastSeq ?? 0, message.seq);
      conversation.lastMessage = message;
      if (mine) {
        // Our own messages count as read.
        const me = conversation.members.find(member => member.username === this.#me);
        if (me) me.readUpTo = Math.max(me.readUpTo ?? 0, message.seq);
        conversation.unread = 0;
      } else {
        conversation.unread = wasUnread + 1;
      }
    }
    this.#emit({ kind: 'list' });
  }

  /** Our send was stored: show it with its seq until its `message` event brings the server's copy. */
  #sent(event) {
    const state = this.messages.get(event.conversationId);
    if (!state?.loaded || state.items.some(message => message.seq === event.seq)) return;
    this.#addMessages(event.conversationId, [{
      conversationId: event.conversationId, seq: event.seq, messageId: event.messageId, clientMessageId: event.clientMessageId,
      sender: { username: this.#me, displayName: null }, text: event.text, sentAt: new Date().toISOString(), provisional: true,
    }]);
    this.#emit({ kind: 'messages', conversationId: event.conversationId });
  }

  #receipt(event) {
    const conversation = this.conversations.get(event.conversationId);
    if (!conversation) return;
    const member = conversation.members.find(m => m.username === event.user?.username);
    if (member) {
      member.deliveredUpTo = Math.max(member.deliveredUpTo ?? 0, event.deliveredUpTo ?? 0);
      member.readUpTo = Math.max(member.readUpTo ?? 0, event.readUpTo ?? 0);
    }
    conversation.readByAllUpTo = Math.max(conversation.readByAllUpTo ?? 0, event.readByAllUpTo ?? 0);
    conversation.deliveredToAllUpTo = Math.max(conversation.deliveredToAllUpTo ?? 0, event.deliveredToAllUpTo ?? 0);
    if (event.user?.username === this.#me) this.#recountUnread(conversation);
    this.#emit({ kind: 'conversation', conversationId: conversation.id });
    this.#emit({ kind: 'list' });
  }

  #recountUnread(conversation) {
    const readUpTo = this.myReadUpTo(conversation);
    if (readUpTo >= (conversation.lastSeq ?? 0)) {
      conversation.unread = 0;
      return;
    }
    const state = this.messages.get(conversation.id);
    const oldest = state?.items[0]?.seq ?? Infinity;
    if (state?.loaded && (oldest <= readUpTo + 1 || !state.hasMore)) {
      conversation.unread = state.items.filter(message => message.seq > readUpTo && message.sender?.username !== this.#me).length;
    } else {
      conversation.unread = Math.min(conversation.unread ?? 0, conversation.lastSeq - readUpTo);
    }
  }

  #presence(event) {
    const username = event.user?.username;
    for (const conversation of this.conversations.values()) {
      const member = conversation.members.find(m => m.username === username);
      if (!member) continue;
      member.online = event.online;
      if (event.lastSeenAt) member.lastSeenAt = event.lastSeenAt;
    }
    this.#emit({ kind: 'presence', username });
  }

  #typing(event) {
    const username = event.user?.username;
    if (!username || username === this.#me) return;
    const key = `${event.conversationId}\n${username}`;
    let typists = this.typing.get(event.conversationId);
    if (!typists) {
      typists = new Map();
      this.typing.set(event.conversationId, typists);
    }
    typists.set(username, event.user.displayName || username);
    clearTimeout(this.#typingTimers.get(key));
    this.#typingTimers.set(key, setTimeout(() => this.#clearTyping(event.conversationId, username), TYPING_SHOWN_MS));
    this.#emit({ kind: 'typing', conversationId: event.conversationId });
  }

  #clearTyping(id, username) {
    const typists = this.typing.get(id);
    if (!typists?.delete(username)) return;
    clearTimeout(this.#typingTimers.get(`${id}\n${username}`));
    this.#typingTimers.delete(`${id}\n${username}`);
    this.#emit({ kind: 'typing', conversationId: id });
  }
}
