// #/account, in the tenant app and the provider console: the signed-in user changes its password and sets up
// two-step sign-in (TOTP MFA) with an authenticator app, or turns it off.
import { api } from './api.js';
import { detailView } from './detail.js';
import { h } from './dom.js';
import { bindForm, field } from './forms.js';
import { cleanCode, codeField, setupCard } from './mfa.js';
import { flash, navigate } from './router.js';
import { passwordRule } from './rules.js';
import { loadSession } from './session.js';

export function accountView(section) {
  const session = loadSession();
  return detailView(section, {
    heading: 'Password and sign-in',
    loadingText: 'Loading…',
    load: () => api('GET', 'auth/mfa'),
    render: (mfa) => [
      h('p', {}, 'Signed in as ', h('strong', { class: 'mono' }, session.userName), '.'),
      changePassword(),
      mfa.enabled ? turnOff() : turnOn(session),
    ],
  });
}

function changePassword() {
  const form = h('form', { id: 'change-password', class: 'card', novalidate: true, 'aria-labelledby': 'change-password-title' },
    h('h2', { id: 'change-password-title' }, 'Change your password'),
    field({ form: 'change-password', name: 'previousPassword', label: 'Current password', type: 'password', autocomplete: 'current-password' }),
    field({
      form: 'change-password',
      name: 'newPassword',
      label: 'New password',
      type: 'password',
      autocomplete: 'new-password',
      hint: 'At least 8 characters with an upper-case and a lower-case letter, a digit and a symbol.',
    }),
    field({ form: 'change-password', name: 'confirmPassword', label: 'Type it again', type: 'password', autocomplete: 'new-password' }),
    h('p', { class: 'hint' }, 'Your other sessions end: other browsers must sign in again.'),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Change password')));
  bindForm(form, {
    rules: {
      previousPassword: (value) => (value ? null : 'This field is required.'),
      newPassword: passwordRule,
      confirmPassword: (value, values) => (!value ? 'This field is required.' : value !== values.newPassword ? 'The two passwords differ.' : null),
    },
    busyText: 'Changing…',
    submit: async ({ previousPassword, newPassword }) => {
      await api('POST', 'auth/change-password', { body: { previousPassword, newPassword } });
      flash('Your password is changed.');
      navigate('#/account');
    },
  });
  return form;
}

function turnOn(session) {
  const card = h('section', { class: 'card', id: 'mfa-off', 'aria-labelledby': 'mfa-off-title' },
    h('h2', { id: 'mfa-off-title' }, 'Two-step sign-in is off'),
    h('p', {}, 'With two-step sign-in, signing in needs a code from an authenticator app on your phone as well as your password, '
      + 'so a stolen password alone does not get in.'));
  const form = h('form', { id: 'mfa-start', novalidate: true, 'aria-labelledby': 'mfa-off-title' },
    field({ form: 'mfa-start', name: 'password', label: 'Your password', type: 'password', autocomplete: 'current-password' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Set up two-step sign-in')));
  bindForm(form, {
    rules: { password: (value) => (value ? null : 'This field is required.') },
    busyText: 'Making a new key…',
    submit: async ({ password }) => {
      const setup = await api('POST', 'auth/mfa/setup', { auth: false, body: { userName: session.userName, password, pool: session.pool } });
      card.replaceWith(setupCard({
        id: 'mfa-setup',
        userName: session.userName,
        pool: session.pool,
        setup,
        done: () => {
          flash('Two-step sign-in is on. From now on, signing in asks for a code from your authenticator app.');
          navigate('#/account');
        },
      }));
      document.getElementById('mfa-setup-title').setAttribute('tabindex', '-1');
      document.getElementById('mfa-setup-title').focus();
    },
  });
  card.append(form);
  return card;
}

function turnOff() {
  const form = h('form', { id: 'mfa-disable', novalidate: true, 'aria-labelledby': 'mfa-on-title' },
    h('p', {}, 'To turn it off, give your password, or a code from the app.'),
    field({ form: 'mfa-disable', name: 'password', label: 'Your password', type: 'password', autocomplete: 'current-password', optional: true }),
    codeField('mfa-disable', { optional: true }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, 'Turn off two-step sign-in')));
  bindForm(form, {
    rules: {
      password: (value, values) => (value || values.code.trim() ? null : 'Give your password or a code.'),
    },
    busyText: 'Turning off…',
    submit: async ({ password, code }) => {
      await api('POST', 'auth/mfa/disable', { body: password ? { password } : { code: cleanCode(code) } });
      flash('Two-step sign-in is off.');
      navigate('#/account');
    },
  });
  return h('section', { class: 'card', id: 'mfa-on', 'aria-labelledby': 'mfa-on-title' },
    h('h2', { id: 'mfa-on-title' }, 'Two-step sign-in is on'),
    h('p', {}, 'Signing in asks for a code from your authenticator app after your password.'),
    form);
}
