import { s } from './dom.js';

// Stroke icons on a 24×24 grid, drawn for Atrium. Decorative: the button or link next to them carries the name.
const PATHS = {
  copy: ['M9 9h10a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H9a1 1 0 0 1-1-1V10a1 1 0 0 1 1-1z', 'M16 5V4a1 1 0 0 0-1-1H5a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h1'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
  chart: ['M4 20h16', 'M7 16v-5', 'M12 16V6', 'M17 16v-8'],
  ban: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z', 'M5.7 5.7l12.6 12.6'],
  back: ['M19 12H5', 'M11 18l-6-6 6-6'],
  link: ['M10 14a4.2 4.2 0 0 0 6 0l3-3a4.2 4.2 0 0 0-6-6l-1 1', 'M14 10a4.2 4.2 0 0 0-6 0l-3 3a4.2 4.2 0 0 0 6 6l1-1'],
  logout: ['M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3', 'M10 16.5L14.5 12 10 7.5', 'M14.5 12H4'],
  refresh: ['M20 12a8 8 0 1 1-2.4-5.7', 'M20 4v5h-5'],
  external: ['M14 4h6v6', 'M20 4l-8.5 8.5', 'M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5'],
  feed: ['M4 6h16', 'M4 12h16', 'M4 18h10'],
  chat: ['M20 11.5a7.5 7.5 0 0 1-11 6.6L4 19.5l1.4-4.6A7.5 7.5 0 1 1 20 11.5z'],
  chevron: ['M6 9l6 6 6-6'],
  alert: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z', 'M12 7.5v5.5', 'M12 16.3v.2'],
  clock: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z', 'M12 7v5l3 2'],
  sparkle: ['M12 3v4', 'M12 17v4', 'M3 12h4', 'M17 12h4', 'M6 6l2.5 2.5', 'M15.5 15.5L18 18', 'M18 6l-2.5 2.5', 'M8.5 15.5L6 18'],
};

export function icon(name, { size = 18, className = '' } = {}) {
  return s('svg', {
    class: ['icon', className].filter(Boolean).join(' '),
    viewBox: '0 0 24 24', width: size, height: size, 'aria-hidden': 'true', focusable: 'false',
  }, (PATHS[name] ?? []).map(d => s('path', { d })));
}

/** The Atrium mark: an open arch (an atrium) on an indigo tile. */
export function logoMark(size = 30) {
  const gradientId = 'atrium-logo-gradient';
  return s('svg', { class: 'logo-mark', viewBox: '0 0 32 32', width: size, height: size, 'aria-hidden': 'true', focusable: 'false' },
    s('defs', null,
      s('linearGradient', { id: gradientId, x1: '0', y1: '0', x2: '1', y2: '1' },
        s('stop', { offset: '0', 'stop-color': '#6366f1' }),
        s('stop', { offset: '1', 'stop-color': '#8b5cf6' }))),
    s('rect', { width: 32, height: 32, rx: 8, fill: `url(#${gradientId})` }),
    s('path', { d: 'M9.5 24v-8.5a6.5 6.5 0 0 1 13 0V24', fill: 'none', stroke: '#fff', 'stroke-width': 3, 'stroke-linecap': 'round' }),
    s('circle', { cx: 16, cy: 20, r: 2.2, fill: '#fff' }));
}
