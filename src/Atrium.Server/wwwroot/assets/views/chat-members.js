// A conversation's members with their presence, and (in a group) a form to add people.
import { h } from '../dom.js';
import { describeError, field, busy } from '../forms.js';
import { listNames, nameOf } from '../chat-format.js';
import { formatRelative } from '../format.js';
import { avatar } from './chat-list.js';
import { parseUsernames } from './chat-new.js';

/** "Online", "Last seen 5 minutes ago" or "Offline". */
export function presenceText(person) {
  if (person.online) return 'Online';
  return person.lastSeenAt ? `Last seen ${formatRelative(person.lastSeenAt)}` : 'Offline';
}

/** The panel (hidden until its toggle opens it); `render(conversation)` brings it up to date. */
export function membersPanel({ store, conversationId, announce }) {
  const me = store.me;
  const id = `members-${conversationId}`;
  const list = h('ul', { class: 'members-list' });
  const addSlot = h('div', { class: 'members-add' });
  const element = h('section', { id, class: 'members-panel', hidden: true, 'aria-label': 'Members' }, list, addSlot);
  const toggle = h('button', { type: 'button', class: 'btn btn-secondary btn-sm', 'aria-expanded': 'false', 'aria-controls': id }, 'Members');
  toggle.addEventListener('click', () => {
    element.hidden = !element.hidden;
    toggle.setAttribute('aria-expanded', String(!element.hidden));
  });

  function addForm() {
    const names = field({ label: 'Add people', name: 'add-members', hint: 'Usernames, separated by commas.', attrs: { spellcheck: 'false', autocapitalize: 'none' } });
    const submit = h('button', { type: 'submit', class: 'btn btn-secondary btn-sm' }, 'Add');
    const form = h('form', { class: 'members-add-form', novalidate: true }, names.element, submit);
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const usernames = parseUsernames(names.input.value, me);
      if (usernames.length === 0) {
        names.setError('Enter at least one username.');
        return;
      }
      try {
        await busy(submit, 'Adding…', () => store.addMembers(conversationId, usernames));
        names.input.value = '';
        announce(`Added ${listNames(usernames)}.`);
      } catch (error) {
        names.setError(describeError(error));
        names.input.focus();
      }
    });
    return form;
  }

  function render(conversation) {
    const byName = (a, b) => (a.username === me ? -1 : b.username === me ? 1 : nameOf(a).localeCompare(nameOf(b)));
    list.replaceChildren(...[...conversation.members].sort(byName).map(member => h('li', { class: 'member' },
      avatar(nameOf(member), member, { size: 'sm' }),
      h('span', { class: 'member-name' }, member.username === me ? `${nameOf(member)} (you)` : nameOf(member)),
      h('span', { class: 'member-username' }, `@${member.username}`),
      h('span', { class: ['member-presence', member.online ? 'is-online' : null] }, member.username === me ? 'Online' : presenceText(member)))));
    if (conversation.kind === 'group' && addSlot.childElementCount === 0) addSlot.append(addForm());
  }

  return { element, toggle, render };
}
