// The Chat page's conversation list: most recent first, last message, unread badge, presence of the other
// person in a 1:1. Rows are kept by conversation id and updated in place, so focus stays where it is.
import { h } from '../dom.js';
import { describeError } from '../forms.js';
import { conversationTitle, directPeer, hue, initials, listTime, nameOf } from '../chat-format.js';

/** An avatar with initials; a presence dot when `person` is given (a 1:1). Decorative: the row says it in words. */
export function avatar(label, person, { size = 'md' } = {}) {
  return h('span', { class: ['chat-avatar', `chat-avatar-${size}`, hue(label)], 'aria-hidden': 'true' },
    initials(label),
    person ? h('span', { class: ['presence-dot', person.online ? 'is-online' : null] }) : null);
}

function preview(conversation, me) {
  const message = conversation.lastMessage;
  if (!message) return conversation.kind === 'group' ? 'Group created' : 'No messages yet';
  const text = message.text.replace(/\s+/g, ' ');
  if (message.sender?.username === me) return `You: ${text}`;
  return conversation.kind === 'group' ? `${nameOf(message.sender)}: ${text}` : text;
}

function rowContent(conversation, me) {
  const title = conversationTitle(conversation, me);
  const peer = directPeer(conversation, me);
  const unread = conversation.unread ?? 0;
  const when = conversation.lastMessage?.sentAt ?? conversation.createdAt;
  return [
    avatar(title, peer),
    h('span', { class: 'chat-item-main' },
      h('span', { class: 'chat-item-top' },
        h('span', { class: 'chat-item-title' }, title),
        peer ? h('span', { class: 'visually-hidden' }, peer.online ? ' (online)' : ' (offline)') : null,
        h('time', { class: 'chat-item-time', datetime: when }, listTime(when))),
      h('span', { class: 'chat-item-bottom' },
        h('span', { class: 'chat-item-preview' }, preview(conversation, me)),
        unread > 0
          ? h('span', { class: 'unread-badge', 'data-testid': 'unread-badge' },
            unread > 99 ? '99+' : String(unread), h('span', { class: 'visually-hidden' }, unread === 1 ? ' unread message' : ' unread messages'))
          : null)),
  ];
}

/** The list; `render(activeId)` brings it up to date. */
export function conversationList({ store, onRetry }) {
  const list = h('ul', { class: 'chat-list', 'aria-labelledby': 'chat-list-title' });
  const status = h('p', { class: 'chat-list-status', role: 'status' });
  const more = h('button', { type: 'button', class: 'btn btn-secondary btn-sm', hidden: true }, 'Older conversations');
  const rows = new Map(); // id -> { li, link, key }

  more.addEventListener('click', async () => {
    more.disabled = true;
    try { await store.loadMoreConversations(); } catch (error) { status.textContent = describeError(error); }
    more.disabled = false;
  });

  function render(activeId) {
    const me = store.me;
    const conversations = store.sorted();
    const seen = new Set();
    let previous = null;
    for (const conversation of conversations) {
      seen.add(conversation.id);
      let row = rows.get(conversation.id);
      if (!row) {
        const link = h('a', { class: 'chat-item-link', href: `#/chat/${encodeURIComponent(conversation.id)}` });
        row = { li: h('li', { class: 'chat-item', dataset: { conversationId: conversation.id } }, link), link, key: null };
        rows.set(conversation.id, row);
      }
      const key = JSON.stringify([conversation.lastMessage?.seq, conversation.lastMessage?.text, conversation.unread, conversation.title,
        conversation.members.map(m => [m.username, m.displayName, m.online]), activeId === conversation.id]);
      if (key !== row.key) {
        row.key = key;
        row.link.replaceChildren(...rowContent(conversation, me));
        row.li.classList.toggle('has-unread', (conversation.unread ?? 0) > 0);
        row.li.classList.toggle('is-active', activeId === conversation.id);
        if (activeId === conversation.id) row.link.setAttribute('aria-current', 'page');
        else row.link.removeAttribute('aria-current');
      }
      // Keep the order without moving rows that are already in place (moving a focused row loses focus).
      const expectedNext = previous ? previous.nextSibling : list.firstChild;
      if (expectedNext !== row.li) {
        const hadFocus = row.li.contains(document.activeElement);
        if (previous) previous.after(row.li);
        else list.prepend(row.li);
        if (hadFocus) row.link.focus();
      }
      previous = row.li;
    }
    for (const [id, row] of rows) {
      if (!seen.has(id)) {
        row.li.remove();
        rows.delete(id);
      }
    }

    status.replaceChildren();
    status.classList.toggle('visually-hidden', conversations.length > 0);
    if (store.listState === 'loading' && conversations.length === 0) status.textContent = 'Loading your conversations…';
    else if (store.listState === 'error' && conversations.length === 0) {
      status.append(`Your conversations could not be loaded: ${describeError(store.listError)} `,
        h('button', { type: 'button', class: 'btn btn-secondary btn-sm', onClick: onRetry }, 'Try again'));
    } else if (conversations.length === 0) {
      status.append(h('span', { class: 'chat-list-empty-title' }, 'No conversations yet'),
        h('span', { class: 'chat-list-empty-text' }, 'Start one with New chat: one username for a 1:1, several for a group.'));
    } else status.textContent = `${conversations.length} conversation${conversations.length === 1 ? '' : 's'}.`;
    more.hidden = !store.nextCursor;
  }

  const element = h('div', { class: 'chat-list-wrap' }, status, list, h('div', { class: 'chat-list-more' }, more));
  return { element, render };
}
