// The provider console (SystemAdmin): tenants with paging and search, a tenant's detail, edit, deactivation and
// reactivation, its users, and provisioning a tenant through the registration flow.
import { api } from './api.js';
import { badge, confirmDialog, dateTime, details, errorAlert, h, loading, tableWrap } from './dom.js';
import { bindForm, field } from './forms.js';
import { hasDevMailbox, registrationForm } from './registration.js';
import { tenantRules, tiers } from './rules.js';
import { requireSession } from './session.js';
import { act, flash, listQuery, navigate, pagedList, renderShell, startRouter } from './shell.js';

const pageSize = 10;
const session = requireSession('operations');
if (session) {
  renderShell(session, [['#/tenants', 'Tenants'], ['#/provision', 'Provision a tenant']], 'Provider staff');
  startRouter([
    [/^#\/tenants$/, tenantsView],
    [/^#\/tenant\/([^/]+)$/, tenantView],
    [/^#\/provision$/, provisionView],
  ], '#/tenants', 'Provider console');
}

function statusBadge(tenant) {
  return tenant.isActive ? badge('Active', 'active') : badge('Inactive', 'inactive');
}

async function tenantsView(section, query) {
  const name = query.get('name') ?? '';
  section.append(h('h1', {}, 'Tenants'));

  const search = h('input', { type: 'search', id: 'tenant-search', name: 'name', value: name, autocomplete: 'off' });
  const searchForm = h('form', { role: 'search', 'aria-label': 'Tenants' },
    h('div', { class: 'field' }, h('label', { for: 'tenant-search' }, 'Search by name'), search),
    h('button', { type: 'submit' }, 'Search'),
    name ? h('a', { class: 'button secondary', href: '#/tenants' }, 'Show all') : null);
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(listQuery('#/tenants', { name: search.value.trim() }));
  });

  section.append(
    h('div', { class: 'toolbar' }, searchForm, h('a', { class: 'button secondary', href: '#/provision' }, 'Provision a tenant')),
    name ? h('p', { role: 'status' }, `Tenants whose name contains “${name}”`) : null,
    pagedList({
      label: 'tenants',
      empty: name ? 'No tenant name contains that.' : 'No tenants yet.',
      load: (nextToken) => api('GET', listQuery('tenants', { limit: pageSize, name, nextToken })),
      render: (tenants) => tableWrap(h('table', { class: 'stack', id: 'tenants-table' },
        h('caption', { class: 'visually-hidden' }, 'Tenants'),
        h('thead', {}, h('tr', {}, ['Name', 'Plan', 'Email', 'Status', 'Created'].map((text) => h('th', { scope: 'col' }, text)))),
        h('tbody', {}, tenants.map((tenant) => h('tr', { dataset: { tenantId: tenant.id } },
          h('td', { 'data-label': 'Name' }, h('a', { href: `#/tenant/${encodeURIComponent(tenant.id)}` }, tenant.tenantName)),
          h('td', { 'data-label': 'Plan' }, tenant.tenantTier),
          h('td', { 'data-label': 'Email' }, tenant.tenantEmail),
          h('td', { 'data-label': 'Status' }, statusBadge(tenant)),
          h('td', { 'data-label': 'Created' }, dateTime(tenant.createdAt))))))),
    }));
}

async function tenantView(section, tenantId) {
  const heading = h('h1', {}, 'Tenant');
  const body = h('div', {}, loading('Loading the tenant…'));
  section.append(h('p', {}, h('a', { href: '#/tenants' }, '← All tenants')), heading, body);

  const show = async () => {
    body.replaceChildren(loading('Loading the tenant…'));
    let tenant;
    try {
      tenant = await api('GET', `tenant/${encodeURIComponent(tenantId)}`);
    } catch (error) {
      body.replaceChildren(errorAlert(error, { retry: show }));
      return;
    }

    heading.textContent = tenant.tenantName;
    document.title = `${tenant.tenantName} · Provider console`;
    body.replaceChildren(...tenantDetail(tenant));
  };

  await show();
}

function tenantDetail(tenant) {
  const summary = h('div', { class: 'card', id: 'tenant-summary' },
    tenant.isActive ? null : h('p', { class: 'alert warning' }, 'This tenant is deactivated: its users cannot sign in and their live tokens are refused.'),
    details([
      ['Status', statusBadge(tenant)],
      ['Tenant id', h('span', { class: 'mono' }, tenant.id)],
      ['Email', tenant.tenantEmail],
      ['Phone', tenant.tenantPhone],
      ['Address', tenant.tenantAddress],
      ['Plan', tenant.tenantTier],
      ['Created', dateTime(tenant.createdAt)],
      ['Updated', dateTime(tenant.updatedAt)],
    ]));

  const lifecycle = h('div', { class: 'actions' });
  summary.append(lifecycle);
  if (tenant.isActive) {
    const button = h('button', { type: 'button', class: 'danger', id: 'deactivate-tenant' }, 'Deactivate tenant');
    button.addEventListener('click', async () => {
      const sure = await confirmDialog({
        title: `Deactivate ${tenant.tenantName}?`,
        message: 'Its users are disabled at once and cannot sign in or use the app until you reactivate it. Its data is kept.',
        confirmText: 'Deactivate',
        danger: true,
      });
      if (sure && await act(button, 'Deactivating…', summary, () => api('DELETE', `tenant/${encodeURIComponent(tenant.id)}`))) {
        flash(`${tenant.tenantName} is deactivated.`, 'warning');
        navigate(`#/tenant/${encodeURIComponent(tenant.id)}`);
      }
    });
    lifecycle.append(button);
  } else {
    const button = h('button', { type: 'button', id: 'reactivate-tenant' }, 'Reactivate tenant');
    button.addEventListener('click', async () => {
      const sure = await confirmDialog({
        title: `Reactivate ${tenant.tenantName}?`,
        message: 'Its users are enabled again and can sign in and use the app.',
        confirmText: 'Reactivate',
      });
      if (sure && await act(button, 'Reactivating…', summary, () => api('PUT', `tenant/activation/${encodeURIComponent(tenant.id)}`))) {
        flash(`${tenant.tenantName} is active again.`);
        navigate(`#/tenant/${encodeURIComponent(tenant.id)}`);
      }
    });
    lifecycle.append(button);
  }

  const form = h('form', { id: 'edit-tenant', class: 'card', novalidate: true, 'aria-labelledby': 'edit-tenant-title' },
    h('h2', { id: 'edit-tenant-title' }, 'Edit details'),
    h('div', { class: 'form-row' },
      field({ form: 'edit-tenant', name: 'tenantName', label: 'Company name', value: tenant.tenantName, maxlength: 64 }),
      field({ form: 'edit-tenant', name: 'tenantEmail', label: 'Email', type: 'email', value: tenant.tenantEmail, maxlength: 254 })),
    h('div', { class: 'form-row' },
      field({ form: 'edit-tenant', name: 'tenantPhone', label: 'Phone', type: 'tel', optional: true, value: tenant.tenantPhone, maxlength: 32 }),
      field({ form: 'edit-tenant', name: 'tenantTier', label: 'Plan', kind: 'select', options: tiers, value: tenant.tenantTier })),
    field({ form: 'edit-tenant', name: 'tenantAddress', label: 'Address', optional: true, value: tenant.tenantAddress, maxlength: 256 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save changes')));
  bindForm(form, {
    rules: tenantRules(true),
    submit: async (values) => {
      await api('PUT', `tenant/${encodeURIComponent(tenant.id)}`, {
        body: {
          tenantName: values.tenantName.trim(),
          tenantEmail: values.tenantEmail.trim(),
          tenantPhone: values.tenantPhone.trim() || null,
          tenantAddress: values.tenantAddress.trim() || null,
          tenantTier: values.tenantTier,
        },
      });
      flash('Changes saved.');
      navigate(`#/tenant/${encodeURIComponent(tenant.id)}`);
    },
  });

  const users = h('section', { 'aria-labelledby': 'tenant-users-title' },
    h('h2', { id: 'tenant-users-title' }, 'Users'),
    pagedList({
      label: 'users',
      empty: 'This tenant has no users.',
      load: (nextToken) => api('GET', listQuery('users', { tenantId: tenant.id, limit: pageSize, nextToken })),
      render: (list) => tableWrap(h('table', { class: 'stack', id: 'tenant-users-table' },
        h('caption', { class: 'visually-hidden' }, `Users of ${tenant.tenantName}`),
        h('thead', {}, h('tr', {}, ['User name', 'Email', 'Role', 'Status', 'Created'].map((text) => h('th', { scope: 'col' }, text)))),
        h('tbody', {}, list.map((user) => h('tr', {},
          h('td', { 'data-label': 'User name', class: 'mono' }, user.userName),
          h('td', { 'data-label': 'Email' }, user.email),
          h('td', { 'data-label': 'Role' }, user.userRole ?? ''),
          h('td', { 'data-label': 'Status' }, user.enabled ? badge('Enabled', 'active') : badge('Disabled', 'disabled'), ' ', user.status),
          h('td', { 'data-label': 'Created' }, dateTime(user.createdAt))))))),
    }));

  return [summary, form, users];
}

async function provisionView(section) {
  section.append(
    h('h1', {}, 'Provision a tenant'),
    h('p', { class: 'lead' }, 'The same sign-up a company does for itself: the tenant, its database and its administrator, whose temporary password is emailed.'));
  const result = h('div');
  section.append(result, registrationForm({
    id: 'provision',
    submitText: 'Provision tenant',
    auth: true,
    registered: async (answer, values) => {
      const mailbox = await hasDevMailbox();
      result.replaceChildren(h('div', { class: 'alert success', role: 'status', id: 'provisioned' },
        h('h2', {}, `${answer.tenantName} is provisioned`),
        h('p', {}, `Its administrator ${answer.tenantAdminUserName} has a temporary password at ${values.tenantEmail}.`),
        h('p', {}, h('a', { href: `#/tenant/${encodeURIComponent(answer.tenantId)}` }, `Open ${answer.tenantName}`),
          mailbox ? [' · ', h('a', { href: 'mailbox.html' }, 'Dev mailbox')] : null)));
      section.querySelector('form').reset();
      result.querySelector('h2').setAttribute('tabindex', '-1');
      result.querySelector('h2').focus();
    },
  }));
}
