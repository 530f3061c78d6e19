// One conversation: its messages (older pages load as you scroll up), receipts on your own messages, who is
// typing, the members and their presence, and the composer.
import { h, s } from '../dom.js';
import { icon } from '../icons.js';
import { ApiError } from '../api.js';
import { describeError, busy } from '../forms.js';
import { cleanMessageText } from '../chat-client.js';
import { conversationTitle, directPeer, nameOf, othersIn, typingText } from '../chat-format.js';
import { avatar } from './chat-list.js';
import { messageTimeline } from './chat-messages.js';
import { membersPanel, presenceText } from './chat-members.js';

const MAX_LENGTH = 4000;
const NEAR_BOTTOM_PX = 48;
const sendIcon = () => s('svg', { class: 'icon', viewBox: '0 0 24 24', width: 18, height: 18, 'aria-hidden': 'true', focusable: 'false' },
  s('path', { d: 'M4.5 12L3 4.5l18 7.5-18 7.5L4.5 12z' }), s('path', { d: 'M4.5 12H12' }));

export function conversationPane({ session, conversationId, navigate, announce }) {
  const { client, store } = session;
  const me = store.me;
  const disposers = [];
  let conversation = null;
  let loadingOlder = false;
  let stickToBottom = true;
  let firstPaint = true;

  // ——— header and members ———
  const heading = h('h2', { id: 'conversation-title', class: 'conversation-title', tabindex: '-1' }, 'Conversation');
  const subtitle = h('p', { class: 'conversation-sub' });
  const headAvatar = h('span', { class: 'conversation-avatar' });
  const members = membersPanel({ store, conversationId, announce });
  const back = h('a', { class: 'btn btn-secondary btn-sm conversation-back', href: '#/chat', 'aria-label': 'Back to conversations' },
    icon('back', { size: 16 }), h('span', { class: 'btn-label' }, 'Chats'));
  const header = h('header', { class: 'conversation-head' }, back, headAvatar,
    h('div', { class: 'conversation-heading' }, heading, subtitle), members.toggle);

  // ——— messages ———
  const older = h('button', { type: 'button', class: 'btn btn-secondary btn-sm', hidden: true }, 'Load earlier messages');
  const beginning = h('p', { class: 'history-start', hidden: true }, 'This is the beginning of the conversation.');
  const timeline = messageTimeline({ me, client, conversationId });
  const scroller = h('div', { class: 'conversation-scroll', tabindex: '0', role: 'region', 'aria-label': 'Messages' },
    h('div', { class: 'history-top' }, older, beginning), timeline.element);
  const jump = h('button', { type: 'button', class: 'btn btn-primary btn-sm jump-latest', hidden: true }, icon('chevron', { size: 16 }), 'New messages');
  const typingLine = h('p', { class: 'typing-indicator', 'data-testid': 'typing-indicator' });

  // ——— composer ———
  const input = h('textarea', {
    id: `composer-${conversationId}`, class: 'composer-input', rows: 1, maxlength: MAX_LENGTH, placeholder: 'Write a message…',
    'aria-describedby': `composer-hint-${conversationId}`, enterkeyhint: 'send',
  });
  const composerLabel = h('label', { for: input.id, class: 'visually-hidden' }, 'Message');
  const hint = h('p', { id: `composer-hint-${conversationId}`, class: 'visually-hidden' }, 'Enter sends, Shift+Enter starts a new line.');
  const sendButton = h('button', { type: 'submit', class: 'btn btn-primary composer-send', 'aria-label': 'Send' }, sendIcon());
  const composerError = h('p', { class: 'composer-error', role: 'alert', hidden: true });
  const composer = h('form', { class: 'composer', 'aria-label': 'Send a message' }, composerLabel, hint, input, sendButton);

  const element = h('section', { class: 'chat-conversation', 'aria-labelledby': 'conversation-title' },
    header, members.element, h('div', { class: 'conversation-body' }, scroller, jump), typingLine, composerError, composer);

  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX;
  const scrollToBottom = () => { scroller.scrollTop = scroller.scrollHeight; };

  function autosize() {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, 180)}px`;
  }

  function send() {
    const text = cleanMessageText(input.value);
    if (!text || !conversation) return;
    if (text.length > MAX_LENGTH) {
      composerError.textContent = `A message can have up to ${MAX_LENGTH.toLocaleString()} characters.`;
      composerError.hidden = false;
      return;
    }
    composerError.hidden = true;
    client.send(conversationId, text);
    client.resetTyping(conversationId);
    input.value = '';
    autosize();
    stickToBottom = true;
    renderMessages();
    scrollToBottom();
  }

  composer.addEventListener('submit', event => {
    event.preventDefault();
    send();
    input.focus();
  });
  input.addEventListener('keydown', event => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      send();
    }
  });
  input.addEventListener('input', () => {
    autosize();
    if (input.value.trim()) client.typing(conversationId);
  });

  // ——— reading ———
  function markRead() {
    if (!conversation || document.visibilityState !== 'visible' || !element.isConnected || element.offsetParent === null || !nearBottom()) return;
    const items = store.messages.get(conversationId)?.items ?? [];
    const seq = items.length ? items[items.length - 1].seq : 0;
    if (seq > store.myReadUpTo(conversation)) {
      store.markRead(conversationId, seq);
      client.read(conversationId, seq);
    }
  }

  scroller.addEventListener('scroll', () => {
    stickToBottom = nearBottom();
    if (stickToBottom) jump.hidden = true;
    markRead();
    if (scroller.scrollTop < 80 && !older.hidden && !loadingOlder) loadOlder();
  }, { passive: true });
  jump.addEventListener('click', () => {
    scrollToBottom();
    jump.hidden = true;
    input.focus();
  });
  const onVisible = () => markRead();
  document.addEventListener('visibilitychange', onVisible);
  disposers.push(() => document.removeEventListener('visibilitychange', onVisible));

  async function loadOlder() {
    loadingOlder = true;
    const fromBottom = scroller.scrollHeight - scroller.scrollTop;
    const hadFocus = document.activeElement === older;
    try {
      await busy(older, 'Loading…', () => store.loadOlder(conversationId));
      // Keep the reader where they were: the new messages appear above.
      scroller.scrollTop = scroller.scrollHeight - fromBottom;
      if (hadFocus) (older.hidden ? scroller : older).focus();
    } catch (error) {
      announce(`Earlier messages could not be loaded: ${describeError(error)}`);
    } finally {
      loadingOlder = false;
    }
  }
  older.addEventListener('click', () => loadOlder());

  // ——— rendering ———
  function renderHeader() {
    const title = conversationTitle(conversation, me);
    const peer = directPeer(conversation, me);
    heading.textContent = title;
    headAvatar.replaceChildren(avatar(title, peer, { size: 'lg' }));
    input.setAttribute('placeholder', `Message ${title}`);
    composerLabel.textContent = `Message to ${title}`;
    if (peer) subtitle.replaceChildren(h('span', { class: ['presence-text', peer.online ? 'is-online' : null] }, presenceText(peer)));
    else {
      const online = othersIn(conversation, me).filter(member => member.online).length;
      subtitle.textContent = `${conversation.members.length} members${online ? `, ${online} online` : ''}`;
    }
    members.render(conversation);
  }

  function renderMessages() {
    if (!conversation) return;
    const state = store.messages.get(conversationId);
    if (!state?.loaded) return;
    const wasNearBottom = stickToBottom || nearBottom();
    timeline.render(conversation, state);

    older.hidden = !state.hasMore;
    beginning.hidden = state.hasMore || state.items.length === 0;
    if (firstPaint || wasNearBottom) {
      scrollToBottom();
      stickToBottom = true;
    }
    firstPaint = false;
    markRead();
  }

  function renderTyping() {
    const names = [...(store.typing.get(conversationId)?.values() ?? [])];
    typingLine.textContent = typingText(names);
  }

  // ——— live updates ———
  disposers.push(store.subscribe(change => {
    if (change.conversationId && change.conversationId !== conversationId && change.kind !== 'presence') return;
    conversation = store.conversations.get(conversationId) ?? conversation;
    if (!conversation) return;
    if (change.kind === 'typing') return renderTyping();
    if (change.kind === 'conversation' || change.kind === 'presence' || change.kind === 'list') renderHeader();
    if (change.kind === 'messages' && !change.older && !stickToBottom && !nearBottom()) jump.hidden = false;
    return renderMessages();
  }));
  disposers.push(client.subscribe(event => {
    if (event.type === 'outbox' && event.conversationId === conversationId) renderMessages();
    if (event.type === 'message' && event.live && event.message.conversationId === conversationId && event.message.sender?.username !== me) {
      announce(`${nameOf(event.message.sender)}: ${event.message.text}`);
    }
    if (event.type === 'welcome' && !event.resumed && store.messages.get(conversationId)?.loaded) {
      store.loadLatest(conversationId, { refresh: true }).catch(() => {});
    }
  }));

  async function load() {
    try {
      conversation = await store.conversation(conversationId);
      renderHeader();
      await store.loadLatest(conversationId);
      renderMessages();
    } catch (error) {
      const missing = error instanceof ApiError && (error.status === 404 || error.status === 400);
      element.replaceChildren(h('div', { class: 'conversation-empty' },
        h('h2', { id: 'conversation-title', class: 'empty-title', tabindex: '-1' }, missing ? 'Conversation not found' : 'This conversation could not be loaded'),
        h('p', { class: 'empty-text' }, missing ? 'It does not exist, or you are not one of its members.' : describeError(error)),
        h('a', { class: 'btn btn-secondary', href: '#/chat', onClick: event => { event.preventDefault(); navigate('#/chat'); } }, 'All conversations')));
    }
  }
  load();

  return {
    element,
    composerInput: input,
    heading,
    dispose() {
      for (const dispose of disposers) dispose();
    },
  };
}
