// The access token the chat socket's hello frame carries.
//
// api.js keeps its access token private, so the chat mints its own the same way api.js does: it trades the
// stored refresh token at /api/v1/sessions/refresh, under the same Web Lock ('atrium-refresh') and reading
// the token from storage inside it, so this page, api.js and other tabs never spend one refresh token
// twice (a reused refresh token revokes the whole session). The new refresh token goes back to the same
// storage key, which api.js reads before each refresh of its own. The access token stays in memory only.
import { api, session } from './api.js';

const REFRESH_KEY = 'atrium.refreshToken'; // api.js's key: one refresh token per browser
const SKEW_MS = 60_000; // a socket may stay open a while: take a token with a minute or more left

let cached = null; // { token, expiresAt }
let inFlight = null;

// A token belongs to one sign-in: forget it when the session ends or another one starts.
session.subscribe(({ reason }) => { if (reason !== 'restored') cached = null; });

/** Thrown when the session is over (the refresh token is revoked or expired). */
export class SessionEndedError extends Error {
  constructor() {
    super('Your session has ended.');
  }
}

function storedRefreshToken() {
  try { return localStorage.getItem(REFRESH_KEY); } catch { return null; }
}

async function exchange() {
  const refreshToken = storedRefreshToken();
  if (!refreshToken) throw new SessionEndedError();
  let response;
  try {
    response = await fetch('/api/v1/sessions/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' },
      body: JSON.stringify({ refreshToken }),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new Error('Atrium cannot be reached.');
  }
  if (response.ok) {
    const tokens = await response.json();
    try { localStorage.setItem(REFRESH_KEY, tokens.refreshToken); } catch { /* private mode */ }
    return { token: tokens.accessToken, expiresAt: Date.parse(tokens.expiresAt) || Date.now() + 5 * 60_000 };
  }
  if (response.status >= 400 && response.status < 500 && response.status !== 429) {
    // Let api.js reach the same conclusion, so the app signs out the way it always does.
    api('/api/v1/me').catch(() => {});
    throw new SessionEndedError();
  }
  throw new Error(`Token refresh failed (${response.status}).`);
}

/**
 * An access token with at least a minute left. `force` mints a new one (the server refused the last:
 * close code 4401 or an `unauthorized` error). Rejects with SessionEndedError when the session is over.
 */
export function chatAccessToken({ force = false } = {}) {
  if (!force && cached && Date.now() < cached.expiresAt - SKEW_MS) return Promise.resolve(cached.token);
  inFlight ??= (async () => {
    try {
      cached = navigator.locks?.request ? await navigator.locks.request('atrium-refresh', exchange) : await exchange();
      return cached.token;
    } finally {
      inFlight = null;
    }
  })();
  return inFlight;
}

/** Forgets the token (sign-out, or another user signs in). */
export function forgetChatAccessToken() {
  cached = null;
}
