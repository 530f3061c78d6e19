// #/feed/@name (posts), #/feed/@name/followers and #/feed/@name/following: a person, their counts, a Follow
// toggle, and one paged list.
import { h, toast } from '../dom.js';
import { icon } from '../icons.js';
import { api, ApiError } from '../api.js';
import { describeError } from '../forms.js';
import { formatNumber } from '../format.js';
import { findPersonForm } from './feed-find.js';
import { infiniteList } from './feed-list.js';
import { avatar, personItem, postItem, profileHref, refreshRelativeTimes } from './feed-post.js';

const PAGE_SIZE = 20;
const SECTIONS = {
  posts: { label: 'Posts' },
  followers: { label: 'Followers' },
  following: { label: 'Following' },
};


/**
 * Follow / Unfollow as one toggle button (aria-pressed). Optimistic: the button and the follower count change
 * at once, and go back if the server refuses.
 */
function followButton(social, { describedBy, onChange }) {
  const button = h('button', { type: 'button', class: 'btn follow-button', 'aria-describedby': describedBy });
  let following = social.followedByMe;
  let busyNow = false;
  const paint = () => {
    button.setAttribute('aria-pressed', String(following));
    button.classList.toggle('btn-primary', !following);
    button.classList.toggle('btn-secondary', following);
    // The name stays "Follow" (a toggle's name must not change); its pressed state says whether you do.
    button.replaceChildren(...(following ? [icon('check', { size: 16 })] : []), h('span', null, 'Follow'));
  };
  button.addEventListener('click', async () => {
    if (busyNow) return;
    busyNow = true;
    const next = !following;
    following = next;
    paint();
    onChange(next ? 1 : -1, next);
    try {
      await api(`/api/v1/users/${encodeURIComponent(social.username)}/follow`, { method: next ? 'PUT' : 'DELETE' });
      toast(next ? `You follow @${social.username}. Their new posts reach your timeline.` : `You no longer follow @${social.username}.`, { kind: 'success' });
    } catch (error) {
      following = !next;
      paint();
      onChange(next ? -1 : 1, !next);
      toast(`${next ? 'Could not follow' : 'Could not unfollow'} @${social.username}: ${describeError(error)}`, { kind: 'error' });
    } finally {
      busyNow = false;
    }
  });
  paint();
  return button;
}

/** The profile's head; adjustPosts(delta) keeps the post count right when the owner deletes one here. */
function header(social, { me }) {
  const followers = h('span', { class: 'profile-count-value' });
  const posts = h('span', { class: 'profile-count-value' }, formatNumber(social.posts));
  // The toggle's description: "Follow, toggle button, pressed — You follow @ada."
  const relation = h('p', { id: 'profile-relation', class: 'profile-relation' });
  const setFollowers = n => { followers.textContent = formatNumber(n); };
  const setRelation = following => { relation.textContent = social.isMe ? 'This is you.' : following ? `You follow @${social.username}.` : `You do not follow @${social.username} yet.`; };
  let count = social.followers;
  setFollowers(count);
  setRelation(social.followedByMe);

  const actions = h('div', { class: 'profile-actions' });
  if (!social.isMe) {
    actions.append(followButton(social, {
      describedBy: 'profile-relation',
      onChange: (delta, following) => { count += delta; setFollowers(count); setRelation(following); },
    }));
  } else if (me) {
    actions.append(h('a', { class: 'btn btn-secondary', href: '#/feed' }, 'Write a post'));
  }
  let postCount = social.posts;
  const adjustPosts = delta => { postCount = Math.max(0, postCount + delta); posts.textContent = formatNumber(postCount); };
  const element = h('section', { class: 'card profile-card', 'aria-labelledby': 'page-title' },
    h('div', { class: 'profile-top' },
      avatar(social, 'lg'),
      h('div', { class: 'profile-names' },
        h('h1', { id: 'page-title', tabindex: '-1', class: 'profile-name' }, social.displayName || social.username),
        h('p', { class: 'profile-username' }, `@${social.username}`),
        relation),
      actions),
    h('dl', { class: 'profile-counts' },
      h('div', null, h('dt', null, 'Posts'), h('dd', null, posts)),
      h('div', null, h('dt', null, 'Followers'), h('dd', null, followers)),
      h('div', null, h('dt', null, 'Following'), h('dd', null, h('span', { class: 'profile-count-value' }, formatNumber(social.following))))));
  return { element, adjustPosts };
}

function sectionNav(social, active) {
  return h('nav', { class: 'profile-tabs', 'aria-label': `Sections of @${social.username}'s profile` },
    Object.entries(SECTIONS).map(([key, section]) => h('a', {
      class: ['profile-tab', key === active ? 'is-active' : null],
      href: profileHref(social.username, key === 'posts' ? null : key),
      'aria-current': key === active ? 'page' : null,
    }, section.label)));
}

function sectionList(social, section, { user, onPostDeleted }) {
  const base = `/api/v1/users/${encodeURIComponent(social.username)}`;
  const name = social.isMe ? 'You' : social.displayName || `@${social.username}`;
  const fetchFrom = path => async cursor => {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor) query.set('cursor', cursor);
    return api(`${base}/${path}?${query}`);
  };
  const emptyState = text => h('div', { class: 'empty', hidden: true }, h('p', { class: 'empty-text' }, text));

  if (section === 'posts') {
    const list = infiniteList({
      label: `Posts by @${social.username}`,
      noun: { singular: 'post', plural: 'posts' },
      ordered: true,
      keyOf: item => item.post.id,
      render: item => postItem(item, { me: user, onDeleted: id => { list.remove(id); onPostDeleted(); } }),
      empty: emptyState(social.isMe ? 'You have not posted yet. Write your first post on the Feed page.' : `${name} has not posted yet.`),
      fetchPage: fetchFrom('posts'),
    });
    return list;
  }
  const following = section === 'following';
  return infiniteList({
    label: following ? `People @${social.username} follows` : `People who follow @${social.username}`,
    noun: { singular: 'person', plural: 'people' },
    keyOf: author => author.username,
    render: personItem,
    empty: emptyState(following
      ? `${name} ${social.isMe ? 'do' : 'does'} not follow anyone yet.`
      : `No one follows ${social.isMe ? 'you' : name} yet.`),
    fetchPage: fetchFrom(section),
  });
}

function notFound(username, navigate) {
  return h('div', { class: 'stack narrow' },
    h('section', { class: 'card empty', 'aria-labelledby': 'page-title' },
      h('h1', { id: 'page-title', tabindex: '-1', class: 'empty-title' }, 'No such person'),
      h('p', { class: 'empty-text' }, `No one here has the username @${username}. Check the spelling, or look up someone else.`),
      findPersonForm({ navigate, label: 'Username' }),
      h('a', { class: 'btn btn-secondary', href: '#/feed' }, 'Back to your feed')));
}

export function feedProfileView({ username, section, navigate, user }) {
  let list = null;
  let disposed = false;
  const body = h('div', { class: 'stack', 'aria-busy': 'true' },
    h('div', { class: 'card skeleton profile-skeleton', 'aria-hidden': 'true' }),
    h('p', { class: 'visually-hidden', role: 'status' }, `Loading @${username}…`));
  const element = h('div', { class: 'stack feed-profile' },
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/feed' }, icon('back', { size: 16 }), 'Your feed')),
    body);
  const clock = setInterval(() => refreshRelativeTimes(element), 30_000);

  (async () => {
    try {
      const social = await api(`/api/v1/users/${encodeURIComponent(username)}/social`);
      if (disposed) return;
      document.title = `${social.displayName || social.username} (@${social.username}) · Atrium`;
      const head = header(social, { me: user });
      list = sectionList(social, section, { user, onPostDeleted: () => head.adjustPosts(-1) });
      body.replaceChildren(
        head.element,
        sectionNav(social, section),
        h('section', { class: 'card card-flush', 'aria-labelledby': 'section-title' },
          h('div', { class: 'card-head' }, h('h2', { id: 'section-title', class: 'card-title' }, SECTIONS[section].label)),
          list.element));
      list.start();
    } catch (error) {
      if (disposed) return;
      if (error instanceof ApiError && error.status === 404) {
        element.replaceChildren(notFound(username, navigate));
      } else {
        body.replaceChildren(h('div', { class: 'form-alert', role: 'alert' }, icon('alert', { size: 18 }), h('span', null, `This profile could not be loaded: ${describeError(error)}`)));
      }
    } finally {
      body.setAttribute('aria-busy', 'false');
      // The heading arrived after the router moved focus to <main>: put focus on it, as on every other page.
      if (!disposed && document.activeElement === document.getElementById('main')) {
        element.querySelector('h1')?.focus();
      }
    }
  })();

  return {
    title: `@${username}`,
    element,
    dispose() {
      disposed = true;
      clearInterval(clock);
      list?.dispose();
    },
  };
}
