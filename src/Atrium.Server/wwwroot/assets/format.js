// Formatting in the reader's locale; dates of the click statistics are UTC days.

const numberFormat = new Intl.NumberFormat();
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const longDayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export const formatNumber = n => numberFormat.format(n);
export const formatDateTime = iso => dateTimeFormat.format(new Date(iso));
export const formatDate = iso => dateFormat.format(new Date(iso));
/** "2026-11-27" (a UTC day) → "Nov 27". */
export const formatDay = day => dayFormat.format(new Date(`${day}T00:00:00Z`));
export const formatLongDay = day => longDayFormat.format(new Date(`${day}T00:00:00Z`));

/** "3 minutes ago", "yesterday", "in 2 days". */
export function formatRelative(iso, now = Date.now()) {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const units = [['year', 31_536_000], ['month', 2_592_000], ['week', 604_800], ['day', 86_400], ['hour', 3_600], ['minute', 60]];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return seconds < 0 ? 'just now' : 'in a moment';
}

export const percent = (part, whole) => (whole > 0 ? `${Math.round((part / whole) * 100)}%` : '—');

/** "https://example.com/path" → "example.com/path", for display only. */
export const withoutScheme = url => url.replace(/^https?:\/\//i, '');

/** The last `count` UTC days up to today, oldest first, as "YYYY-MM-DD". */
export function lastDays(count, now = new Date()) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: count }, (_, i) => new Date(today - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}
