import { h, toast, confirmDialog } from '../dom.js';
import { icon } from '../icons.js';
import { api, ApiError } from '../api.js';
import { copyText } from '../clipboard.js';
import { field, formAlert, busy, describeError, focusFirstError } from '../forms.js';
import { formatDate, formatDateTime, formatRelative, withoutScheme } from '../format.js';

const ALIAS = /^[A-Za-z0-9_-]{3,64}$/;
const PAGE_SIZE = 20;

/** The state of a link as a person would say it. */
export function linkStatus(link, now = Date.now()) {
  if (link.disabledAt) return { key: 'disabled', label: 'Disabled' };
  if (link.expiresAt && Date.parse(link.expiresAt) <= now) return { key: 'expired', label: 'Expired' };
  return { key: 'active', label: 'Active' };
}

/** A Copy button that says "Copied" for a moment, and announces the result. */
export function copyButton(text, { label = 'Copy', className = 'btn btn-secondary btn-sm', describe } = {}) {
  const content = () => [icon('copy', { size: 16 }), h('span', { class: 'btn-label' }, label)];
  const button = h('button', { type: 'button', class: className, 'aria-label': describe ?? null }, content());
  let timer;
  button.addEventListener('click', async () => {
    const ok = await copyText(text);
    clearTimeout(timer);
    if (ok) {
      button.replaceChildren(icon('check', { size: 16 }), h('span', { class: 'btn-label' }, 'Copied'));
      button.classList.add('is-copied');
      toast('Copied to the clipboard.', { kind: 'success', timeout: 2500 });
      timer = setTimeout(() => { button.replaceChildren(...content()); button.classList.remove('is-copied'); }, 2000);
    } else {
      toast('Could not copy. Select the link and press Ctrl+C (⌘C on a Mac).', { kind: 'error' });
    }
  });
  return button;
}

function statusBadge(link) {
  const status = linkStatus(link);
  return h('span', { class: ['badge', `badge-${status.key}`] }, status.label);
}

function linkMeta(link) {
  const parts = [h('span', { title: formatDateTime(link.createdAt) }, `Created ${formatRelative(link.createdAt)}`)];
  if (link.disabledAt) parts.push(h('span', null, `Disabled ${formatDate(link.disabledAt)}`));
  else if (link.expiresAt) {
    const past = Date.parse(link.expiresAt) <= Date.now();
    parts.push(h('span', { title: formatDateTime(link.expiresAt) }, `${past ? 'Expired' : 'Expires'} ${formatRelative(link.expiresAt)}`));
  }
  if (link.maxVisits) parts.push(h('span', null, `Up to ${link.maxVisits} visits`));
  if (link.permanent) parts.push(h('span', null, 'Permanent (301)'));
  return h('p', { class: 'link-meta' }, parts.flatMap((part, i) => (i === 0 ? [part] : [h('span', { class: 'dot', 'aria-hidden': 'true' }, '·'), part])));
}

function linkRow(link, { onDisabled }) {
  const statsHref = `#/links/${encodeURIComponent(link.code)}/stats`;
  const actions = h('div', { class: 'link-actions' },
    copyButton(link.shortUrl, { describe: `Copy ${withoutScheme(link.shortUrl)}` }),
    h('a', { class: 'btn btn-secondary btn-sm', href: statsHref, 'aria-label': `Stats for ${link.code}` }, icon('chart', { size: 16 }), h('span', { class: 'btn-label' }, 'Stats')));
  if (!link.disabledAt) {
    const disable = h('button', { type: 'button', class: 'btn btn-ghost-danger btn-sm', 'aria-label': `Disable ${link.code}` },
      icon('ban', { size: 16 }), h('span', { class: 'btn-label' }, 'Disable'));
    disable.addEventListener('click', async () => {
      const sure = await confirmDialog({
        title: `Disable /${link.code}?`,
        message: 'People following this link will see a "no longer available" page. Its statistics stay. This cannot be undone.',
        confirm: 'Disable link',
        danger: true,
      });
      if (!sure) return disable.focus();
      try {
        await busy(disable, 'Disabling…', () => api(`/api/v1/links/${encodeURIComponent(link.code)}`, { method: 'DELETE' }));
        toast(`/${link.code} is disabled.`, { kind: 'success' });
        onDisabled({ ...link, disabledAt: new Date().toISOString() });
      } catch (error) {
        toast(describeError(error), { kind: 'error' });
      }
    });
    actions.append(disable);
  }

  return h('li', { class: ['link-row', link.disabledAt ? 'is-disabled' : null], dataset: { code: link.code } },
    h('div', { class: 'link-main' },
      h('div', { class: 'link-title' },
        h('a', { class: 'link-short', href: link.shortUrl, target: '_blank', rel: 'noopener noreferrer' }, withoutScheme(link.shortUrl)),
        statusBadge(link)),
      h('p', { class: 'link-target', title: link.url }, h('span', { class: 'link-arrow', 'aria-hidden': 'true' }, '→ '), link.url),
      linkMeta(link)),
    actions);
}

function resultCard(link) {
  const statsHref = `#/links/${encodeURIComponent(link.code)}/stats`;
  return h('section', { class: 'card result-card', 'aria-labelledby': 'result-title', tabindex: '-1' },
    h('div', { class: 'result-head' },
      h('span', { class: 'result-icon', 'aria-hidden': 'true' }, icon('check', { size: 18 })),
      h('h2', { id: 'result-title', class: 'result-title' }, 'Your short link is ready')),
    h('div', { class: 'result-body' },
      h('a', { class: 'result-link', href: link.shortUrl, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'short-url' }, link.shortUrl),
      h('div', { class: 'result-actions' },
        copyButton(link.shortUrl, { label: 'Copy link', className: 'btn btn-primary', describe: `Copy link ${link.shortUrl}` }),
        h('a', { class: 'btn btn-secondary', href: statsHref }, icon('chart', { size: 16 }), h('span', { class: 'btn-label' }, 'View stats')))),
    h('p', { class: 'result-target', title: link.url }, 'Goes to ', h('span', { class: 'mono' }, link.url)));
}

function shortenForm({ onCreated }) {
  const host = `${location.host}/`;
  const url = field({
    label: 'Long URL', name: 'url', type: 'url',
    attrs: { placeholder: 'https://example.com/a/very/long/address', inputmode: 'url', required: true, spellcheck: 'false', autocapitalize: 'none' },
  });
  const alias = field({
    label: 'Custom alias', name: 'alias', optional: true, prefix: host,
    hint: '3–64 letters, digits, - or _. Leave empty for a random 7-character code.',
    attrs: { placeholder: 'spring-sale', spellcheck: 'false', autocapitalize: 'none', maxlength: 64 },
  });
  const expires = field({ label: 'Expires', name: 'expiresAt', type: 'datetime-local', optional: true, hint: 'In your time zone. After this, the link stops working.' });
  const alert = formAlert();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary shorten-submit' }, icon('link', { size: 18 }), h('span', null, 'Shorten'));
  const form = h('form', { class: 'form shorten-form', novalidate: true, 'aria-label': 'Shorten a link' },
    alert.element,
    h('div', { class: 'shorten-main' }, url.element, submit),
    h('div', { class: 'shorten-options' }, alias.element, expires.element));

  form.addEventListener('submit', async event => {
    event.preventDefault();
    alert.clear();
    let target = url.input.value.trim();
    // People paste "example.com/page": assume https rather than refuse.
    if (target && !/^[a-z][a-z0-9+.-]*:/i.test(target)) target = `https://${target}`;
    const aliasValue = alias.input.value.trim();
    const expiresValue = expires.input.value;

    let urlError = null;
    if (!target) urlError = 'Enter the URL to shorten.';
    else {
      try {
        const parsed = new URL(target);
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') urlError = 'Only http and https links can be shortened.';
      } catch {
        urlError = 'Enter a full web address, like https://example.com/page.';
      }
    }
    url.setError(urlError);
    alias.setError(aliasValue && !ALIAS.test(aliasValue) ? 'Use 3–64 letters, digits, hyphens or underscores.' : null);
    let expiresAt = null;
    if (expiresValue) {
      const when = new Date(expiresValue); // datetime-local is local time; toISOString sends UTC
      if (Number.isNaN(when.getTime())) expires.setError('Enter a valid date and time.');
      else if (when.getTime() <= Date.now()) expires.setError('Choose a time in the future.');
      else { expires.clear(); expiresAt = when.toISOString(); }
    } else expires.clear();
    if (form.querySelector('[aria-invalid="true"]')) return focusFirstError(form);

    const body = { url: target };
    if (aliasValue) body.alias = aliasValue;
    if (expiresAt) body.expiresAt = expiresAt;
    try {
      const link = await busy(submit, 'Shortening…', () => api('/api/v1/links', { method: 'POST', body }));
      form.reset();
      onCreated(link);
    } catch (error) {
      const message = describeError(error);
      const fieldFor = !(error instanceof ApiError) || error.status === 429 ? null
        : error.status === 409 || (aliasValue && /alias/i.test(message)) ? alias
        : /expir/i.test(message) ? expires
        : error.status === 400 || error.status === 422 ? url : null;
      if (fieldFor) {
        fieldFor.setError(message);
        fieldFor.input.focus();
      } else {
        alert.show(message);
      }
    }
  });
  return { form, focus: url.input };
}

export function linksView() {
  // A live region: the new short link is read out as it appears (focus moves to its Copy button).
  const resultSlot = h('div', { class: 'result-slot', 'aria-live': 'polite' });
  const list = h('ul', { class: 'link-list', 'aria-label': 'Your links' });
  const listStatus = h('p', { class: 'list-status', role: 'status' });
  const more = h('button', { type: 'button', class: 'btn btn-secondary', hidden: true }, 'Load more');
  const empty = h('div', { class: 'empty', hidden: true },
    h('span', { class: 'empty-icon', 'aria-hidden': 'true' }, icon('link', { size: 22 })),
    h('p', { class: 'empty-title' }, 'No links yet'),
    h('p', { class: 'empty-text' }, 'Shorten your first URL above. It will show up here with its clicks.'));
  let cursor = null;
  const shown = new Set();

  const replaceRow = link => {
    const old = list.querySelector(`li[data-code="${CSS.escape(link.code)}"]`);
    old?.replaceWith(linkRow(link, { onDisabled: replaceRow }));
  };

  const addLinks = (links, { prepend = false } = {}) => {
    const rows = links.filter(link => !shown.has(link.code)).map(link => {
      shown.add(link.code);
      return linkRow(link, { onDisabled: replaceRow });
    });
    if (prepend) list.prepend(...rows);
    else list.append(...rows);
    empty.hidden = shown.size > 0;
  };

  async function loadPage() {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor) query.set('cursor', cursor);
    listStatus.textContent = shown.size === 0 ? 'Loading your links…' : 'Loading more links…';
    try {
      const page = await api(`/api/v1/links?${query}`);
      addLinks(page.items ?? []);
      cursor = page.nextCursor ?? null;
      more.hidden = !cursor;
      listStatus.textContent = shown.size === 0 ? '' : `${shown.size} link${shown.size === 1 ? '' : 's'} shown${cursor ? '' : ', that is all of them'}.`;
      listStatus.classList.toggle('visually-hidden', true);
    } catch (error) {
      listStatus.classList.remove('visually-hidden');
      listStatus.textContent = `Your links could not be loaded: ${describeError(error)}`;
    }
  }

  more.addEventListener('click', async () => {
    const firstNew = list.children.length;
    await busy(more, 'Loading…', loadPage);
    // Keep keyboard users in place: move focus to the first link that was added.
    list.children[firstNew]?.querySelector('a')?.focus();
  });

  const shorten = shortenForm({
    onCreated: link => {
      const card = resultCard(link);
      resultSlot.replaceChildren(card);
      addLinks([link], { prepend: true });
      card.querySelector('.result-actions .btn')?.focus();
    },
  });

  const element = h('div', { class: 'stack' },
    h('div', { class: 'page-head' },
      h('div', null,
        h('h1', { id: 'page-title', tabindex: '-1' }, 'Links'),
        h('p', { class: 'page-lead' }, 'Shorten long addresses, share them anywhere, and see who clicks.'))),
    h('section', { class: 'card', 'aria-labelledby': 'shorten-title' },
      h('h2', { id: 'shorten-title', class: 'card-title' }, 'Shorten a link'),
      shorten.form),
    resultSlot,
    h('section', { class: 'card card-flush', 'aria-labelledby': 'links-title' },
      h('div', { class: 'card-head' }, h('h2', { id: 'links-title', class: 'card-title' }, 'Your links')),
      listStatus, list, empty,
      h('div', { class: 'list-more' }, more)));

  loadPage();
  return { title: 'Links', element };
}
