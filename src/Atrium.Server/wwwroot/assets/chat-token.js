// The access token the chat socket's hello frame carries: api.js's own, refreshed under its lock when it is
// about to expire (a socket may stay open a while) or when the server refused it (close 4401, `unauthorized`).
import { freshAccessToken } from './api.js';

/** Thrown when the session is over (signed out, or the refresh token is revoked or expired). */
export class SessionEndedError extends Error {
  constructor() {
    super('Your session has ended.');
  }
}

/** An access token; `force` refreshes first. Rejects with SessionEndedError when there is no session. */
export async function chatAccessToken({ force = false } = {}) {
  const token = await freshAccessToken({ force });
  if (!token) throw new SessionEndedError();
  return token;
}
