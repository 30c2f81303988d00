// Calls to the API. URLs are relative to this module's folder's parent (the site root), never absolute, so the
// pages also work under an API Gateway stage prefix such as /Prod/.
import { clearSession, loadSession, saveSession, sessionFrom } from './session.js';

const root = new URL('../', import.meta.url);

/** Refresh this long before the ID token expires, so a request never leaves with an expired token. */
const refreshMargin = 60_000;

export function apiUrl(path) {
  return new URL(path.replace(/^\/+/, ''), root);
}

/** A failed call: the HTTP status and the RFC 9457 problem details the API answered (or one made up here). */
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem?.detail || problem?.title || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem ?? {};
    this.retryAfter = retryAfter ?? null;
  }

  get title() {
    return this.problem.title ?? '';
  }

  /** Field errors by field name: `errors` of a validation problem, or the `field` a conflict names. */
  get fieldErrors() {
    const errors = { ...(this.problem.errors ?? {}) };
    if (this.problem.field && !errors[this.problem.field]) {
      errors[this.problem.field] = [this.problem.detail || this.problem.title];
    }

    return errors;
  }

  /** The session cannot be renewed: the user must sign in again. */
  get sessionEnded() {
    return this.status === 401;
  }

  /** The caller's tenant has been deactivated (403 from the tenant middleware). */
  get tenantInactive() {
    return this.status === 403 && this.title === 'Tenant is not active';
  }
}

let refreshing = null;

/** Gets a new ID token with the refresh token; one refresh at a time however many calls wait for it. */
export function refreshSession() {
  refreshing ??= (async () => {
    const session = loadSession();
    if (!session?.refreshToken) {
      return false;
    }

    try {
      const tokens = await send('POST', 'auth/refresh', { refreshToken: session.refreshToken, pool: session.pool }, null);
      saveSession(sessionFrom(tokens, session.pool, session));
      return true;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 400)) {
        return false;
      }

      throw error;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/**
 * Calls the API and answers the parsed JSON (null for 204). With `auth`, sends the session's ID token, renews it
 * shortly before it expires, and on a 401 renews it once and retries; when it cannot be renewed the session is
 * ended and the error says so. The body goes as JSON, or as it is (a File) with `contentType`.
 */
export async function api(method, path, { body, auth = true, contentType } = {}) {
  if (!auth) {
    return send(method, path, body, null, contentType);
  }

  let session = loadSession();
  if (!session) {
    throw endedError();
  }

  if (session.expiresAt - Date.now() < refreshMargin && (await refreshSession())) {
    session = loadSession();
  }

  try {
    return await send(method, path, body, session.idToken, contentType);
  } catch (error) {
    if (error instanceof ApiError && error.status === 403 && !error.tenantInactive) {
      await reloadIfRoleChanged(session);
    }

    if (!(error instanceof ApiError) || error.status !== 401) {
      throw error;
    }
  }

  if (!(await refreshSession())) {
    clearSession();
    throw endedError();
  }

  try {
    return await send(method, path, body, loadSession().idToken, contentType);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      clearSession();
      throw endedError();
    }

    throw error;
  }
}

/**
 * Downloads what the API answers at `path` as a file (the tenant export): the body as a Blob and the file name its
 * Content-Disposition gives. The session's ID token is renewed first when it is about to expire, as `api` does.
 */
export async function apiDownload(path) {
  let session = loadSession();
  if (!session) {
    throw endedError();
  }

  if (session.expiresAt - Date.now() < refreshMargin && (await refreshSession())) {
    session = loadSession();
  }

  let response;
  try {
    response = await fetch(apiUrl(path), {
      headers: { Accept: 'application/x-ndjson', Authorization: `Bearer ${session.idToken}` },
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { title: 'Cannot reach the service', detail: 'Check your connection and try again.' });
  }

  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      problem = null;
    }

    throw new ApiError(response.status, problem ?? { title: response.statusText || `HTTP ${response.status}` }, response.headers.get('Retry-After'));
  }

  const name = /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? 'export.jsonl';
  return { blob: await response.blob(), name };
}

/**
 * After a 403: when a renewed token names another role than the session had (an admin made a user, or the other
 * way round), the page reloads to show what the person may now do, and says why.
 */
async function reloadIfRoleChanged(session) {
  try {
    if (await refreshSession() && loadSession()?.role !== session.role) {
      sessionStorage.setItem('saas.notice', 'role-changed');
      location.reload();
    }
  } catch {
    // The 403 is shown as it is.
  }
}

function endedError() {
  return new ApiError(401, { title: 'Session ended', detail: 'Your session has ended. Sign in again to continue.' });
}

async function send(method, path, body, idToken, contentType) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined && body !== null) {
    headers['Content-Type'] = contentType ?? 'application/json';
  }

  if (idToken) {
    headers.Authorization = `Bearer ${idToken}`;
  }

  let response;
  try {
    response = await fetch(apiUrl(path), {
      method,
      headers,
      body: body === undefined || body === null ? undefined : contentType ? body : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, {
      title: 'Cannot reach the service',
      detail: 'Check your connection and try again.',
    });
  }

  const type = response.headers.get('Content-Type') ?? '';
  let payload = null;
  if (response.status !== 204 && /json/.test(type)) {
    try {
      payload = await response.json();
    } catch {
      payload = null;
    }
  }

  if (!response.ok) {
    throw new ApiError(response.status, payload ?? { title: response.statusText || `HTTP ${response.status}` }, response.headers.get('Retry-After'));
  }

  return payload;
}
