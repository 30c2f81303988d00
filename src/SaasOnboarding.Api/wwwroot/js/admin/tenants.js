// #/tenants: the tenants, paged, with a search by part of the name (#/tenants?name=…).
import { api } from '../api.js';
import { dateTime, h, tableWrap } from '../dom.js';
import { tenantStatusBadge } from '../labels.js';
import { listQuery, pagedList } from '../paged-list.js';
import { navigate } from '../router.js';

/** Rows per page of the console's lists. */
export const pageSize = 10;

export function tenantsView(section, query) {
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
          h('td', { 'data-label': 'Status' }, tenantStatusBadge(tenant)),
          h('td', { 'data-label': 'Created' }, dateTime(tenant.createdAt))))))),
    }));
}
