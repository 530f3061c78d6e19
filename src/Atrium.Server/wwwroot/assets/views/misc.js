import { h } from '../dom.js';

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
