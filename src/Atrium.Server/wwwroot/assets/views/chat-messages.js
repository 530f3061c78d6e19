// The messages of a conversation as a list: day separators, the sender's name in groups, receipts on your own
// messages (sending → ✓ sent → ✓✓ delivered → ✓✓ read), and messages still in the outbox. Rows are kept by key
// and rebuilt only when what they show changes. Message text is only ever set as text.
import { h } from '../dom.js';
import { icon } from '../icons.js';
import { dayKey, dayLabel, fullTime, messageTime, nameOf, othersIn } from '../chat-format.js';

const STATUS_TEXT = { sending: 'Sending', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: 'Not sent' };

/** Sent, delivered or read, for one of our messages: everyone else's watermarks against its seq. */
export function receiptStatus(conversation, seq, me) {
  const others = othersIn(conversation, me);
  if (others.length === 0) return 'sent';
  const readByOthers = Math.min(...others.map(member => member.readUpTo ?? 0));
  const deliveredToOthers = Math.min(...others.map(member => Math.max(member.deliveredUpTo ?? 0, member.readUpTo ?? 0)));
  if (Math.max(readByOthers, conversation.readByAllUpTo ?? 0) >= seq) return 'read';
  if (Math.max(deliveredToOthers, conversation.deliveredToAllUpTo ?? 0) >= seq) return 'delivered';
  return 'sent';
}

function ticks(status) {
  const glyph = status === 'sending' ? icon('clock', { size: 14 })
    : status === 'failed' ? icon('alert', { size: 14 })
      : h('span', { class: 'tick-glyph' }, status === 'sent' ? '✓' : '✓✓');
  return h('span', { class: ['ticks', `ticks-${status}`], title: STATUS_TEXT[status] },
    h('span', { 'aria-hidden': 'true', class: 'ticks-icon' }, glyph),
    h('span', { class: 'visually-hidden' }, STATUS_TEXT[status]));
}

/** The list; `render(conversation, state)` brings it up to date with the store and the outbox. */
export function messageTimeline({ me, client, conversationId }) {
  const element = h('ol', { class: 'message-list' });
  const rows = new Map(); // key -> { li, version }

  function row(message, { pending = false, status, showSender }) {
    const mine = message.sender?.username === me;
    const children = [];
    if (showSender) children.push(h('p', { class: 'message-sender', 'aria-hidden': 'true' }, nameOf(message.sender)));
    const meta = h('p', { class: 'message-meta' },
      pending ? null : h('time', { datetime: message.sentAt, title: fullTime(message.sentAt) }, messageTime(message.sentAt)),
      mine ? ticks(status) : null);
    children.push(h('div', { class: 'message-bubble' },
      h('span', { class: 'visually-hidden' }, mine ? 'You: ' : `${nameOf(message.sender)}: `),
      h('p', { class: 'message-text', 'data-testid': 'message-text' }, message.text),
      meta));
    if (status === 'failed') {
      const retry = h('button', { type: 'button', class: 'btn btn-secondary btn-sm' }, 'Retry');
      const discard = h('button', { type: 'button', class: 'btn btn-ghost-danger btn-sm' }, 'Discard');
      retry.addEventListener('click', () => client.retry(message.clientMessageId));
      discard.addEventListener('click', () => client.discard(message.clientMessageId));
      children.push(h('p', { class: 'message-error' }, `Not sent: ${message.error ?? 'the server refused it.'} `, retry, discard));
    }
    return h('li', {
      class: ['message', mine ? 'is-mine' : 'is-theirs', pending ? 'is-pending' : null],
      dataset: pending ? { status } : { status: mine ? status : 'received', seq: String(message.seq) },
    }, children);
  }

  /** What the list should show, in order: { key, version, build }. */
  function entries(conversation, state) {
    const result = [];
    const isGroup = conversation.kind === 'group';
    let lastDay = null;
    let lastSender = null;
    const addDay = sentAt => {
      const day = dayKey(sentAt);
      if (day === lastDay) return;
      lastDay = day;
      lastSender = null;
      const label = dayLabel(sentAt);
      result.push({ key: `day:${day}`, version: label, build: () => h('li', { class: 'day-separator' }, h('span', null, label)) });
    };
    for (const message of state.items) {
      addDay(message.sentAt);
      const mine = message.sender?.username === me;
      const status = mine ? receiptStatus(conversation, message.seq, me) : 'received';
      const showSender = isGroup && !mine && lastSender !== message.sender?.username;
      lastSender = message.sender?.username;
      result.push({ key: `m:${message.seq}`, version: `${status}|${showSender}|${message.provisional ? 1 : 0}`, build: () => row(message, { status, showSender }) });
    }
    for (const entry of client.pending(conversationId)) {
      if (state.items.some(message => message.clientMessageId === entry.clientMessageId && message.sender?.username === me)) continue;
      addDay(entry.createdAt);
      lastSender = me;
      const message = { ...entry, sender: { username: me }, sentAt: entry.createdAt };
      result.push({ key: `p:${entry.clientMessageId}`, version: `${entry.state}|${entry.error}`, build: () => row(message, { pending: true, status: entry.state }) });
    }
    return result;
  }

  function render(conversation, state) {
    const wanted = entries(conversation, state);
    const keep = new Set(wanted.map(entry => entry.key));
    for (const [key, existing] of rows) {
      if (!keep.has(key)) {
        existing.li.remove();
        rows.delete(key);
      }
    }
    let previous = null;
    for (const entry of wanted) {
      let current = rows.get(entry.key);
      if (!current || current.version !== entry.version) {
        const li = entry.build();
        if (current) current.li.replaceWith(li);
        current = { li, version: entry.version };
        rows.set(entry.key, current);
      }
      const expected = previous ? previous.nextSibling : element.firstChild;
      if (expected !== current.li) {
        if (previous) previous.after(current.li);
        else element.prepend(current.li);
      }
      previous = current.li;
    }
  }

  return { element, render };
}
