// "Find a person by username": goes to their profile (#/feed/@name), where they can be followed.
import { h } from '../dom.js';
import { field } from '../forms.js';
import { profileHref } from './feed-post.js';

const USERNAME = /^[a-z0-9_]{3,32}$/;

export function findPersonForm({ navigate, label = 'Find a person by username' }) {
  const name = field({
    label, name: 'find-username', prefix: '@',
    attrs: { autocapitalize: 'none', spellcheck: 'false', maxlength: 33, placeholder: 'username' },
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-secondary' }, 'Go to profile');
  const form = h('form', { class: 'find-person', novalidate: true, role: 'search', 'aria-label': 'Find a person' },
    h('div', { class: 'find-row' }, name.element, submit));

  form.addEventListener('submit', event => {
    event.preventDefault();
    const username = name.input.value.trim().replace(/^@/, '').toLowerCase();
    if (!USERNAME.test(username)) {
      name.setError(username ? 'That is not a username: use 3–32 letters a–z, digits or underscores.' : 'Enter a username.');
      name.input.focus();
      return;
    }
    navigate(profileHref(username));
  });
  return form;
}
