// Atrium's web client: a hash router (no server routes needed: every page is "/"), the top bar, and the views.
import { h, toast } from './dom.js';
import { icon, logoMark } from './icons.js';
import { session } from './api.js';
import { signInView, signUpView } from './views/auth.js';
import { linksView } from './views/links.js';
import { statsView } from './views/stats.js';
import { feedView } from './views/feed.js';
import { chatView } from './views/chat.js';
import { notFoundView } from './views/misc.js';

const routes = [
  { pattern: /^\/signin$/, view: signInView, guest: true },
  { pattern: /^\/signup$/, view: signUpView, guest: true },
  { pattern: /^\/links$/, view: linksView, auth: true, nav: 'links' },
  { pattern: /^\/links\/([A-Za-z0-9_-]+)\/stats$/, view: statsView, auth: true, nav: 'links', params: ['code'] },
  // The Feed and Chat views route their own sub-paths (#/feed/…, #/chat/…): `path` is what follows.
  { pattern: /^\/feed(?:\/(.*))?$/, view: feedView, auth: true, params: ['path'], nav: 'feed' },
  { pattern: /^\/chat(?:\/(.*))?$/, view: chatView, auth: true, params: ['path'], nav: 'chat' },
];

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');
let current = null; // the mounted view, for dispose()
let returnTo = null;
let firstRender = true;
let topbarListeners = new AbortController(); // document listeners of the current top bar

const navigate = hash => {
  if (location.hash === hash) render();
  else location.hash = hash;
};

function resolve() {
  const path = location.hash.replace(/^#/, '') || '/';
  for (const route of routes) {
    const match = path.match(route.pattern);
    if (match) {
      const params = Object.fromEntries((route.params ?? []).map((name, i) => [name, match[i + 1] === undefined ? undefined : decodeURIComponent(match[i + 1])]));
      return { route, params, nav: typeof route.nav === 'function' ? route.nav(match) : route.nav };
    }
  }
  return path === '/' ? { redirect: session.user ? '#/links' : '#/signin' } : { route: { view: notFoundView }, params: {} };
}

function render() {
  const target = resolve();
  if (target.redirect) return navigate(target.redirect);
  const { route, params, nav } = target;
  if (route.auth && !session.user) {
    returnTo = location.hash;
    return navigate('#/signin');
  }
  if (route.guest && session.user) return navigate('#/links');

  current?.dispose?.();
  const view = route.view({ params, navigate, toast, user: session.user, returnTo: route.guest ? returnTo : null });
  if (!route.guest) returnTo = null;
  current = view;
  document.title = `${view.title} · Atrium`;
  main.replaceChildren(view.element);
  renderTopbar(nav);
  // After a navigation, move focus into the new page (its first field, or its heading) so keyboard and
  // screen-reader users start there, not on the link they left. Not on first load: there the browser's
  // own order applies, and the first Tab reaches the skip link.
  if (!firstRender) (view.focus ?? main.querySelector('h1') ?? main).focus();
  firstRender = false;
  window.scrollTo(0, 0);
}

function navLink(key, label, iconName, active, soon = false) {
  return h('a', {
    class: ['nav-link', active ? 'is-active' : null, soon ? 'is-soon' : null],
    href: `#/${key}`,
    'aria-current': active ? 'page' : null,
  }, icon(iconName, { size: 18 }), h('span', { class: 'nav-text' }, label), soon ? h('span', { class: 'soon-badge' }, 'soon') : null);
}

function userMenu(user) {
  const menuId = 'user-menu';
  const name = user.displayName || user.username;
  const initials = name.split(/\s+/).filter(Boolean).slice(0, 2).map(part => part[0].toUpperCase()).join('') || '?';
  // Named by its content ("Ada Lovelace (account menu)"), so the accessible name contains the visible text.
  const toggle = h('button', { type: 'button', class: 'user-button', 'aria-expanded': 'false', 'aria-controls': menuId },
    h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials),
    h('span', { class: 'user-name' }, name),
    h('span', { class: 'visually-hidden' }, '(account menu)'),
    icon('chevron', { size: 16, className: 'chevron' }));
  const signOut = h('button', { type: 'button', class: 'menu-item' }, icon('logout', { size: 18 }), 'Sign out');
  const panel = h('div', { id: menuId, class: 'menu', hidden: true },
    h('div', { class: 'menu-head' },
      h('p', { class: 'menu-name' }, name),
      h('p', { class: 'menu-username' }, `@${user.username}`)),
    signOut);
  const wrapper = h('div', { class: 'user' }, toggle, panel);

  const setOpen = open => {
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) signOut.focus();
  };
  toggle.addEventListener('click', () => setOpen(panel.hidden));
  wrapper.addEventListener('keydown', event => {
    if (event.key === 'Escape' && !panel.hidden) {
      setOpen(false);
      toggle.focus();
    }
  });
  wrapper.addEventListener('focusout', event => {
    if (!wrapper.contains(event.relatedTarget)) setOpen(false);
  });
  document.addEventListener('click', event => { if (!wrapper.contains(event.target)) setOpen(false); }, { signal: topbarListeners.signal });
  signOut.addEventListener('click', async () => {
    await session.signOut();
  });
  return wrapper;
}

function renderTopbar(active) {
  topbarListeners.abort();
  topbarListeners = new AbortController();
  const user = session.user;
  const brand = h('a', { class: 'brand', href: user ? '#/links' : '#/signin', 'aria-label': 'Atrium home' }, logoMark(30), h('span', { class: 'brand-name' }, 'Atrium'));
  const inner = user
    ? [brand,
      h('nav', { class: 'nav', 'aria-label': 'Main' },
        navLink('links', 'Links', 'link', active === 'links'),
        navLink('feed', 'Feed', 'feed', active === 'feed'),
        navLink('chat', 'Chat', 'chat', active === 'chat')),
      userMenu(user)]
    : [brand,
      h('nav', { class: 'nav nav-guest', 'aria-label': 'Account' },
        h('a', { class: ['nav-link', location.hash === '#/signin' ? 'is-active' : null], href: '#/signin' }, 'Sign in'),
        h('a', { class: 'btn btn-primary btn-sm', href: '#/signup' }, 'Create account'))];
  topbar.replaceChildren(h('div', { class: 'topbar-inner' }, inner));
}

session.subscribe(({ reason }) => {
  if (reason === 'signed-out') {
    toast('You are signed out.', { kind: 'info' });
    navigate('#/signin');
  } else if (reason === 'expired') {
    toast('Your session has ended. Please sign in again.', { kind: 'error' });
    returnTo = location.hash;
    navigate('#/signin');
  }
});

// The skip link must not change the hash (the router owns it).
document.getElementById('skip-link')?.addEventListener('click', event => {
  event.preventDefault();
  main.focus();
});

window.addEventListener('hashchange', render);

await session.restore();
render();
