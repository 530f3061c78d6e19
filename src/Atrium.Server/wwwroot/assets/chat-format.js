// How the Chat page names people and conversations and writes times.

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const shortDateFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
const DAY_MS = 86_400_000;

/** "Ada Lovelace", or the username when there is no display name. */
export const nameOf = user => user?.displayName || user?.username || 'Someone';

/** The people of a conversation other than `me`. */
export const othersIn = (conversation, me) => conversation.members.filter(member => member.username !== me);

/** A group's title, or the other person's name in a 1:1, or the members' names. */
export function conversationTitle(conversation, me) {
  if (conversation.title) return conversation.title;
  const others = othersIn(conversation, me);
  if (others.length === 0) return 'Only you';
  if (others.length <= 3) return others.map(nameOf).join(', ');
  return `${others.slice(0, 3).map(nameOf).join(', ')} and ${others.length - 3} more`;
}

/** The other person of a 1:1 (null for a group). */
export const directPeer = (conversation, me) => (conversation.kind === 'direct' ? othersIn(conversation, me)[0] ?? null : null);

export function initials(text) {
  return (text ?? '?').split(/[\s_.-]+/).filter(Boolean).slice(0, 2).map(part => [...part][0].toUpperCase()).join('') || '?';
}

/** One of eight avatar colours, the same for the same name everywhere. */
export function hue(text) {
  let hash = 0;
  for (const char of text ?? '') hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  return `hue-${hash % 8}`;
}

const startOfDay = date => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();

/** "14:05" today, "Tue" this week, "Nov 3" before. */
export function listTime(iso, now = new Date()) {
  const date = new Date(iso);
  const days = Math.round((startOfDay(now) - startOfDay(date)) / DAY_MS);
  if (days <= 0) return timeFormat.format(date);
  if (days < 7) return weekdayFormat.format(date);
  return shortDateFormat.format(date);
}

export const messageTime = iso => timeFormat.format(new Date(iso));
export const fullTime = iso => fullFormat.format(new Date(iso));

/** A local calendar day key ("2026-11-27") and its heading ("Today", "Yesterday", "Monday, November 23"). */
export function dayKey(iso) {
  const date = new Date(iso);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

export function dayLabel(iso, now = new Date()) {
  const days = Math.round((startOfDay(now) - startOfDay(new Date(iso))) / DAY_MS);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return dayFormat.format(new Date(iso));
}

/** "ada is typing…", "ada and bob are typing…", "3 people are typing…". */
export function typingText(names) {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

/** "ada, bob and carol" */
export function listNames(names) {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
