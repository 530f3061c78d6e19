// #/feed: compose, the home timeline (infinite scroll), and new posts from a poll, shown when asked for.
import { h } from '../dom.js';
import { icon } from '../icons.js';
import { api } from '../api.js';
import { composeBox } from './feed-compose.js';
import { findPersonForm } from './feed-find.js';
import { infiniteList, newestFirst } from './feed-list.js';
import { postItem, profileHref, refreshRelativeTimes } from './feed-post.js';

const PAGE_SIZE = 20;
const POLL_MS = 10_000;
const SINCE_LIMIT = 40; // the API's maximum; a poll that fills it may have missed some: then reload from the top
const REBUILD_RETRIES = [1500, 2500, 4000, 6000, 8000, 8000, 8000, 8000];

export function feedHomeView({ navigate, user }) {
  let newest = null; // the newest post id the timeline API has given us
  // What the next poll asks for: the newest id known one poll earlier. Fan-out runs on workers, so a post can
  // reach the timeline a moment after a newer one; asking with a one-poll overlap still finds it (and the
  // overlap's known posts are skipped by id).
  let since = null;
  let overflow = false;
  let pollTimer = null;
  let polling = false;
  let disposed = false;
  let rebuildAttempt = 0;
  let regenerating = false;
  const pending = new Map(); // id → item: arrived by poll, not shown until asked for

  const noteNewest = items => {
    for (const { post } of items) if (!newest || newestFirst(post.id, newest) < 0) newest = post.id;
  };

  // ——— The "regenerating" notice: while the server rebuilds a timeline (a new or returning reader), the poll
  // asks again sooner, and the notice goes once the server says the timeline is ready.
  const retryNow = h('button', { type: 'button', class: 'btn btn-secondary btn-sm' }, icon('refresh', { size: 16 }), 'Check again');
  const rebuildText = h('span', null);
  const rebuildSpinner = h('span', { class: 'spinner', 'aria-hidden': 'true' });
  const rebuilding = h('div', { class: 'feed-notice feed-rebuilding', role: 'status', hidden: true }, rebuildSpinner, rebuildText, retryNow);
  retryNow.addEventListener('click', () => { rebuildAttempt = 0; poll(); });

  function setRegenerating(value) {
    regenerating = value;
    rebuilding.hidden = !value;
    if (!value) {
      rebuildAttempt = 0;
      return;
    }
    const exhausted = rebuildAttempt >= REBUILD_RETRIES.length;
    retryNow.hidden = !exhausted;
    rebuildSpinner.hidden = exhausted;
    rebuildText.textContent = exhausted
      ? 'Your timeline is still being brought up to date. Some posts may be missing for a little longer.'
      : 'Your timeline is being brought up to date. Posts may still be missing: checking again in a moment…';
  }

  // ——— The "partial" notice: the server answered in time without some posts (a slow celebrity merge); a reload
  // from the top, now or later, brings them.
  const reloadPartial = h('button', { type: 'button', class: 'btn btn-secondary btn-sm' }, icon('refresh', { size: 16 }), 'Try again');
  const partialNotice = h('div', { class: 'feed-notice feed-partial', role: 'status', hidden: true },
    h('span', null, 'Some posts could not be loaded.'), reloadPartial);
  reloadPartial.addEventListener('click', () => timeline.reset());

  /** Shows the notice when a page was partial; a complete first page clears it. */
  function notePartial(page, first) {
    if (page.partial) partialNotice.hidden = false;
    else if (first) partialNotice.hidden = true;
  }

  /** How long until the next poll: sooner while the timeline is being rebuilt. */
  const nextPollDelay = () => (regenerating && rebuildAttempt < REBUILD_RETRIES.length ? REBUILD_RETRIES[rebuildAttempt++] : POLL_MS);

  // ——— The timeline.
  const empty = h('div', { class: 'empty', hidden: true },
    h('span', { class: 'empty-icon', 'aria-hidden': 'true' }, icon('feed', { size: 22 })),
    h('p', { class: 'empty-title' }, 'Your timeline is empty'),
    h('p', { class: 'empty-text' }, 'Posts from the people you follow show up here, newest first. Ask friends for their username, look them up under “Find people”, and follow them.'));
  const onDeleted = id => timeline.remove(id);
  const timeline = infiniteList({
    label: 'Home timeline',
    noun: { singular: 'post', plural: 'posts' },
    ordered: true,
    keyOf: item => item.post.id,
    render: item => postItem(item, { me: user, onDeleted }),
    empty,
    async fetchPage(cursor) {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (cursor) query.set('cursor', cursor);
      const page = await api(`/api/v1/feed?${query}`);
      noteNewest(page.items ?? []);
      notePartial(page, !cursor);
      if (!cursor) {
        since = newest;
        setRegenerating(Boolean(page.regenerating));
        schedule();
        // A fresh first page holds whatever was waiting.
        pending.clear();
        overflow = false;
        showPending();
      }
      return page;
    },
  });

  // ——— New posts: polled every ~10 s, announced, and put in only when the reader asks (nothing moves under them).
  const announcer = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const showNew = h('button', { type: 'button', class: 'btn btn-primary btn-sm new-posts', hidden: true });

  let announced = 0;
  function showPending() {
    const n = pending.size;
    showNew.hidden = n === 0;
    if (n === 0) { announced = 0; return; }
    const label = overflow ? `Show ${n}+ new posts` : `Show ${n} new post${n === 1 ? '' : 's'}`;
    showNew.replaceChildren(icon('chevron', { size: 16, className: 'new-posts-icon' }), label);
    if (n !== announced) {
      announced = n;
      announcer.textContent = `${overflow ? `${n} or more` : n} new post${n === 1 ? '' : 's'} in your timeline. The “show” button is at the top of the timeline.`;
    }
  }

  showNew.addEventListener('click', async () => {
    const count = pending.size;
    if (overflow) {
      await timeline.reset(); // more arrived than one poll brings: start again from the top
      timeline.list.querySelector('article')?.focus();
    } else {
      const added = new Set(timeline.insert([...pending.values()]));
      pending.clear();
      // Focus the topmost new post: keyboard and screen-reader users start reading there.
      [...timeline.list.children].find(row => added.has(row))?.querySelector('article')?.focus();
    }
    showPending();
    announcer.textContent = `Showing ${count} new post${count === 1 ? '' : 's'}.`;
  });

  async function poll() {
    if (disposed || polling || document.hidden) return schedule();
    polling = true;
    try {
      // Without any id yet (an empty timeline), ask for the first page.
      const known = newest;
      const query = new URLSearchParams({ limit: String(since ? SINCE_LIMIT : PAGE_SIZE) });
      if (since) query.set('since', since);
      const page = await api(`/api/v1/feed?${query}`);
      const items = page.items ?? [];
      // A full answer whose oldest post is new to us may have left a gap below it: the button then reloads.
      const oldest = items.at(-1)?.post.id;
      if (since && items.length >= SINCE_LIMIT && !timeline.has(oldest) && !pending.has(oldest)) overflow = true;
      noteNewest(items);
      since = known ?? since;
      for (const item of items) if (!timeline.has(item.post.id)) pending.set(item.post.id, item);
      showPending();
      setRegenerating(Boolean(page.regenerating));
    } catch {
      // Quiet: the next poll tries again (a signed-out session is handled by the app).
    } finally {
      polling = false;
      refreshRelativeTimes(element);
      schedule();
    }
  }

  function schedule() {
    clearTimeout(pollTimer);
    if (!disposed) pollTimer = setTimeout(poll, nextPollDelay());
  }

  const onVisible = () => { if (!document.hidden) poll(); };
  document.addEventListener('visibilitychange', onVisible);

  // ——— The page.
  const compose = composeBox({
    onPosted: item => {
      timeline.insert([item]);
      announcer.textContent = 'Your post is at the top of your timeline.';
    },
  });

  const element = h('div', { class: 'stack' },
    h('div', { class: 'page-head' },
      h('div', null,
        h('h1', { id: 'page-title', tabindex: '-1' }, 'Feed'),
        h('p', { class: 'page-lead' }, 'Posts from the people you follow, newest first.')),
      h('div', { class: 'page-actions' },
        h('a', { class: 'btn btn-secondary', href: profileHref(user.username) }, 'Your profile'))),
    h('div', { class: 'feed-layout' },
      h('section', { class: 'card feed-compose-card', 'aria-label': 'New post' }, compose.element),
      h('div', { class: 'feed-aside' },
        h('section', { class: 'card', 'aria-labelledby': 'find-title' },
          h('h2', { id: 'find-title', class: 'card-title' }, 'Find people'),
          findPersonForm({ navigate, label: 'Username' }),
          h('p', { class: 'card-foot' }, 'Their profile shows their posts and a Follow button.'))),
      h('section', { class: 'card card-flush feed-timeline', 'aria-labelledby': 'timeline-title' },
        h('div', { class: 'card-head feed-timeline-head' },
          h('h2', { id: 'timeline-title', class: 'card-title' }, 'Home timeline'),
          showNew),
        announcer,
        rebuilding,
        partialNotice,
        timeline.element)));

  timeline.start(); // its first page schedules the first poll

  return {
    title: 'Feed',
    element,
    dispose() {
      disposed = true;
      clearTimeout(pollTimer);
      document.removeEventListener('visibilitychange', onVisible);
      timeline.dispose();
    },
  };
}
