import { h, nextId } from './dom.js';
import { icon } from './icons.js';
import { ApiError } from './api.js';

/**
 * A labelled form field with an optional hint and an error slot, wired for assistive technology
 * (label for=, aria-describedby, aria-invalid). Returns { element, input, setError, clear }.
 */
export function field({ label, name, type = 'text', hint, optional = false, prefix, autocomplete, attrs = {}, after }) {
  const id = nextId(name);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const input = h('input', { id, name, type, class: 'input', autocomplete: autocomplete ?? 'off', 'aria-describedby': hint ? hintId : null, ...attrs });
  const error = h('p', { id: errorId, class: 'field-error', hidden: true });
  const labelEl = h('label', { for: id, class: 'label' }, label, optional ? h('span', { class: 'label-optional' }, ' (optional)') : null);
  const afterEl = typeof after === 'function' ? after(input) : after;
  const control = prefix || afterEl
    ? h('div', { class: ['input-group', afterEl ? 'has-action' : null] },
      prefix ? h('span', { class: 'input-prefix', 'aria-hidden': 'true' }, prefix) : null, input, afterEl)
    : input;
  const hintContent = typeof hint === 'function' ? hint(input) : hint;
  const hintEl = typeof hintContent === 'string' ? h('p', { id: hintId, class: 'hint' }, hintContent)
    : hintContent ? h('div', { id: hintId, class: 'hint' }, hintContent) : null;
  const element = h('div', { class: 'field' }, labelEl, control, hintEl, error);

  function setError(message) {
    if (!message) return clear();
    error.replaceChildren(icon('alert', { size: 16 }), h('span', null, message));
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', [hint ? hintId : null, errorId].filter(Boolean).join(' '));
    element.classList.add('has-error');
  }

  function clear() {
    error.hidden = true;
    error.replaceChildren();
    input.removeAttribute('aria-invalid');
    if (hint) input.setAttribute('aria-describedby', hintId);
    else input.removeAttribute('aria-describedby');
    element.classList.remove('has-error');
  }

  input.addEventListener('input', () => { if (element.classList.contains('has-error')) clear(); });
  return { element, input, setError, clear };
}

/** A form-level error banner (role=alert: read out as soon as it appears). */
export function formAlert() {
  const element = h('div', { class: 'form-alert', role: 'alert', hidden: true });
  return {
    element,
    show(message) {
      element.replaceChildren(icon('alert', { size: 18 }), h('span', null, message));
      element.hidden = false;
    },
    clear() {
      element.hidden = true;
      element.replaceChildren();
    },
  };
}

/** Puts a submit button into its busy state while `work` runs. */
export async function busy(button, label, work) {
  const original = [...button.childNodes];
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.replaceChildren(h('span', { class: 'spinner', 'aria-hidden': 'true' }), label);
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.replaceChildren(...original);
  }
}

/** What to tell a person about a failed request. */
export function describeError(error) {
  if (error instanceof ApiError) {
    if (error.status === 429) {
      return error.retryAfter ? `Too many attempts. Try again in ${error.retryAfter} s.` : 'Too many attempts. Try again in a moment.';
    }
    if (error.detail) return error.detail;
    if (error.status >= 500) return 'Atrium had a problem answering. Try again in a moment.';
    return error.title ?? `Request failed (${error.status}).`;
  }
  return error?.message ?? 'Something went wrong.';
}

/** Focuses the first invalid field of a form, so keyboard and screen-reader users land on the problem. */
export function focusFirstError(form) {
  form.querySelector('[aria-invalid="true"]')?.focus();
}
