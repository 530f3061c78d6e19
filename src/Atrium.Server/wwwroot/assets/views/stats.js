import { h } from '../dom.js';
import { icon } from '../icons.js';
import { api, ApiError } from '../api.js';
import { mountChart } from '../chart.js';
import { describeError } from '../forms.js';
import { formatDate, formatDateTime, formatNumber, lastDays, percent } from '../format.js';
import { copyButton, linkStatus } from './links.js';

const PERIODS = [7, 30, 90];

function kpi(label, value, note, kind) {
  return h('div', { class: ['card', 'kpi', kind ? `kpi-${kind}` : null] },
    h('p', { class: 'kpi-label' }, label),
    h('p', { class: 'kpi-value', 'data-kpi': kind ?? 'total' }, formatNumber(value)),
    h('p', { class: 'kpi-note' }, note));
}

/** A ranked table with an inline bar per row (the bar's width is set through CSSOM, which the CSP allows). */
function rankTable({ caption, column, rows, empty }) {
  if (rows.length === 0) return h('p', { class: 'table-empty' }, empty);
  const max = Math.max(...rows.map(r => r.clicks));
  const total = rows.reduce((sum, r) => sum + r.clicks, 0);
  return h('table', { class: 'rank-table' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, column), h('th', { scope: 'col', class: 'num' }, 'Clicks'))),
    h('tbody', null, rows.map(row => {
      const bar = h('span', { class: 'rank-bar', 'aria-hidden': 'true' });
      bar.style.setProperty('--share', `${Math.max(2, (row.clicks / max) * 100)}%`);
      return h('tr', null,
        h('th', { scope: 'row', class: 'rank-name' }, h('span', { class: 'rank-label' }, row.name), bar),
        h('td', { class: 'num' }, formatNumber(row.clicks), h('span', { class: 'rank-share' }, ` ${percent(row.clicks, total)}`)));
    })));
}

function periodPicker(selected, onChange) {
  const name = 'period';
  return h('fieldset', { class: 'segmented' },
    h('legend', { class: 'visually-hidden' }, 'Period'),
    PERIODS.map(days => {
      const input = h('input', { type: 'radio', name, value: String(days), id: `period-${days}`, class: 'segmented-input' });
      input.checked = days === selected;
      input.addEventListener('change', () => onChange(days));
      return h('span', { class: 'segmented-item' }, input, h('label', { for: `period-${days}`, class: 'segmented-label' }, `${days} days`));
    }));
}

export function statsView({ params }) {
  const code = params.code;
  const path = `/api/v1/links/${encodeURIComponent(code)}`;
  let days = 30;
  let stopChart = () => {};

  const heading = h('h1', { id: 'page-title', class: 'stats-title', tabindex: '-1' }, `/${code}`);
  const headMeta = h('div', { class: 'stats-meta' });
  const headActions = h('div', { class: 'page-actions' });
  const body = h('div', { class: 'stack', 'aria-live': 'polite', 'aria-busy': 'true' }, skeleton());

  const refreshButton = h('button', { type: 'button', class: 'btn btn-secondary', 'aria-label': 'Refresh statistics' },
    icon('refresh', { size: 16 }), h('span', { class: 'btn-label' }, 'Refresh'));
  refreshButton.addEventListener('click', () => load());

  async function load() {
    body.setAttribute('aria-busy', 'true');
    refreshButton.disabled = true;
    try {
      const [link, stats] = await Promise.all([api(path), api(`${path}/stats?days=${days}`)]);
      renderHead(link);
      renderStats(stats);
    } catch (error) {
      stopChart();
      if (error instanceof ApiError && error.status === 404) {
        headMeta.replaceChildren();
        headActions.replaceChildren();
        body.replaceChildren(h('div', { class: 'card empty' },
          h('p', { class: 'empty-title' }, 'Link not found'),
          h('p', { class: 'empty-text' }, `There is no link /${code} among yours.`),
          h('a', { class: 'btn btn-secondary', href: '#/links' }, 'Back to your links')));
      } else {
        body.replaceChildren(h('div', { class: 'form-alert', role: 'alert' }, icon('alert', { size: 18 }), h('span', null, describeError(error))));
      }
    } finally {
      body.setAttribute('aria-busy', 'false');
      refreshButton.disabled = false;
    }
  }

  function renderHead(link) {
    const status = linkStatus(link);
    headMeta.replaceChildren(
      h('span', { class: ['badge', `badge-${status.key}`] }, status.label),
      h('span', { class: 'stats-created', title: formatDateTime(link.createdAt) }, `Created ${formatDate(link.createdAt)}`),
      h('p', { class: 'stats-target', title: link.url }, h('span', { 'aria-hidden': 'true' }, '→ '),
        // Only a web address becomes a link (the server accepts nothing else; a javascript: URL must never be one).
        h('a', { href: /^https?:\/\//i.test(link.url) ? link.url : null, target: '_blank', rel: 'noopener noreferrer nofollow' }, link.url)));
    if (!headActions.hasChildNodes()) {
      headActions.append(copyButton(link.shortUrl, { className: 'btn btn-secondary', describe: `Copy ${link.shortUrl}` }), refreshButton);
    }
  }

  function renderStats(stats) {
    stopChart();
    const byDate = new Map((stats.perDay ?? []).map(d => [d.date, d]));
    const series = lastDays(stats.days ?? days).map(date => {
      const d = byDate.get(date);
      return { date, humans: d?.humans ?? 0, bots: d?.bots ?? 0 };
    });
    const chartBox = h('div', { class: 'chart-box' });
    const referrers = (stats.topReferrers ?? []).map(r => ({ name: r.host === '(direct)' || !r.host ? 'Direct or unknown' : r.host, clicks: r.clicks }));
    const browsers = (stats.browsers ?? []).map(b => ({ name: b.family, clicks: b.clicks }));

    body.replaceChildren(
      h('div', { class: 'kpis' },
        kpi('Clicks', stats.total, `in the last ${stats.days} days`, 'total'),
        kpi('People', stats.humans, stats.total ? `${percent(stats.humans, stats.total)} of clicks` : 'no clicks yet', 'humans'),
        kpi('Bots', stats.bots, stats.total ? `${percent(stats.bots, stats.total)} of clicks` : 'crawlers, previews', 'bots')),
      h('section', { class: 'card', 'aria-labelledby': 'chart-title' },
        h('div', { class: 'card-head card-head-inline' },
          h('h2', { id: 'chart-title', class: 'card-title' }, 'Clicks per day'),
          h('ul', { class: 'legend', 'aria-label': 'Legend' },
            h('li', null, h('span', { class: 'swatch swatch-humans', 'aria-hidden': 'true' }), 'People'),
            h('li', null, h('span', { class: 'swatch swatch-bots', 'aria-hidden': 'true' }), 'Bots'))),
        chartBox,
        h('p', { class: 'card-foot' }, 'Days are in UTC. New clicks show up within a few seconds.')),
      h('div', { class: 'grid-2' },
        h('section', { class: 'card', 'aria-labelledby': 'referrers-title' },
          h('h2', { id: 'referrers-title', class: 'card-title' }, 'Top referrers'),
          rankTable({ caption: 'Clicks by referring site', column: 'Source', rows: referrers, empty: 'No referrers yet.' })),
        h('section', { class: 'card', 'aria-labelledby': 'browsers-title' },
          h('h2', { id: 'browsers-title', class: 'card-title' }, 'Browsers'),
          rankTable({ caption: 'Clicks by people, by browser', column: 'Browser', rows: browsers, empty: 'No clicks by people yet.' }))));
    stopChart = mountChart(chartBox, series, { title: `Clicks per day for /${stats.code}, last ${stats.days} days` });
  }

  const element = h('div', { class: 'stack' },
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/links' }, icon('back', { size: 16 }), 'All links')),
    h('div', { class: 'page-head' },
      h('div', { class: 'page-head-main' }, heading, headMeta),
      headActions),
    h('div', { class: 'toolbar' }, periodPicker(days, value => { days = value; load(); })),
    body);

  load();
  return { title: `Stats for /${code}`, element, dispose: () => stopChart() };
}

function skeleton() {
  return h('div', { class: 'stack', 'aria-hidden': 'true' },
    h('div', { class: 'kpis' }, [1, 2, 3].map(() => h('div', { class: 'card kpi skeleton' }))),
    h('div', { class: 'card skeleton skeleton-chart' }));
}
