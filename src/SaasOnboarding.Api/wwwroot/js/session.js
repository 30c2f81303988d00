// The signed-in session: kept in sessionStorage (this tab only, gone when it closes), never in a URL or a cookie.

const key = 'saas.session';

/** Reads the claims of a JWT for display and routing only; the API checks the signature. */
export function claimsOf(idToken) {
  try {
    const payload = idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = payload + '='.repeat((4 - (payload.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
}

/** Builds the session from a token answer of /auth/signin, /auth/new-password or /auth/refresh. */
export function sessionFrom(tokens, pool, previous) {
  const claims = claimsOf(tokens.idToken);
  return {
    idToken: tokens.idToken,
    // Refresh answers carry no new refresh token: keep the one from the sign-in.
    refreshToken: tokens.refreshToken ?? previous?.refreshToken ?? null,
    expiresAt: Date.now() + (tokens.expiresIn ?? 3600) * 1000,
    pool,
    userName: claims['cognito:username'] ?? previous?.userName ?? '',
    role: claims['custom:userRole'] ?? previous?.role ?? '',
    tenantId: pool === 'tenant' ? (claims['custom:tenantId'] ?? previous?.tenantId ?? null) : null,
  };
}

export function loadSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(key) ?? 'null');
    return session && session.idToken ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session) {
  sessionStorage.setItem(key, JSON.stringify(session));
}

export function clearSession() {
  sessionStorage.removeItem(key);
}

/** The page a session belongs on: the provider console for staff, the tenant app for tenant users. */
export function homeOf(session) {
  return session.pool === 'operations' ? 'admin.html' : 'app.html';
}

/**
 * The session if it fits this page; otherwise goes to the sign-in page (or the right page for the session)
 * and answers null.
 */
export function requireSession(pool) {
  const session = loadSession();
  if (!session) {
    location.replace('index.html');
    return null;
  }

  if (session.pool !== pool) {
    location.replace(homeOf(session));
    return null;
  }

  return session;
}

export function signOut() {
  clearSession();
  for (const name of Object.keys(sessionStorage)) {
    if (name.startsWith('saas.')) {
      sessionStorage.removeItem(name);
    }
  }

  sessionStorage.setItem('saas.notice', 'signed-out');
  location.replace('index.html');
}
