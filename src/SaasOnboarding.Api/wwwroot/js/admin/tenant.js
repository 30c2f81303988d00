// #/tenant/{id}: a tenant's details, deactivating, reactivating, offboarding it or cancelling its offboarding after a
// confirmation, downloading its export, editing its details and plan, and its users, paged.
import { confirmedButton } from '../actions.js';
import { api } from '../api.js';
import { detailView } from '../detail.js';
import { dateTime, details, h } from '../dom.js';
import { exportButton } from '../export.js';
import { bindForm, field } from '../forms.js';
import { roleName, tenantStatusBadge } from '../labels.js';
import { listQuery, pagedList } from '../paged-list.js';
import { flash, navigate, notice } from '../router.js';
import { tenantChanges, tenantRules, tiers } from '../rules.js';
import { usersTable } from '../user-actions.js';
import { pageSize } from './tenants.js';

export function tenantView(view, tenantId) {
  return detailView(view, {
    back: ['#/tenants', 'All tenants'],
    heading: 'Tenant',
    loadingText: 'Loading the tenant…',
    load: () => api('GET', `tenant/${encodeURIComponent(tenantId)}`),
    title: (tenant) => tenant.tenantName,
    render: (tenant) => [summary(tenant), editForm(tenant), users(tenant, view)],
  });
}

function summary(tenant) {
  const offboarding = tenant.status === 'Offboarding';
  const card = h('div', { class: 'card', id: 'tenant-summary' },
    offboarding
      ? h('p', { class: 'alert warning', id: 'offboarding-notice' },
        `This tenant is offboarding: deactivated, and purged (its data, users and database deleted for good) after ${dateTime(tenant.purgeAfter)} unless you cancel.`)
      : tenant.isActive ? null : h('p', { class: 'alert warning' }, 'This tenant is deactivated: its users cannot sign in and their live tokens are refused.'),
    details([
      ['Status', tenantStatusBadge(tenant)],
      ['Tenant id', h('span', { class: 'mono' }, tenant.id)],
      ['Email', tenant.tenantEmail],
      ['Phone', tenant.tenantPhone],
      ['Address', tenant.tenantAddress],
      ['Plan', tenant.tenantTier],
      ['Created', dateTime(tenant.createdAt)],
      ['Updated', dateTime(tenant.updatedAt)],
      ...(tenant.purgeAfter
        ? [['Purge after', h('span', { id: 'purge-after' }, dateTime(tenant.purgeAfter))], ['Offboarded by', `${tenant.offboardedBy} (${roleName(tenant.offboardedByRole)})`]]
        : []),
    ]));
  const here = `#/tenant/${encodeURIComponent(tenant.id)}`;
  const path = `tenant/${encodeURIComponent(tenant.id)}`;
  const button = (id, text, danger = false) => h('button', { type: 'button', class: danger ? 'danger' : null, id }, text);
  const lifecycle = [];
  if (offboarding) {
    lifecycle.push(confirmedButton(button('cancel-offboarding', 'Cancel offboarding'), {
      confirm: {
        title: `Cancel the offboarding of ${tenant.tenantName}?`,
        message: 'It is not purged, and gets back the status it had: an active tenant’s users can sign in again.',
        confirmText: 'Cancel offboarding',
      },
      busyText: 'Cancelling…',
      where: card,
      action: () => api('DELETE', `${path}/offboarding`),
      done: () => {
        flash(`The offboarding of ${tenant.tenantName} is cancelled.`);
        navigate(here);
      },
    }));
  } else {
    lifecycle.push(tenant.isActive
      ? confirmedButton(button('deactivate-tenant', 'Deactivate tenant', true), {
        confirm: {
          title: `Deactivate ${tenant.tenantName}?`,
          message: 'Its users are disabled at once and cannot sign in or use the app until you reactivate it. Its data is kept.',
          confirmText: 'Deactivate',
          danger: true,
        },
        busyText: 'Deactivating…',
        where: card,
        action: () => api('DELETE', path),
        done: () => {
          flash(`${tenant.tenantName} is deactivated.`, 'warning');
          navigate(here);
        },
      })
      : confirmedButton(button('reactivate-tenant', 'Reactivate tenant'), {
        confirm: {
          title: `Reactivate ${tenant.tenantName}?`,
          message: 'Its users are enabled again and can sign in and use the app.',
          confirmText: 'Reactivate',
        },
        busyText: 'Reactivating…',
        where: card,
        action: () => api('PUT', `tenant/activation/${encodeURIComponent(tenant.id)}`),
        done: () => {
          flash(`${tenant.tenantName} is active again.`);
          navigate(here);
        },
      }));
    lifecycle.push(confirmedButton(button('offboard-tenant', 'Offboard tenant', true), {
      confirm: {
        title: `Offboard ${tenant.tenantName}?`,
        message: 'It is deactivated at once, and after the retention window its data, users and database are deleted for good. '
          + 'You can cancel until then.',
        confirmText: 'Offboard',
        danger: true,
      },
      busyText: 'Offboarding…',
      where: card,
      action: () => api('POST', `${path}/offboarding`),
      done: () => {
        flash(`${tenant.tenantName} is offboarding.`, 'warning');
        navigate(here);
      },
    }));
  }

  card.append(h('div', { class: 'actions' }, ...lifecycle, exportButton(tenant.id, card)));
  return card;
}

function editForm(tenant) {
  const form = h('form', { id: 'edit-tenant', class: 'card', novalidate: true, 'aria-labelledby': 'edit-tenant-title' },
    h('h2', { id: 'edit-tenant-title' }, 'Edit details'),
    h('div', { class: 'form-row' },
      field({ form: 'edit-tenant', name: 'tenantName', label: 'Company name', value: tenant.tenantName }),
      field({ form: 'edit-tenant', name: 'tenantEmail', label: 'Email', type: 'email', value: tenant.tenantEmail, maxlength: 254 })),
    h('div', { class: 'form-row' },
      field({ form: 'edit-tenant', name: 'tenantPhone', label: 'Phone', type: 'tel', optional: true, value: tenant.tenantPhone, maxlength: 32 }),
      field({ form: 'edit-tenant', name: 'tenantTier', label: 'Plan', kind: 'select', options: tiers, value: tenant.tenantTier })),
    field({ form: 'edit-tenant', name: 'tenantAddress', label: 'Address', optional: true, value: tenant.tenantAddress, maxlength: 256 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save changes')));
  bindForm(form, {
    rules: tenantRules(true),
    submit: async (values) => {
      await api('PUT', `tenant/${encodeURIComponent(tenant.id)}`, { body: tenantChanges(values) });
      flash('Changes saved.');
      navigate(`#/tenant/${encodeURIComponent(tenant.id)}`);
    },
  });
  return form;
}

function users(tenant, section) {
  const status = notice(section);
  const list = pagedList({
    label: 'users',
    headingLevel: 'h3',
    empty: 'This tenant has no users.',
    load: (nextToken) => api('GET', listQuery('users', { tenantId: tenant.id, limit: pageSize, nextToken })),
    render: (found) => usersTable(found, {
      id: 'tenant-users-table',
      caption: `Users of ${tenant.tenantName}`,
      where: list,
      done: (message, kind) => {
        status.show(message, kind);
        list.reload();
      },
    }),
  });
  return h('section', { 'aria-labelledby': 'tenant-users-title' },
    h('h2', { id: 'tenant-users-title' }, 'Users'),
    h('p', {}, h('a', { href: `#/users?tenant=${encodeURIComponent(tenant.id)}` }, `Add a user to ${tenant.tenantName}, or filter its users`)),
    list);
}
