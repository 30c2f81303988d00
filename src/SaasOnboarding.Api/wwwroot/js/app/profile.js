// #/profile: for admins the company profile (editable; the plan is the provider's to change), its export download
// and closing the account, for users their own account (read-only).
import { confirmedButton } from '../actions.js';
import { api } from '../api.js';
import { detailView } from '../detail.js';
import { dateTime, details, h } from '../dom.js';
import { exportButton } from '../export.js';
import { bindForm, field } from '../forms.js';
import { tenantStatusBadge } from '../labels.js';
import { flash, navigate } from '../router.js';
import { tenantChanges, tenantRules } from '../rules.js';
import { signOut } from '../session.js';
import { isAdmin, session } from './context.js';

export function profileView(section) {
  return detailView(section, isAdmin
    ? {
      heading: 'Company profile',
      loadingText: 'Loading…',
      load: () => api('GET', `tenant/${encodeURIComponent(session.tenantId)}`),
      render: companyProfile,
    }
    : {
      heading: 'My account',
      loadingText: 'Loading…',
      load: () => api('GET', `user/${encodeURIComponent(session.userName)}`),
      render: ownAccount,
    });
}

function ownAccount(user) {
  return [
    h('div', { class: 'card' }, details([
      ['User name', h('span', { class: 'mono' }, user.userName)],
      ['Email', user.email],
      ['Role', 'User'],
      ['Company id', h('span', { class: 'mono' }, user.tenantId)],
    ])),
    h('p', { class: 'hint' }, 'Your company’s administrators manage the company profile and your account.'),
  ];
}

function companyProfile(tenant) {
  const summary = h('div', { class: 'card' }, details([
    ['Company', tenant.tenantName],
    ['Company id', h('span', { class: 'mono' }, tenant.id)],
    ['Plan', [tenant.tenantTier, h('span', { class: 'hint' }, ' (managed by your provider)')]],
    ['Status', tenantStatusBadge(tenant)],
    ['Created', dateTime(tenant.createdAt)],
  ]));
  summary.append(h('div', { class: 'actions' }, exportButton(tenant.id, summary)),
    h('p', { class: 'hint' }, 'The export is your company’s data in one file: the profile, users (no passwords), products and orders.'));
  const rules = tenantRules(true);
  delete rules.tenantTier;
  const form = h('form', { id: 'profile', class: 'card', novalidate: true, 'aria-labelledby': 'profile-title' },
    h('h2', { id: 'profile-title' }, 'Edit company details'),
    h('div', { class: 'form-row' },
      field({ form: 'profile', name: 'tenantName', label: 'Company name', value: tenant.tenantName, autocomplete: 'organization' }),
      field({ form: 'profile', name: 'tenantEmail', label: 'Email', type: 'email', value: tenant.tenantEmail, maxlength: 254, autocomplete: 'email' })),
    field({ form: 'profile', name: 'tenantPhone', label: 'Phone', type: 'tel', optional: true, value: tenant.tenantPhone, maxlength: 32, autocomplete: 'tel' }),
    field({ form: 'profile', name: 'tenantAddress', label: 'Address', optional: true, value: tenant.tenantAddress, maxlength: 256, autocomplete: 'street-address' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save changes')));
  bindForm(form, {
    rules,
    submit: async (values) => {
      await api('PUT', `tenant/${encodeURIComponent(tenant.id)}`, { body: tenantChanges(values) });
      flash('Company details saved.');
      navigate('#/profile');
    },
  });
  return [summary, form, closeAccount(tenant)];
}

/** Closing the account: offboarding the company's own tenant, after a confirmation (docs/offboarding.md). */
function closeAccount(tenant) {
  const card = h('section', { class: 'card', id: 'close-account', 'aria-labelledby': 'close-account-title' },
    h('h2', { id: 'close-account-title' }, 'Close the account'),
    h('p', {}, 'Closing the account signs everyone out at once and disables every user of the company. After the '
      + 'retention window your provider deletes its data for good; until then your provider can reopen it. '
      + 'Download an export of your data first if you want to keep it.'));
  card.append(h('div', { class: 'actions' }, confirmedButton(
    h('button', { type: 'button', class: 'danger', id: 'close-account-button' }, 'Close the account'),
    {
      confirm: {
        title: `Close the account of ${tenant.tenantName}?`,
        message: 'Everyone is signed out and cannot sign in again, and the company’s data is deleted after the retention window. '
          + 'Have you downloaded the export you want to keep?',
        confirmText: 'Close the account',
        danger: true,
      },
      busyText: 'Closing…',
      where: card,
      action: () => api('POST', `tenant/${encodeURIComponent(tenant.id)}/offboarding`),
      done: () => signOut(),
    })));
  return card;
}
