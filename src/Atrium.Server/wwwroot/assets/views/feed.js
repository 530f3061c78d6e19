// The Feed page. Sub-paths (#/feed/…) arrive as params.path:
//   (none)              the home timeline and the compose box   (feed-home.js)
//   @name               a person's profile and posts            (feed-profile.js)
//   @name/followers     who follows them
//   @name/following     whom they follow
import { h } from '../dom.js';
import { feedHomeView } from './feed-home.js';
import { feedProfileView } from './feed-profile.js';

const PROFILE = /^@([A-Za-z0-9_]{1,64})(?:\/(followers|following))?\/?$/;

export function feedView({ params, navigate, user }) {
  // app.js decodes a missing sub-path as the string "undefined" (decodeURIComponent(undefined)); no Feed path is
  // called that (profiles start with @), so it means the home timeline too.
  const path = params.path === undefined || params.path === 'undefined' ? '' : params.path;
  if (path === '' || path === '/') return feedHomeView({ navigate, user });
  const match = path.match(PROFILE);
  if (match) return feedProfileView({ username: match[1].toLowerCase(), section: match[2] ?? 'posts', navigate, user });
  return {
    title: 'Page not found',
    element: h('div', { class: 'stack narrow' },
      h('section', { class: 'card empty', 'aria-labelledby': 'page-title' },
        h('h1', { id: 'page-title', tabindex: '-1', class: 'empty-title' }, 'Page not found'),
        h('p', { class: 'empty-text' }, 'The Feed has no such page. Profiles live at #/feed/@username.'),
        h('a', { class: 'btn btn-secondary', href: '#/feed' }, 'Go to your feed'))),
  };
}
