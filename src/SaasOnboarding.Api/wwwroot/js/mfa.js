// TOTP MFA in the pages: the code field, the set-up card (QR code, the secret to type by hand, the first code), and
// the rule a code meets. Used by the sign-in page (the code step, the set-up a SystemAdmin may be sent to) and by the
// account page of both consoles.
import { api } from './api.js';
import { h } from './dom.js';
import { bindForm, field } from './forms.js';

/** Six digits, as authenticator apps show them (spaces people type are dropped). */
export function codeRule(value) {
  const code = value.replace(/\s/g, '');
  if (!code) {
    return 'This field is required.';
  }

  return /^[0-9]{6}$/.test(code) ? null : 'The code is the 6 digits your authenticator app shows.';
}

export function cleanCode(value) {
  return value.replace(/\s/g, '');
}

/** The field for a code of the authenticator app. */
export function codeField(form, { label = 'Code from your authenticator app', optional = false } = {}) {
  return field({
    form,
    name: 'code',
    label,
    hint: 'The 6 digits your authenticator app shows now for SaasOnboarding.',
    optional,
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    maxlength: 8,
    spellcheck: 'false',
  });
}

/**
 * The second half of a set-up: the QR code and secret of `setup` (the answer of /auth/mfa/setup), and a form for
 * the app's first code, which turns MFA on; then `done()`.
 */
export function setupCard({ id, userName, pool, setup, headingLevel = 'h2', done }) {
  const form = h('form', { id: `${id}-verify`, novalidate: true, 'aria-labelledby': `${id}-title` },
    codeField(`${id}-verify`, { label: 'Code the app shows' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Turn on two-step sign-in')));
  bindForm(form, {
    rules: { code: codeRule },
    busyText: 'Checking…',
    submit: async ({ code }) => {
      await api('POST', 'auth/mfa/setup/verify', { auth: false, body: { userName, session: setup.session, code: cleanCode(code), pool } });
      await done();
    },
  });
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` },
    h(headingLevel, { id: `${id}-title` }, 'Add SaasOnboarding to your authenticator app'),
    h('ol', {},
      h('li', {}, 'Open an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator or 1Password).'),
      h('li', {}, 'Scan this QR code with it, or type the key below by hand.'),
      h('li', {}, 'Type the 6-digit code the app then shows.')),
    h('img', { class: 'qr-code', src: setup.qrCode, width: 200, height: 200, alt: `QR code to add ${userName} to an authenticator app` }),
    h('p', {}, 'Key: ', h('span', { class: 'mono', id: `${id}-secret` }, setup.secretCode)),
    form);
}
