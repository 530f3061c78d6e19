import { h } from '../dom.js';
import { icon } from '../icons.js';

const SOON = {
  feed: {
    title: 'Feed',
    icon: 'feed',
    lead: 'Follow people and read their posts in one timeline.',
    points: ['Posts from the people you follow, newest first', 'Fast timelines, even for accounts with millions of followers', 'Share your short links with your followers'],
  },
  chat: {
    title: 'Chat',
    icon: 'chat',
    lead: 'Talk one to one or in groups, in real time.',
    points: ['Messages that arrive once, in order, even after a reconnect', 'Delivery and read receipts', 'Groups of up to 1,024 people'],
  },
};

export function soonView({ params }) {
  const product = SOON[params.product];
  return {
    title: `${product.title} (coming soon)`,
    element: h('div', { class: 'stack narrow' },
      h('section', { class: 'card soon', 'aria-labelledby': 'page-title' },
        h('span', { class: 'soon-icon', 'aria-hidden': 'true' }, icon(product.icon, { size: 26 })),
        h('p', { class: 'eyebrow' }, 'Coming soon'),
        h('h1', { id: 'page-title', tabindex: '-1' }, product.title),
        h('p', { class: 'page-lead' }, product.lead),
        h('ul', { class: 'soon-points' }, product.points.map(p => h('li', null, icon('check', { size: 16 }), h('span', null, p)))),
        h('a', { class: 'btn btn-primary', href: '#/links' }, 'Back to Links'))),
  };
}

export function notFoundView() {
  return {
    title: 'Page not found',
    element: h('div', { class: 'stack narrow' },
      h('section', { class: 'card empty', 'aria-labelledby': 'page-title' },
        h('h1', { id: 'page-title', tabindex: '-1', class: 'empty-title' }, 'Page not found'),
        h('p', { class: 'empty-text' }, 'This page does not exist in Atrium.'),
        h('a', { class: 'btn btn-secondary', href: '#/links' }, 'Go to your links'))),
  };
}
