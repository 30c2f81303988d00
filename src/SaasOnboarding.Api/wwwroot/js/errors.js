// API errors in words a person can act on, and the error box with "Try again" (or "Sign in again").
import { h } from './dom.js';

/** Words a person can act on, for an API error. */
export function describeError(error) {
  const problem = error?.problem ?? {};
  if (!error || error.status === undefined) {
    return { title: 'Something went wrong', detail: String(error?.message ?? error) };
  }

  if (error.status === 0) {
    return { title: problem.title, detail: problem.detail };
  }

  if (error.tenantInactive) {
    return {
      title: 'Your company account is deactivated',
      detail: 'A provider administrator has deactivated this account, so nothing can be read or changed. ' +
        'Ask them to reactivate it, then try again.',
    };
  }

  if (error.status === 401) {
    return { title: problem.title || 'Not signed in', detail: problem.detail || 'Sign in again to continue.' };
  }

  if (error.status === 403) {
    return { title: problem.title && problem.title !== 'Forbidden' ? problem.title : 'Not allowed', detail: problem.detail || 'Your role may not do this.' };
  }

  if (error.status === 429) {
    const wait = error.retryAfter ? ` Try again in ${error.retryAfter} seconds.` : ' Try again in a minute.';
    return { title: 'Too many attempts', detail: 'Slow down a little.' + wait };
  }

  if (error.status >= 500) {
    const trace = problem.traceId ? ` If it keeps happening, quote trace id ${problem.traceId}.` : '';
    return { title: 'Something went wrong on our side', detail: 'Please try again.' + trace };
  }

  const fields = Object.entries(problem.errors ?? {}).map(([field, messages]) => `${field}: ${messages.join(' ')}`);
  return {
    title: problem.title || `Request failed (${error.status})`,
    detail: [problem.detail, ...fields].filter(Boolean).join(' '),
  };
}

/**
 * An error box with an optional retry button; `role=alert` so that it is announced. A session that has ended
 * gets a sign-in link instead of a retry.
 */
export function errorAlert(error, { retry, headingLevel = 'h2' } = {}) {
  const { title, detail } = describeError(error);
  const actions = [];
  if (error?.status === 401) {
    actions.push(h('a', { class: 'button', href: 'index.html' }, 'Sign in again'));
  } else if (retry) {
    actions.push(h('button', { type: 'button', class: 'secondary', on: { click: retry } }, 'Try again'));
  }

  return h('div', { class: 'alert error', role: 'alert' },
    h(headingLevel, {}, title),
    detail ? h('p', {}, detail) : null,
    actions.length ? h('div', { class: 'actions' }, actions) : null);
}
