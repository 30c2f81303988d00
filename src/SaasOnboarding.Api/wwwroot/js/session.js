// The signed-in session: kept in sessionStorage (per tab, gone when it closes), never in a URL, a cookie or
// persistent storage. A new tab borrows it from an open tab of the same site over a BroadcastChannel, and signing out in
// one tab signs out all of them (docs/browser-ui.md, "Sessions and tokens").

const key = 'saas.session';
const nextKey = 'saas.next';
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('saas.session') : null;

channel?.addEventListener('message', ({ data }) => {
  if (data?.type === 'ask') {
    const session = loadSession();
    if (session) {
      channel.postMessage({ type: 'session', session });
    }
  } else if (data?.type === 'signed-out' && loadSession()) {
    forget();
    sessionStorage.setItem('saas.notice', 'signed-out');
    location.replace('index.html');
  }
});

/** The session of this tab, or else one an open tab of the same site lends within `wait` ms; null when none does. */
export function borrowSession(wait = 300) {
  const own = loadSession();
  if (own || !channel) {
    return Promise.resolve(own);
  }

  return new Promise((resolve) => {
    const answer = ({ data }) => {
      if (data?.type === 'session' && data.session?.idToken) {
        finish(data.session);
      }
    };
    const finish = (session) => {
      clearTimeout(timer);
      channel.removeEventListener('message', answer);
      if (session) {
        saveSession(session);
      }

      resolve(session);
    };
    const timer = setTimeout(() => finish(null), wait);
    channel.addEventListener('message', answer);
    channel.postMessage({ type: 'ask' });
  });
}

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
 * The page to open after signing in: the link that was opened signed-out when it belongs to the session's page
 * (kept for this tab only), else the session's page.
 */
export function pageAfterSignIn(session) {
  const next = sessionStorage.getItem(nextKey);
  sessionStorage.removeItem(nextKey);
  const home = homeOf(session);
  return next && next.startsWith(`${home}#/`) ? next : home;
}

/**
 * The session (this tab's, or one borrowed from another tab) if it fits this page; otherwise goes to the sign-in
 * page, remembering the link that was opened, (or to the right page for the session) and answers null.
 */
export async function requireSession(pool) {
  const session = await borrowSession();
  if (!session) {
    const page = location.pathname.split('/').pop();
    if (location.hash.startsWith('#/')) {
      sessionStorage.setItem(nextKey, page + location.hash);
    }

    location.replace('index.html');
    return null;
  }

  if (session.pool !== pool) {
    location.replace(homeOf(session));
    return null;
  }

  return session;
}

/** Forgets this tab's session and everything else it kept (the cart). */
function forget() {
  for (const name of Object.keys(sessionStorage)) {
    if (name.startsWith('saas.')) {
      sessionStorage.removeItem(name);
    }
  }
}

/** Signs out this tab and every other open tab of the site. */
export function signOut() {
  forget();
  channel?.postMessage({ type: 'signed-out' });
  sessionStorage.setItem('saas.notice', 'signed-out');
  location.replace('index.html');
}
