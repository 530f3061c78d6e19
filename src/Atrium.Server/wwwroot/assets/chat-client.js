// The chat connection (docs/chat-protocol.md): one WebSocket to /ws that authenticates with `hello`, resumes
// from the last processed stream position, drops duplicates by `pos`, acknowledges cumulatively, pings, and
// reconnects with jittered exponential back-off. Sends go over the socket, or over HTTP (same clientMessageId,
// so a retry stores nothing twice) while the socket is down. Listeners get the protocol's frames as they are
// processed, plus `status` and `outbox` changes.
import { api, ApiError } from './api.js';
import { chatAccessToken, SessionEndedError } from './chat-token.js';

const PING_EVERY_MS = 25_000;
const HELLO_TIMEOUT_MS = 10_000;
const ACK_DELAY_MS = 250;
const SENT_TIMEOUT_MS = 8_000; // no `sent` by then: try HTTP with the same clientMessageId
const TYPING_EVERY_MS = 3_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;
const SYNC_PAGE = 500;

function storage(key, value) {
  try {
    if (value === undefined) return localStorage.getItem(key);
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch { /* private mode: the values live as long as the page */ }
  return null;
}

function randomId() {
  return crypto.randomUUID?.() ?? Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
}

/** This browser's device id (kept, so the server remembers its acks across reloads). */
function deviceId() {
  let id = storage('atrium.chat.device');
  if (!id) {
    id = `web-${randomId()}`.slice(0, 64);
    storage('atrium.chat.device', id);
  }
  return id;
}

/** Text as the server accepts it: NFC, no control characters but newline and tab, no outer blank lines. */
export function cleanMessageText(text) {
  // eslint-disable-next-line no-control-regex
  return text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '').trim();
}

export class ChatClient {
  #user;
  #listeners = new Set();
  #socket = null;
  #status = 'idle'; // idle | connecting | online | offline | ended
  #stopped = true;
  #attempt = 0;
  #retryTimer = null;
  #helloTimer = null;
  #pingTimer = null;
  #ackTimer = null;
  #awaitingPong = false;
  #welcomed = false;
  #lastPos = 0;
  #ackedPos = 0;
  #liveFrom = 0; // events with pos above the welcome's are live, the others a replay
  #chain = Promise.resolve(); // stream events are processed one at a time, in order
  #outbox = new Map(); // clientMessageId -> { conversationId, clientMessageId, text, state, error, createdAt, timer, httpInFlight }
  #typingSentAt = new Map();
  #forceToken = false;
  #onOnline = () => this.#reconnectNow();
  #onVisible = () => { if (document.visibilityState === 'visible' && this.#status === 'offline') this.#reconnectNow(); };
  #onPageHide = () => this.#flushAck();

  constructor(user) {
    this.#user = user;
    this.#lastPos = Number.parseInt(storage(this.#posKey) ?? '0', 10) || 0;
    this.#ackedPos = 0; // the first welcome acknowledges the stored position again (it may not have reached the server)
    let saved = [];
    try { saved = JSON.parse(storage(this.#outboxKey) ?? '[]'); } catch { /* unreadable: start empty */ }
    for (const entry of Array.isArray(saved) ? saved : []) {
      if (entry?.clientMessageId && entry.conversationId && entry.text) {
        this.#outbox.set(entry.clientMessageId, { ...entry, state: entry.state === 'failed' ? 'failed' : 'sending', timer: null, httpInFlight: false });
      }
    }
  }

  get #posKey() { return `atrium.chat.pos.${this.#user.username}`; }

  get #outboxKey() { return `atrium.chat.outbox.${this.#user.username}`; }

  get user() { return this.#user; }

  /** idle | connecting | online | offline | ended */
  get status() { return this.#status; }

  /** Messages not yet confirmed by the server, oldest first. */
  pending(conversationId) {
    return [...this.#outbox.values()].filter(entry => entry.conversationId === conversationId);
  }

  /** listener(event): the protocol frames, plus { type: 'status' } and { type: 'outbox', conversationId }. */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start() {
    if (!this.#stopped) return;
    this.#stopped = false;
    window.addEventListener('online', this.#onOnline);
    document.addEventListener('visibilitychange', this.#onVisible);
    window.addEventListener('pagehide', this.#onPageHide);
    this.#connect();
  }

  stop() {
    this.#stopped = true;
    window.removeEventListener('online', this.#onOnline);
    document.removeEventListener('visibilitychange', this.#onVisible);
    window.removeEventListener('pagehide', this.#onPageHide);
    this.#flushAck();
    clearTimeout(this.#retryTimer);
    this.#clearConnectionTimers();
    for (const entry of this.#outbox.values()) clearTimeout(entry.timer);
    const socket = this.#socket;
    this.#socket = null;
    // Closing a socket that is still connecting makes the browser log an error: let it open first.
    if (socket?.readyState === WebSocket.CONNECTING) socket.addEventListener('open', () => socket.close(1000, 'Leaving the chat'));
    else socket?.close(1000, 'Leaving the chat');
    this.#setStatus('idle');
    this.#listeners.clear();
  }

  /** Queues a message; it shows as "sending" until the server confirms it. Returns its clientMessageId. */
  send(conversationId, text) {
    const entry = { conversationId, clientMessageId: randomId(), text, state: 'sending', error: null, createdAt: new Date().toISOString(), timer: null, httpInFlight: false };
    this.#outbox.set(entry.clientMessageId, entry);
    this.#saveOutbox();
    this.#emit({ type: 'outbox', conversationId });
    this.#dispatch(entry);
    return entry.clientMessageId;
  }

  /** Tries a failed message again (same clientMessageId). */
  retry(clientMessageId) {
    const entry = this.#outbox.get(clientMessageId);
    if (!entry) return;
    entry.state = 'sending';
    entry.error = null;
    this.#saveOutbox();
    this.#emit({ type: 'outbox', conversationId: entry.conversationId });
    this.#dispatch(entry);
  }

  /** Drops a failed message. */
  discard(clientMessageId) {
    const entry = this.#outbox.get(clientMessageId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.#outbox.delete(clientMessageId);
    this.#saveOutbox();
    this.#emit({ type: 'outbox', conversationId: entry.conversationId });
  }

  /** The user has read `conversationId` up to `seq` (the socket, or HTTP while it is down). */
  read(conversationId, seq) {
    if (this.#isOpen()) this.#write({ type: 'read', conversationId, seq });
    else api(`/api/v1/conversations/${encodeURIComponent(conversationId)}/read`, { method: 'POST', body: { seq } }).catch(() => {});
  }

  /** The user is typing: tells the others at most every 3 s. */
  typing(conversationId) {
    const now = Date.now();
    if (!this.#isOpen() || now - (this.#typingSentAt.get(conversationId) ?? 0) < TYPING_EVERY_MS) return;
    this.#typingSentAt.set(conversationId, now);
    this.#write({ type: 'typing', conversationId });
  }

  /** Stops the typing throttle for a conversation (after a send, the next keystroke counts again). */
  resetTyping(conversationId) {
    this.#typingSentAt.delete(conversationId);
  }

  // ——— connection ———

  #isOpen() {
    return this.#welcomed && this.#socket?.readyState === WebSocket.OPEN;
  }

  async #connect() {
    if (this.#stopped) return;
    this.#setStatus('connecting');
    let token;
    try {
      token = await chatAccessToken({ force: this.#forceToken });
      this.#forceToken = false;
    } catch (error) {
      if (error instanceof SessionEndedError) return this.#setStatus('ended');
      return this.#scheduleReconnect();
    }
    if (this.#stopped) return;

    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    let socket;
    try {
      socket = new WebSocket(url);
    } catch {
      return this.#scheduleReconnect();
    }
    this.#socket = socket;
    this.#welcomed = false;
    socket.addEventListener('open', () => {
      if (socket !== this.#socket) return;
      const hello = { type: 'hello', token, device: deviceId() };
      if (this.#lastPos > 0) hello.since = this.#lastPos;
      socket.send(JSON.stringify(hello));
      this.#helloTimer = setTimeout(() => socket.close(4000, 'No welcome'), HELLO_TIMEOUT_MS);
    });
    socket.addEventListener('message', event => {
      if (socket !== this.#socket) return;
      this.#awaitingPong = false;
      let frame;
      try { frame = JSON.parse(event.data); } catch { return; }
      this.#receive(frame);
    });
    socket.addEventListener('close', event => {
      if (socket !== this.#socket) return;
      const wasWelcomed = this.#welcomed;
      this.#socket = null;
      this.#welcomed = false;
      this.#clearConnectionTimers();
      if (this.#stopped) return;
      if (event.code === 4401) this.#forceToken = true;
      // Whatever was in flight on this socket goes over HTTP now (the same clientMessageId makes it safe).
      for (const entry of this.#outbox.values()) if (entry.state === 'sending') this.#sendOverHttp(entry);
      // 1012: the server is restarting and the gateway sends us to another node; 4401 on a socket that was welcomed:
      // its token expired (the server closes a socket when the token it said hello with expires). Either way, go at
      // once — with a fresh token for 4401 — the first time; a 4401 right at hello is a refused token: back off.
      if ((event.code === 1012 || (event.code === 4401 && wasWelcomed)) && this.#attempt === 0) {
        this.#setStatus('offline');
        this.#reconnectNow();
      } else {
        this.#scheduleReconnect();
      }
    });
  }

  #scheduleReconnect() {
    if (this.#stopped) return;
    this.#setStatus('offline');
    clearTimeout(this.#retryTimer);
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.#attempt);
    this.#attempt += 1;
    const delay = ceiling / 2 + Math.random() * (ceiling / 2); // "equal jitter": never 0, never in lockstep
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  #reconnectNow() {
    if (this.#stopped || this.#status === 'online' || this.#status === 'connecting' || this.#status === 'ended') return;
    clearTimeout(this.#retryTimer);
    this.#connect();
  }

  #clearConnectionTimers() {
    clearTimeout(this.#helloTimer);
    clearInterval(this.#pingTimer);
    this.#awaitingPong = false;
  }

  #write(frame) {
    try {
      this.#socket?.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  #receive(frame) {
    switch (frame.type) {
      case 'welcome': return this.#welcome(frame);
      case 'message':
      case 'receipt':
      case 'conversation':
        this.#chain = this.#chain.then(() => this.#stream(frame)).catch(() => {});
        return undefined;
      case 'sent': return this.#confirm(frame);
      case 'error': return this.#error(frame);
      case 'pong': return undefined;
      default: return this.#emit(frame); // presence, typing, and what a newer server adds
    }
  }

  #welcome(frame) {
    clearTimeout(this.#helloTimer);
    this.#welcomed = true;
    this.#attempt = 0;
    const resumed = this.#lastPos > 0 && this.#lastPos <= frame.pos && !frame.reset;
    // No cursor yet, one from before a server reset, or one older than the retained stream (reset): start live from
    // the head and fetch state over HTTP.
    if (!resumed) this.#setPos(frame.pos);
    this.#liveFrom = frame.pos;
    this.#pingTimer = setInterval(() => {
      if (this.#awaitingPong) {
        this.#socket?.close(4000, 'No pong');
        return;
      }
      this.#awaitingPong = true;
      this.#write({ type: 'ping' });
    }, PING_EVERY_MS);
    this.#setStatus('online');
    if (this.#lastPos > this.#ackedPos) this.#scheduleAck();
    this.#emit({ type: 'welcome', user: frame.user, pos: frame.pos, resumed });
    for (const entry of this.#outbox.values()) if (entry.state === 'sending' && !entry.httpInFlight) this.#dispatch(entry);
  }

  async #stream(frame) {
    if (typeof frame.pos !== 'number' || frame.pos <= this.#lastPos) return; // a duplicate: at-least-once delivery
    if (frame.pos > this.#lastPos + 1) await this.#fillGap(frame.pos);
    if (frame.pos <= this.#lastPos) return;
    this.#apply(frame);
  }

  #apply(frame) {
    this.#setPos(frame.pos);
    if (frame.type === 'message' && frame.message.sender?.username === this.#user.username) this.#settle(frame.message);
    this.#emit({ ...frame, live: frame.pos > this.#liveFrom });
    this.#scheduleAck();
  }

  /** The stream is gap-free: a hole means a lost push, which /sync fills before we go on. */
  async #fillGap(upTo) {
    try {
      while (this.#lastPos < upTo - 1) {
        const page = await api(`/api/v1/sync?since=${this.#lastPos}&limit=${Math.min(SYNC_PAGE, upTo - 1 - this.#lastPos)}`);
        if (page.reset) throw new Error('reset'); // the cursor is older than the retained stream: the reconnect's welcome resets
        const events = (page.events ?? []).filter(event => event.pos > this.#lastPos && event.pos < upTo);
        for (const event of events) this.#apply(event);
        if (events.length === 0) break;
      }
    } catch {
      // Could not fill it now: the next reconnect replays from the last position we did process.
      this.#socket?.close(4000, 'Gap');
    }
  }

  #setPos(pos) {
    this.#lastPos = pos;
  }

  #scheduleAck() {
    if (this.#ackTimer) return;
    this.#ackTimer = setTimeout(() => this.#flushAck(), ACK_DELAY_MS);
  }

  #flushAck() {
    clearTimeout(this.#ackTimer);
    this.#ackTimer = null;
    storage(this.#posKey, String(this.#lastPos));
    if (this.#lastPos > this.#ackedPos && this.#isOpen() && this.#write({ type: 'ack', pos: this.#lastPos })) {
      this.#ackedPos = this.#lastPos;
    }
  }

  #error(frame) {
    if (frame.code === 'unauthorized') {
      this.#forceToken = true;
      return; // the server closes with 4401 next
    }
    const entry = frame.ref ? this.#outbox.get(frame.ref) : null;
    if (!entry) return this.#emit(frame);
    clearTimeout(entry.timer);
    if (frame.code === 'rate_limited') {
      entry.timer = setTimeout(() => this.#dispatch(entry), Math.max(250, frame.retryAfterMs ?? 1000));
      return undefined;
    }
    return this.#fail(entry, frame.code === 'not_found' ? 'This conversation is no longer available.' : frame.message || 'The message was refused.');
  }

  // ——— the outbox ———

  #dispatch(entry) {
    clearTimeout(entry.timer);
    if (entry.state !== 'sending') return;
    if (this.#isOpen() && this.#write({ type: 'send', conversationId: entry.conversationId, clientMessageId: entry.clientMessageId, text: entry.text })) {
      entry.timer = setTimeout(() => this.#sendOverHttp(entry), SENT_TIMEOUT_MS);
    } else {
      this.#sendOverHttp(entry);
    }
  }

  async #sendOverHttp(entry) {
    clearTimeout(entry.timer);
    if (entry.httpInFlight || entry.state !== 'sending') return;
    entry.httpInFlight = true;
    try {
      const sent = await api(`/api/v1/conversations/${encodeURIComponent(entry.conversationId)}/messages`, {
        method: 'POST', body: { clientMessageId: entry.clientMessageId, text: entry.text },
      });
      entry.httpInFlight = false;
      this.#confirm({ ...sent, clientMessageId: entry.clientMessageId });
    } catch (error) {
      entry.httpInFlight = false;
      if (!this.#outbox.has(entry.clientMessageId)) return; // confirmed meanwhile
      if (error instanceof ApiError && error.status === 429) {
        entry.timer = setTimeout(() => this.#dispatch(entry), Math.max(1, error.retryAfter ?? 1) * 1000);
      } else if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 401) {
        this.#fail(entry, error.detail || error.message);
      }
      // Otherwise (offline, 5xx): it stays "sending"; the next welcome sends it again.
    }
  }

  #fail(entry, message) {
    entry.state = 'failed';
    entry.error = message;
    this.#saveOutbox();
    this.#emit({ type: 'outbox', conversationId: entry.conversationId });
  }

  #confirm(frame) {
    const entry = this.#outbox.get(frame.clientMessageId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.#outbox.delete(frame.clientMessageId);
    this.#saveOutbox();
    this.#emit({ type: 'sent', conversationId: frame.conversationId ?? entry.conversationId, clientMessageId: frame.clientMessageId, seq: frame.seq, messageId: frame.messageId, text: entry.text, createdAt: entry.createdAt });
    this.#emit({ type: 'outbox', conversationId: entry.conversationId });
  }

  /** Our own message arrived on the stream (perhaps before its `sent`): it is confirmed. */
  #settle(message) {
    if (this.#outbox.has(message.clientMessageId)) this.#confirm({ ...message });
  }

  #saveOutbox() {
    const entries = [...this.#outbox.values()].map(({ conversationId, clientMessageId, text, state, error, createdAt }) => ({ conversationId, clientMessageId, text, state, error, createdAt }));
    storage(this.#outboxKey, entries.length ? JSON.stringify(entries) : null);
  }

  #setStatus(status) {
    if (this.#status === status) return;
    this.#status = status;
    this.#emit({ type: 'status', status });
  }

  #emit(event) {
    for (const listener of [...this.#listeners]) {
      try { listener(event); } catch (error) { console.error(error); } // eslint-disable-line no-console
    }
  }
}
