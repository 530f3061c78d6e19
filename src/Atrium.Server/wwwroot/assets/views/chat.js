// The Chat page. `#/chat` is the conversation list; `#/chat/<conversationId>` opens one next to it (on a phone,
// instead of it). Live updates come from one socket shared by both routes (chat-session.js).
import { h } from '../dom.js';
import { icon } from '../icons.js';
import { acquireChat, releaseChat } from '../chat-session.js';
import { conversationTitle, nameOf } from '../chat-format.js';
import { conversationList } from './chat-list.js';
import { conversationPane } from './chat-conversation.js';
import { openNewChatDialog } from './chat-new.js';

const CONNECTION_TEXT = {
  idle: '',
  connecting: 'Connecting…',
  online: '',
  offline: 'Offline: reconnecting. Messages you write are sent when the connection is back.',
  ended: 'Your session has ended. Sign in again to chat.',
};
const PHONE = '(max-width: 760px)';

export function chatView({ params, navigate, user }) {
  // The router passes the text after "#/chat/" (the string "undefined" when there is none).
  const path = params.path && params.path !== 'undefined' ? params.path.replace(/\/+$/, '') : '';
  const conversationId = path || null;
  const session = acquireChat(user);
  const { client, store } = session;
  const disposers = [];
  let dialog = null;

  // One polite live region for the whole page: new messages and results are read out from here.
  const announcer = h('div', { class: 'visually-hidden', 'aria-live': 'polite', 'data-testid': 'chat-announcer' });
  const announce = text => {
    announcer.textContent = '';
    // A fresh text node after a tick, so repeating the same words is still announced.
    setTimeout(() => { announcer.textContent = text; }, 50);
  };

  const connection = h('p', { class: 'chat-connection', role: 'status' });
  const renderConnection = () => {
    const text = CONNECTION_TEXT[client.status] ?? '';
    connection.textContent = text;
    connection.dataset.status = client.status;
    connection.hidden = !text;
  };

  const newChat = h('button', { type: 'button', class: 'btn btn-primary btn-sm chat-new-button' }, icon('chat', { size: 16 }), h('span', null, 'New chat'));
  newChat.addEventListener('click', () => {
    dialog = openNewChatDialog({
      store,
      returnFocus: newChat,
      onCreated: conversation => navigate(`#/chat/${conversation.id}`),
    });
  });

  const list = conversationList({ store, onRetry: () => store.loadList({ refresh: true }) });
  const sidebar = h('section', { class: 'chat-sidebar', 'aria-labelledby': 'chat-list-title' },
    h('h2', { id: 'chat-list-title', class: 'chat-sidebar-title' }, 'Conversations'),
    list.element);

  let pane = null;
  let main;
  if (conversationId) {
    pane = conversationPane({ session, conversationId, navigate, announce });
    main = pane.element;
  } else {
    main = h('section', { class: 'chat-conversation chat-placeholder', 'aria-label': 'No conversation open' },
      h('span', { class: 'empty-icon', 'aria-hidden': 'true' }, icon('chat', { size: 22 })),
      h('p', { class: 'empty-title' }, 'Pick a conversation'),
      h('p', { class: 'empty-text' }, 'Or start a new one: a 1:1 with one username, a group with several.'));
  }

  const head = h('div', { class: 'chat-head' },
    h('h1', { id: 'page-title', tabindex: '-1' }, 'Chat'),
    newChat);
  const element = h('div', { class: 'chat-page', dataset: { screen: conversationId ? 'conversation' : 'list' } },
    head,
    connection,
    h('div', { class: 'chat-layout card card-flush' }, sidebar, main),
    announcer);

  const baseTitle = () => {
    const conversation = conversationId ? store.conversations.get(conversationId) : null;
    return conversation ? `${conversationTitle(conversation, store.me)} · Chat` : 'Chat';
  };
  const render = () => {
    list.render(conversationId);
    const unread = [...store.conversations.values()].reduce((sum, c) => sum + (c.unread ?? 0), 0);
    if (element.isConnected) document.title = `${unread ? `(${unread}) ` : ''}${baseTitle()} · Atrium`;
  };
  disposers.push(store.subscribe(change => {
    if (change.kind !== 'typing' && change.kind !== 'messages') render();
  }));
  disposers.push(client.subscribe(event => {
    if (event.type === 'status') renderConnection();
    // A live message elsewhere than the open conversation: say who wrote (the open one announces itself).
    if (event.type === 'message' && event.live && event.message.sender?.username !== store.me && event.message.conversationId !== conversationId) {
      const conversation = store.conversations.get(event.message.conversationId);
      const where = conversation?.kind === 'group' ? ` in ${conversationTitle(conversation, store.me)}` : '';
      announce(`New message from ${nameOf(event.message.sender)}${where}.`);
    }
  }));
  renderConnection();
  render();

  const phone = window.matchMedia(PHONE).matches;
  return {
    title: conversationId ? 'Conversation · Chat' : 'Chat',
    element,
    // Desktop: straight into the composer. Phone: the heading (no keyboard popping up unasked).
    focus: pane ? (phone ? pane.heading : pane.composerInput) : undefined,
    dispose() {
      for (const dispose of disposers) dispose();
      pane?.dispose();
      if (dialog?.open) dialog.close();
      releaseChat(session);
    },
  };
}
