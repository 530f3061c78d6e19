import { s, nextId } from './dom.js';
import { formatDay, formatLongDay, formatNumber } from './format.js';

/** Round tick steps (1, 2, 5 × 10^n) so the axis reads 0, 5, 10 rather than 0, 3.7, 7.4. */
function niceTicks(max, count = 4) {
  if (max <= 0) return [0, 1, 2, 3, 4];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  // Clicks are whole numbers: never a step below 1.
  const step = Math.max(1, [1, 2, 5, 10].map(m => m * magnitude).find(candidate => candidate >= rough));
  const ticks = [];
  for (let value = 0; value < max + step; value += step) ticks.push(value);
  return ticks;
}

/**
 * A stacked bar chart of clicks per day (humans, then bots on top) as an accessible SVG: role=img with a
 * <title> and a <desc> summarising the data, a <title> per bar for pointer users, axis labels.
 *
 * days: [{ date: 'YYYY-MM-DD', humans, bots }], oldest first. width: pixels available.
 */
export function clicksChart(days, { width = 640, height = 240, title = 'Clicks per day' } = {}) {
  const margin = { top: 12, right: 20, bottom: 28, left: 40 };
  const plotWidth = Math.max(60, width - margin.left - margin.right);
  const plotHeight = height - margin.top - margin.bottom;
  const totals = days.map(d => d.humans + d.bots);
  const max = Math.max(0, ...totals);
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1];
  const y = value => margin.top + plotHeight - (value / top) * plotHeight;
  const slot = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(2, Math.min(28, slot * 0.68));

  const titleId = nextId('chart-title');
  const descId = nextId('chart-desc');
  const total = totals.reduce((a, b) => a + b, 0);
  const busiest = days.reduce((best, d, i) => (totals[i] > (best?.total ?? 0) ? { date: d.date, total: totals[i] } : best), null);
  const description = days.length === 0
    ? 'No days to show.'
    : `${formatNumber(total)} clicks from ${formatLongDay(days[0].date)} to ${formatLongDay(days[days.length - 1].date)}` +
      (busiest ? `; the busiest day was ${formatLongDay(busiest.date)} with ${formatNumber(busiest.total)}.` : '; no clicks yet.');

  const grid = ticks.map(tick => s('g', { class: 'chart-tick' },
    s('line', { class: tick === 0 ? 'chart-axis' : 'chart-grid', x1: margin.left, x2: margin.left + plotWidth, y1: y(tick), y2: y(tick) }),
    s('text', { class: 'chart-label', x: margin.left - 8, y: y(tick), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, formatNumber(tick))));

  // Label every k-th day counting back from today, so today is always labelled; a label that would
  // run past either edge of the plot is anchored inside it, or left out if it would then touch its neighbour.
  const labelWidth = 48;
  const every = Math.max(1, Math.ceil((labelWidth + 10) / slot));
  let leftmost = Infinity;
  const labels = [];
  for (let i = days.length - 1; i >= 0; i -= every) {
    const centre = margin.left + slot * i + slot / 2;
    let anchor = 'middle';
    let x = centre;
    if (centre + labelWidth / 2 > width) { anchor = 'end'; x = Math.min(width, margin.left + slot * (i + 1)); }
    let left = anchor === 'end' ? x - labelWidth : x - labelWidth / 2;
    if (left < margin.left - 6) { anchor = 'start'; x = margin.left + slot * i; left = x; }
    const right = anchor === 'start' ? x + labelWidth : anchor === 'end' ? x : x + labelWidth / 2;
    if (right + 8 > leftmost) continue;
    leftmost = left;
    labels.push(s('text', { class: 'chart-label', x, y: height - 8, 'text-anchor': anchor }, formatDay(days[i].date)));
  }

  const bars = days.map((d, i) => {
    const x = margin.left + slot * i + (slot - barWidth) / 2;
    const label = `${formatLongDay(d.date)}: ${formatNumber(d.humans + d.bots)} clicks (${formatNumber(d.humans)} people, ${formatNumber(d.bots)} bots)`;
    const parts = [];
    if (d.humans > 0) parts.push(s('rect', { class: 'bar bar-humans', x, width: barWidth, y: y(d.humans), height: y(0) - y(d.humans), rx: Math.min(3, barWidth / 3) }));
    if (d.bots > 0) parts.push(s('rect', { class: 'bar bar-bots', x, width: barWidth, y: y(d.humans + d.bots), height: y(d.humans) - y(d.humans + d.bots), rx: Math.min(3, barWidth / 3) }));
    // A full-height transparent target, so small bars still show their tooltip.
    parts.push(s('rect', { class: 'bar-hit', x: margin.left + slot * i, width: slot, y: margin.top, height: plotHeight }));
    return s('g', { class: 'chart-day', 'data-date': d.date, 'data-clicks': d.humans + d.bots }, s('title', null, label), parts);
  });

  const cx = margin.left + plotWidth / 2;
  const cy = margin.top + plotHeight / 2;
  const empty = max === 0
    ? s('g', { class: 'chart-empty' },
      s('rect', { class: 'chart-empty-bg', x: cx - 110, y: cy - 16, width: 220, height: 32, rx: 16 }),
      s('text', { class: 'chart-empty-text', x: cx, y: cy, 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, 'No clicks in this period yet'))
    : null;

  return s('svg', {
    class: 'chart', role: 'img', width, height, viewBox: `0 0 ${width} ${height}`,
    'aria-labelledby': titleId, 'aria-describedby': descId,
  },
  s('title', { id: titleId }, title),
  s('desc', { id: descId }, description),
  s('g', { class: 'chart-grid-layer' }, grid),
  s('g', { class: 'chart-bars' }, bars),
  s('g', { class: 'chart-x-labels', 'aria-hidden': 'true' }, labels),
  empty);
}

/**
 * Mounts a chart into `container`, redrawn at the container's width whenever it changes (a phone in
 * portrait gets readable labels, not a scaled-down desktop chart).
 */
export function mountChart(container, days, options) {
  let lastWidth = 0;
  const draw = () => {
    const width = Math.round(container.clientWidth);
    if (width === 0 || width === lastWidth) return;
    lastWidth = width;
    container.replaceChildren(clicksChart(days, { ...options, width }));
  };
  const observer = new ResizeObserver(() => requestAnimationFrame(draw));
  observer.observe(container);
  draw();
  return () => observer.disconnect();
}
