// The compose box: a post of 1–500 characters, counted as the server counts them (NFC, trimmed, user-perceived
// characters: an emoji with its modifiers is one).
import { h, nextId } from '../dom.js';
import { icon } from '../icons.js';
import { api, ApiError } from '../api.js';
import { busy, describeError } from '../forms.js';

export const MAX_POST_LENGTH = 500;
const WARN_AT = 20; // characters left when the counter starts to stand out

const graphemes = 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

/** Characters as a person (and the server) counts them, after the server's normalisation. */
export function postLength(text) {
  const normalized = text.normalize('NFC').replace(/\r\n/g, '\n').trim();
  return graphemes ? [...graphemes.segment(normalized)].length : [...normalized].length;
}

/** The first message the server gave for the text, else its detail. */
function problemText(error) {
  if (error instanceof ApiError && error.errors) {
    const [first] = Object.entries(error.errors).find(([key]) => key.toLowerCase() === 'text')?.[1] ?? Object.values(error.errors)[0] ?? [];
    if (first) return first;
  }
  return describeError(error);
}

/** Returns { element, focus }. onPosted(item) receives the created post (201 Item). */
export function composeBox({ onPosted }) {
  const id = nextId('compose');
  const counterId = `${id}-counter`;
  const errorId = `${id}-error`;
  const input = h('textarea', {
    id, name: 'text', class: 'input compose-input', rows: 3, placeholder: 'Share something with the people who follow you…',
    'aria-describedby': counterId, spellcheck: 'true',
  });
  const counter = h('p', { id: counterId, class: 'compose-counter' });
  // Read out only at the edges (close to the limit, over it), not on every keystroke.
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const error = h('p', { id: errorId, class: 'field-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary compose-submit', disabled: true }, icon('feed', { size: 18 }), h('span', null, 'Post'));
  const form = h('form', { class: 'compose', novalidate: true },
    h('label', { for: id, class: 'label compose-label' }, 'Write a post'),
    input,
    error,
    h('div', { class: 'compose-foot' }, counter, announcer, submit));

  let lastZone = 'ok';
  function update() {
    const length = postLength(input.value);
    const left = MAX_POST_LENGTH - length;
    const zone = left < 0 ? 'over' : left <= WARN_AT ? 'warn' : 'ok';
    counter.textContent = left < 0
      ? `${-left} character${left === -1 ? '' : 's'} over the limit of ${MAX_POST_LENGTH}`
      : `${length} / ${MAX_POST_LENGTH}`;
    counter.className = `compose-counter is-${zone}`;
    input.setAttribute('aria-invalid', String(zone === 'over'));
    submit.disabled = length === 0 || left < 0;
    if (zone !== lastZone) {
      announcer.textContent = zone === 'over' ? counter.textContent : zone === 'warn' ? `${left} characters left.` : '';
      lastZone = zone;
    }
  }

  function showError(message) {
    error.replaceChildren(icon('alert', { size: 16 }), h('span', null, message));
    error.hidden = !message;
    input.setAttribute('aria-describedby', message ? `${counterId} ${errorId}` : counterId);
    if (message) input.setAttribute('aria-invalid', 'true');
  }

  input.addEventListener('input', () => {
    if (!error.hidden) showError('');
    update();
  });
  // Ctrl+Enter (⌘+Enter) posts, as in most places people write.
  input.addEventListener('keydown', event => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !submit.disabled) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener('submit', async event => {
    event.preventDefault();
    if (submit.disabled) return;
    showError('');
    try {
      const item = await busy(submit, 'Posting…', () => api('/api/v1/posts', { method: 'POST', body: { text: input.value } }));
      input.value = '';
      update();
      onPosted(item);
      input.focus();
    } catch (failure) {
      update();
      showError(problemText(failure));
      input.focus();
    }
  });

  update();
  return { element: form, focus: input };
}
