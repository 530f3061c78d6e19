// One post in a timeline, and the small people helpers the Feed pages share (avatars, profile links).
import { h, toast, confirmDialog } from '../dom.js';
import { api } from '../api.js';
import { describeError } from '../forms.js';
import { formatDateTime, formatRelative } from '../format.js';

/** The hash of a person's profile (#/feed/@ada), or of one of its sections. */
export const profileHref = (username, section) => `#/feed/@${encodeURIComponent(username)}${section ? `/${section}` : ''}`;

/** Two initials on a coloured disc; decorative (the name is always next to it). */
export function avatar(author, size = 'md') {
  const name = author.displayName || author.username;
  const initials = name.split(/\s+/).filter(Boolean).slice(0, 2).map(part => [...part][0].toUpperCase()).join('') || '?';
  // A stable hue per username, so a person keeps their colour across pages.
  let hash = 0;
  for (const char of author.username) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  return h('span', { class: ['feed-avatar', `feed-avatar-${size}`, `hue-${hash % 6}`], 'aria-hidden': 'true' }, initials);
}

/** A <time> that says "5 minutes ago"; refreshRelativeTimes() keeps it current. */
export function relativeTime(iso) {
  return h('time', { datetime: iso, title: formatDateTime(iso), 'data-relative': '' }, formatRelative(iso));
}

export function refreshRelativeTimes(root) {
  for (const time of root.querySelectorAll('time[data-relative]')) time.textContent = formatRelative(time.getAttribute('datetime'));
}

/**
 * A post as a list item. The text is a text node (never markup) and keeps its line breaks (CSS pre-wrap).
 * The author may delete it (after a confirmation); onDeleted(id) then takes it off the list.
 */
export function postItem({ post, author }, { me, onDeleted }) {
  const headingId = `post-${post.id}-author`;
  const mine = me && author.username === me.username;
  const article = h('article', { class: 'post', 'aria-labelledby': headingId, tabindex: '-1', 'data-focus': '' },
    avatar(author),
    h('div', { class: 'post-body' },
      h('p', { class: 'post-head' },
        h('a', { id: headingId, class: 'post-author', href: profileHref(author.username) },
          h('span', { class: 'post-name' }, author.displayName || author.username), ' ',
          h('span', { class: 'post-username' }, `@${author.username}`)),
        h('span', { class: 'dot', 'aria-hidden': 'true' }, '·'),
        relativeTime(post.createdAt)),
      h('p', { class: 'post-text', 'data-testid': 'post-text' }, post.text)));

  if (mine) {
    const remove = h('button', { type: 'button', class: 'btn btn-ghost-danger btn-sm post-delete', 'aria-label': `Delete your post from ${formatRelative(post.createdAt)}` }, 'Delete');
    remove.addEventListener('click', async () => {
      const sure = await confirmDialog({
        title: 'Delete this post?',
        message: 'It disappears from your profile and from your followers\u2019 timelines. This cannot be undone.',
        confirm: 'Delete post',
        danger: true,
      });
      if (!sure) return remove.focus();
      remove.disabled = true;
      try {
        await api(`/api/v1/posts/${encodeURIComponent(post.id)}`, { method: 'DELETE' });
        toast('Your post is deleted.', { kind: 'success' });
        onDeleted?.(post.id);
      } catch (error) {
        remove.disabled = false;
        toast(describeError(error), { kind: 'error' });
      }
    });
    article.querySelector('.post-head').append(remove);
  }
  return h('li', { class: 'post-item', dataset: { id: post.id } }, article);
}

/** A person in a followers / following list. */
export function personItem(author) {
  return h('li', { class: 'person-item' },
    avatar(author),
    h('a', { class: 'person-link', href: profileHref(author.username), 'data-focus': '' },
      h('span', { class: 'post-name' }, author.displayName || author.username), ' ',
      h('span', { class: 'post-username' }, `@${author.username}`)));
}
