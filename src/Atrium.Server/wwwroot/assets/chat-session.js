// The chat connection and state of the signed-in user, shared by the Chat views. The router disposes a view
// and builds the next one at once, so moving between conversations keeps the socket; leaving the Chat page
// (or signing out) closes it.
import { ChatClient } from './chat-client.js';
import { ChatStore } from './chat-store.js';

let current = null; // { user, client, store, users, closeTimer }

function close(session) {
  clearTimeout(session.closeTimer);
  session.client.stop();
  session.store.dispose();
  if (current === session) current = null;
}

/** The chat of `user`, started on first use. Pair each call with releaseChat(). */
export function acquireChat(user) {
  if (current && current.user.username !== user.username) {
    close(current);
  }
  if (current) {
    clearTimeout(current.closeTimer);
    current.closeTimer = null;
    current.users += 1;
    return current;
  }
  const client = new ChatClient(user);
  const store = new ChatStore(user.username);
  client.subscribe(event => {
    store.apply(event);
    // Started live without a resume cursor: what happened before is fetched over HTTP.
    if (event.type === 'welcome' && !event.resumed) store.loadList({ refresh: true });
  });
  current = { user, client, store, users: 1, closeTimer: null };
  store.loadList();
  client.start();
  return current;
}

/** A view let go of the chat: it closes unless another Chat view takes it over straight away. */
export function releaseChat(session) {
  session.users -= 1;
  if (session.users > 0) return;
  clearTimeout(session.closeTimer);
  session.closeTimer = setTimeout(() => close(session), 0);
}
