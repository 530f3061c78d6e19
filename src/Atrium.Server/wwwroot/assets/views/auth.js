import { h } from '../dom.js';
import { logoMark } from '../icons.js';
import { session, ApiError } from '../api.js';
import { field, formAlert, busy, describeError, focusFirstError } from '../forms.js';

const USERNAME = /^[a-z0-9_]{3,32}$/;
const PASSWORD_MIN = 10;
const PASSWORD_MAX = 128;

function authShell({ title, subtitle, form, footer }) {
  return h('div', { class: 'auth' },
    h('div', { class: 'auth-brand', 'aria-hidden': 'true' }, logoMark(40)),
    h('section', { class: 'card auth-card', 'aria-labelledby': 'page-title' },
      h('h1', { id: 'page-title', class: 'auth-title', tabindex: '-1' }, title),
      h('p', { class: 'auth-subtitle' }, subtitle),
      form),
    h('p', { class: 'auth-footer' }, footer));
}

function passwordToggle(input) {
  const button = h('button', { type: 'button', class: 'input-action', 'aria-pressed': 'false', 'aria-label': 'Show password' }, 'Show');
  button.addEventListener('click', () => {
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    button.textContent = show ? 'Hide' : 'Show';
    button.setAttribute('aria-pressed', String(show));
    button.setAttribute('aria-label', show ? 'Hide password' : 'Show password');
  });
  return button;
}

export function signInView({ navigate, returnTo }) {
  const username = field({ label: 'Username', name: 'username', autocomplete: 'username', attrs: { autocapitalize: 'none', spellcheck: 'false', required: true } });
  const password = field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'current-password', attrs: { required: true }, after: passwordToggle });
  const alert = formAlert();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Sign in');
  const form = h('form', { class: 'form', novalidate: true, 'aria-describedby': 'page-title' },
    alert.element, username.element, password.element, submit);

  form.addEventListener('submit', async event => {
    event.preventDefault();
    alert.clear();
    const name = username.input.value.trim();
    username.setError(name ? null : 'Enter your username.');
    password.setError(password.input.value ? null : 'Enter your password.');
    if (!name || !password.input.value) return focusFirstError(form);
    try {
      await busy(submit, 'Signing in…', () => session.signIn(name, password.input.value));
      navigate(returnTo || '#/links');
    } catch (error) {
      alert.show(describeError(error));
      password.input.select();
      password.input.focus();
    }
  });

  return {
    title: 'Sign in',
    element: authShell({
      title: 'Welcome back',
      subtitle: 'Sign in to manage your links and see who clicks them.',
      form,
      footer: ['New to Atrium? ', h('a', { href: '#/signup' }, 'Create an account')],
    }),
    focus: username.input,
  };
}

// Characters as the server counts them (Unicode code points: an emoji is one).
const length = value => [...value].length;

function passwordRules(input, usernameInput) {
  const rules = [
    { text: `${PASSWORD_MIN}–${PASSWORD_MAX} characters`, test: v => length(v) >= PASSWORD_MIN && length(v) <= PASSWORD_MAX },
    { text: 'Not your username', test: v => v.toLowerCase() !== usernameInput.value.trim().toLowerCase() },
    { text: 'Not a common password', test: null },
  ];
  const items = rules.map(rule => h('li', { class: 'rule' }, h('span', { class: 'rule-mark', 'aria-hidden': 'true' }), h('span', { class: 'rule-text' }, rule.text)));
  const update = () => {
    rules.forEach((rule, i) => {
      const met = rule.test ? rule.test(input.value) : null;
      items[i].classList.toggle('rule-met', met === true && input.value.length > 0);
      items[i].classList.toggle('rule-unmet', met === false && input.value.length > 0);
    });
  };
  input.addEventListener('input', update);
  usernameInput.addEventListener('input', update);
  update();
  return h('ul', { class: 'rules', 'aria-label': 'Password rules' }, items);
}

function validateSignUp({ username, displayName, password }) {
  const errors = {};
  const name = username.input.value.trim();
  if (!name) errors.username = 'Choose a username.';
  else if (!USERNAME.test(name)) errors.username = 'Use 3–32 lowercase letters, digits or underscores.';
  if (displayName.input.value.trim().length > 64) errors.displayName = 'Keep your display name to 64 characters or fewer.';
  const pass = password.input.value;
  if (!pass) errors.password = 'Choose a password.';
  else if (length(pass) < PASSWORD_MIN) errors.password = `Use at least ${PASSWORD_MIN} characters.`;
  else if (length(pass) > PASSWORD_MAX) errors.password = `Use at most ${PASSWORD_MAX} characters.`;
  else if (pass.toLowerCase() === name.toLowerCase()) errors.password = 'Choose a password that is not your username.';
  return errors;
}

export function signUpView({ navigate, toast }) {
  const username = field({
    label: 'Username', name: 'username', autocomplete: 'username',
    hint: '3–32 characters: lowercase letters, digits and underscores.',
    attrs: { autocapitalize: 'none', spellcheck: 'false', required: true, maxlength: 32 },
  });
  const displayName = field({ label: 'Display name', name: 'displayName', optional: true, autocomplete: 'name', hint: 'How others see you, e.g. Ada Lovelace.', attrs: { maxlength: 64 } });
  const password = field({
    label: 'Password', name: 'password', type: 'password', autocomplete: 'new-password',
    attrs: { required: true }, after: passwordToggle, hint: input => passwordRules(input, username.input),
  });

  const alert = formAlert();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Create account');
  const form = h('form', { class: 'form', novalidate: true }, alert.element, username.element, displayName.element, password.element, submit);
  const fields = { username, displayName, password };

  // Lowercase as people type: usernames are lowercase, and a capital is the commonest slip.
  username.input.addEventListener('input', () => {
    const lower = username.input.value.toLowerCase();
    if (lower !== username.input.value) username.input.value = lower;
  });

  form.addEventListener('submit', async event => {
    event.preventDefault();
    alert.clear();
    const errors = validateSignUp(fields);
    for (const [key, f] of Object.entries(fields)) f.setError(errors[key] ?? null);
    if (Object.keys(errors).length > 0) return focusFirstError(form);
    try {
      const user = await busy(submit, 'Creating account…', () => session.signUp({
        username: username.input.value.trim(),
        displayName: displayName.input.value.trim(),
        password: password.input.value,
      }));
      toast(`Welcome to Atrium, ${user.displayName || user.username}!`, { kind: 'success' });
      navigate('#/links');
    } catch (error) {
      const message = describeError(error);
      // Put the server's words next to the field they are about.
      const target = error instanceof ApiError && error.status !== 429
        ? (error.status === 409 || /user ?name/i.test(message) ? username
          : /password/i.test(message) ? password
          : /display/i.test(message) ? displayName : null)
        : null;
      if (target) {
        target.setError(message);
        target.input.focus();
      } else {
        alert.show(message);
      }
    }
  });

  return {
    title: 'Create your account',
    element: authShell({
      title: 'Create your account',
      subtitle: 'Short links with live click statistics. Feed and chat are coming soon.',
      form,
      footer: ['Already have an account? ', h('a', { href: '#/signin' }, 'Sign in')],
    }),
    focus: username.input,
  };
}
