// A paged list for the Feed pages: the next page loads when a sentinel below the list scrolls into view
// (IntersectionObserver), or from the "Load more" button (keyboard users, old browsers). Items are keyed, so
// a page that overlaps one already shown, a poll result, or a retried request never shows an item twice.
import { h } from '../dom.js';
import { busy, describeError } from '../forms.js';

/** Compares two decimal Snowflake id strings: newest (largest) first. Ids exceed 2^53, so BigInt. */
export const newestFirst = (a, b) => {
  const x = BigInt(a);
  const y = BigInt(b);
  return x === y ? 0 : x > y ? -1 : 1;
};

/**
 * fetchPage(cursor) resolves to { items, nextCursor }. keyOf(item) names an item; render(item) builds its <li>.
 * With `ordered` (post lists: keys are ids) new items are inserted where their id belongs, newest first;
 * otherwise (people, in follow order) they are appended. Returns the list's element and its controls.
 */
export function infiniteList({ label, noun, fetchPage, keyOf, render, empty, ordered = false }) {
  const list = h('ul', { class: 'feed-list', 'aria-label': label });
  const status = h('p', { class: 'list-status visually-hidden', role: 'status' });
  const error = h('div', { class: 'feed-error', hidden: true });
  const more = h('button', { type: 'button', class: 'btn btn-secondary', hidden: true }, `Load more ${noun.plural}`);
  const sentinel = h('div', { class: 'feed-sentinel', 'aria-hidden': 'true' });
  const element = h('div', { class: 'feed-list-wrap' }, status, list, empty, error, sentinel, h('div', { class: 'list-more' }, more));
  const shown = new Map(); // key → <li>
  const gone = new Set(); // keys removed here (a deleted post): a late page or poll must not bring them back
  let cursor = null;
  let started = false;
  let finished = false;
  let inFlight = null;
  let generation = 0; // a reset() makes the answers of older requests stale

  const count = () => shown.size;
  const updateEmpty = () => { if (empty) empty.hidden = !(started && count() === 0); };
  const describeCount = () => `${count()} ${count() === 1 ? noun.singular : noun.plural} shown${finished ? ', that is all of them' : ''}.`;

  function insert(items) {
    const added = [];
    for (const item of items) {
      const key = keyOf(item);
      if (shown.has(key) || gone.has(key)) continue;
      const row = render(item);
      row.dataset.key = key;
      if (ordered) {
        const before = [...list.children].find(existing => newestFirst(key, existing.dataset.key) < 0);
        list.insertBefore(row, before ?? null);
      } else {
        list.append(row);
      }
      shown.set(key, row);
      added.push(row);
    }
    updateEmpty();
    return added;
  }

  async function loadNext() {
    if (inFlight || finished) return inFlight;
    const mine = generation;
    inFlight = (async () => {
      status.textContent = count() === 0 ? `Loading ${noun.plural}…` : `Loading more ${noun.plural}…`;
      try {
        const page = await fetchPage(cursor);
        if (mine !== generation) return;
        error.hidden = true;
        cursor = page.nextCursor ?? null;
        finished = !cursor;
        started = true;
        inFlight = null;
        insert(page.items ?? []);
        more.hidden = finished;
        status.textContent = describeCount();
      } catch (problem) {
        if (mine !== generation) return;
        status.textContent = '';
        error.replaceChildren(h('p', { role: 'alert' }, `The ${noun.plural} could not be loaded: ${describeError(problem)}`));
        error.hidden = false;
        more.hidden = false; // the button doubles as "try again"
      } finally {
        if (mine === generation) {
          inFlight = null;
          updateEmpty();
          // Re-observing reports the sentinel's state afresh: a short page leaves it in view, load on.
          if (!finished && error.hidden) { observer?.unobserve(sentinel); observer?.observe(sentinel); }
        }
      }
    })();
    return inFlight;
  }

  const observer = 'IntersectionObserver' in window
    ? new IntersectionObserver(entries => {
      if (entries.some(entry => entry.isIntersecting) && started && !finished && error.hidden) loadNext();
    }, { rootMargin: '0px 0px 600px 0px' })
    : null;
  observer?.observe(sentinel);

  more.addEventListener('click', async () => {
    const before = new Set(shown.keys());
    await busy(more, 'Loading…', loadNext);
    // Keep keyboard users in place: focus the first item that was added.
    const first = [...shown.entries()].find(([key]) => !before.has(key))?.[1];
    (first?.querySelector('[data-focus]') ?? first?.querySelector('a'))?.focus();
  });

  return {
    element,
    list,
    /** Loads the first page (again, from the top, after a reset). */
    start: loadNext,
    /** Forgets every item and cursor, then loads the first page. */
    reset() {
      generation += 1;
      inFlight = null;
      cursor = null;
      started = false;
      finished = false;
      shown.clear();
      list.replaceChildren();
      return loadNext();
    },
    insert,
    has: key => shown.has(key) || gone.has(key),
    keys: () => [...shown.keys()],
    count,
    remove(key) {
      const row = shown.get(key);
      if (row) {
        // Focus was on the removed item (its Delete button): move it to the next item, else the page heading.
        const hadFocus = row.contains(document.activeElement) || document.activeElement === document.body;
        const neighbour = row.nextElementSibling ?? row.previousElementSibling;
        row.remove();
        if (hadFocus) (neighbour?.querySelector('[data-focus]') ?? document.getElementById('page-title'))?.focus();
      }
      shown.delete(key);
      gone.add(key);
      updateEmpty();
      status.textContent = describeCount();
    },
    dispose: () => observer?.disconnect(),
  };
}
