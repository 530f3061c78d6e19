// The Atrium API client: JSON in and out, ProblemDetails errors, and the session.
//
// Session storage, and its trade-off: the access token (short-lived) lives only in this module's memory,
// so it never touches storage. The refresh token is kept in localStorage so a reload or a new tab stays
// signed in. localStorage is readable by any script running on this origin: an XSS bug here would let an
// attacker steal the refresh token and keep minting access tokens until it is revoked (sign out) or expires.
// We accept that because the page runs no third-party or inline script (a strict Content-Security-Policy
// forbids both) and builds all markup with textContent, never innerHTML. The stronger alternative is an
// HttpOnly, SameSite=Strict refresh cookie set by the server, which the API contract does not offer (yet).

const REFRESH_KEY = 'atrium.refreshToken';
const SKEW_MS = 30_000; // refresh a little before the access token expires

/** An API error: HTTP status plus the ProblemDetails fields (`detail` is what we show people). */
export class ApiError extends Error {
  constructor(status, problem = {}, retryAfter = null) {
    super(problem.detail || problem.title || `Request failed (${status}).`);
    this.status = status;
    this.title = problem.title ?? null;
    this.detail = problem.detail ?? null;
    this.errors = problem.errors ?? null;
    this.retryAfter = retryAfter;
  }
}

/** Thrown when the network is down or the server cannot be reached. */
export class NetworkError extends Error {
  constructor() {
    super('Atrium cannot be reached. Check your connection and try again.');
    this.status = 0;
  }
}

let accessToken = null;
let accessExpiresAt = 0;
let refreshInFlight = null;
let currentUser = null;
const listeners = new Set();

function storedRefreshToken() {
  try { return localStorage.getItem(REFRESH_KEY); } catch { return null; }
}

function storeRefreshToken(token) {
  try {
    if (token) localStorage.setItem(REFRESH_KEY, token);
    else localStorage.removeItem(REFRESH_KEY);
  } catch { /* private mode: the session lasts as long as the page */ }
}

function notify(reason) {
  for (const listener of listeners) listener({ user: currentUser, reason });
}

function acceptTokens(tokens) {
  accessToken = tokens.accessToken;
  accessExpiresAt = Date.parse(tokens.expiresAt) || Date.now() + 5 * 60_000;
  storeRefreshToken(tokens.refreshToken);
}

function clearSession(reason) {
  const wasSignedIn = currentUser !== null || accessToken !== null;
  accessToken = null;
  accessExpiresAt = 0;
  currentUser = null;
  storeRefreshToken(null);
  if (wasSignedIn) notify(reason);
}

async function readError(response) {
  let problem = {};
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try { problem = await response.json(); } catch { problem = {}; }
  }
  const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  return new ApiError(response.status, problem, Number.isFinite(retryAfter) ? retryAfter : null);
}

async function send(path, { method = 'GET', body, token } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new NetworkError();
  }
}

async function doRefresh() {
  // Another tab may have rotated the token since we read it: always use the latest stored one.
  const refreshToken = storedRefreshToken();
  if (!refreshToken) {
    clearSession('expired');
    return false;
  }
  const response = await send('/api/v1/sessions/refresh', { method: 'POST', body: { refreshToken } });
  if (response.ok) {
    acceptTokens(await response.json());
    return true;
  }
  if (response.status === 400 || response.status === 401 || response.status === 403 || response.status === 404) {
    clearSession('expired'); // revoked, expired or unknown: the session is over
    return false;
  }
  throw await readError(response); // 429 / 5xx: keep the refresh token, try again later
}

/**
 * Exchanges the refresh token for new tokens, once at a time per page (and per browser, where Web Locks
 * exist: two tabs must not both spend the same rotating refresh token).
 */
function refresh() {
  refreshInFlight ??= (async () => {
    try {
      return navigator.locks?.request
        ? await navigator.locks.request('atrium-refresh', doRefresh)
        : await doRefresh();
    } finally {
      refreshInFlight = null;
    }
  })();
  return refreshInFlight;
}

/**
 * A current access token for a connection that carries it once instead of per request (the chat socket's
 * hello frame): refreshed first when it is about to expire, or always with `force` (the server refused the
 * last one). Refreshes share the lock above, so no refresh token is ever spent twice. Null without a session.
 */
export async function freshAccessToken({ force = false } = {}) {
  if (!storedRefreshToken()) return null;
  if (force || !accessToken || Date.now() > accessExpiresAt - SKEW_MS) await refresh();
  return accessToken;
}

/**
 * Calls the API. With `auth` (the default) it sends the access token, refreshing it first when it is about
 * to expire, and on a 401 refreshes once and retries once. Resolves to the JSON body (null for 204);
 * rejects with ApiError (ProblemDetails) or NetworkError.
 */
export async function api(path, { method = 'GET', body, auth = true } = {}) {
  if (auth && storedRefreshToken() && (!accessToken || Date.now() > accessExpiresAt - SKEW_MS)) {
    await refresh();
  }
  let response = await send(path, { method, body, token: auth ? accessToken : null });
  if (response.status === 401 && auth && storedRefreshToken()) {
    if (await refresh()) {
      response = await send(path, { method, body, token: accessToken });
    }
  }
  if (response.status === 401 && auth) {
    clearSession('expired');
  }
  if (!response.ok) throw await readError(response);
  if (response.status === 204) return null;
  return (response.headers.get('Content-Type') ?? '').includes('json') ? response.json() : null;
}

export const session = {
  get user() { return currentUser; },

  /** Calls listener({user, reason}) whenever someone signs in or out, or the session ends. */
  subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },

  /** On page load: a stored refresh token becomes a session again. Resolves to the user or null. */
  async restore() {
    if (!storedRefreshToken()) return null;
    try {
      if (!(await refresh())) return null;
      currentUser = await api('/api/v1/me');
      notify('restored');
      return currentUser;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) clearSession('expired');
      return null;
    }
  },

  async signIn(username, password) {
    const tokens = await api('/api/v1/sessions', { method: 'POST', body: { username, password }, auth: false });
    acceptTokens(tokens);
    currentUser = await api('/api/v1/me');
    notify('signed-in');
    return currentUser;
  },

  async signUp({ username, password, displayName }) {
    const body = { username, password };
    if (displayName) body.displayName = displayName;
    await api('/api/v1/accounts', { method: 'POST', body, auth: false });
    return this.signIn(username, password);
  },

  /** Revokes the refresh token on the server (best effort) and forgets the session here. */
  async signOut() {
    const refreshToken = storedRefreshToken();
    const token = accessToken;
    clearSession('signed-out');
    if (refreshToken) {
      try { await send('/api/v1/sessions', { method: 'DELETE', body: { refreshToken }, token }); } catch { /* offline: the token expires */ }
    }
  },
};

// Another tab signed out (or in): follow it.
window.addEventListener('storage', event => {
  if (event.key !== REFRESH_KEY) return;
  if (event.newValue === null && currentUser) {
    accessToken = null;
    currentUser = null;
    notify('signed-out');
  }
});
