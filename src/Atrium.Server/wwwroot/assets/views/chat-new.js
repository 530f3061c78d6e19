// "New chat": usernames (comma separated) and, for a group, a title. A modal on the native <dialog>.
import { h, nextId } from '../dom.js';
import { ApiError } from '../api.js';
import { field, formAlert, busy, describeError } from '../forms.js';

/** "@ada, bob  carol" → ["ada", "bob", "carol"] (without duplicates and without `me`). */
export function parseUsernames(text, me) {
  const seen = new Set([me.toLowerCase()]);
  const names = [];
  for (const name of text.split(/[\s,;]+/).map(part => part.replace(/^@/, '').trim()).filter(Boolean)) {
    if (seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    names.push(name);
  }
  return names;
}

/** Opens the dialog; `onCreated(conversation)` after the server made (or found) the conversation. */
export function openNewChatDialog({ store, onCreated, returnFocus }) {
  const titleId = nextId('new-chat-title');
  const members = field({
    label: 'Usernames', name: 'members',
    hint: 'Separate several with commas. One person starts a 1:1 chat; more make a group.',
    attrs: { placeholder: 'ada, grace', required: true, spellcheck: 'false', autocapitalize: 'none' },
  });
  const title = field({
    label: 'Group name', name: 'title', optional: true, hint: 'Only for groups. Up to 100 characters.',
    attrs: { maxlength: 100, placeholder: 'Weekend trip' },
  });
  const alert = formAlert();
  const cancel = h('button', { type: 'button', class: 'btn btn-secondary' }, 'Cancel');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Start chat');
  const form = h('form', { class: 'dialog-body form', novalidate: true },
    h('h2', { id: titleId, class: 'dialog-title' }, 'New chat'),
    alert.element, members.element, title.element,
    h('div', { class: 'dialog-actions' }, cancel, submit));
  const dialog = h('dialog', { class: 'dialog chat-dialog', 'aria-labelledby': titleId }, form);

  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    dialog.remove();
    returnFocus?.focus();
  });
  form.addEventListener('submit', async event => {
    event.preventDefault();
    alert.clear();
    const names = parseUsernames(members.input.value, store.me);
    const groupTitle = title.input.value.trim();
    if (names.length === 0) {
      members.setError(members.input.value.trim() ? 'Enter someone other than yourself.' : 'Enter at least one username.');
      members.input.focus();
      return;
    }
    try {
      const conversation = await busy(submit, 'Starting…', () => store.create(names, groupTitle || null));
      dialog.close();
      onCreated(conversation);
    } catch (error) {
      const message = describeError(error);
      if (error instanceof ApiError && error.status === 400 && /title/i.test(message) && !/user/i.test(message)) {
        title.setError(message);
        title.input.focus();
      } else if (error instanceof ApiError && (error.status === 400 || error.status === 404 || error.status === 422)) {
        members.setError(message);
        members.input.focus();
      } else {
        alert.show(message);
      }
    }
  });

  document.body.append(dialog);
  dialog.showModal();
  members.input.focus();
  return dialog;
}
