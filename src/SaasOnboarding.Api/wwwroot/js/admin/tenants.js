// #/tenants: the tenants, paged, with a search by part of the name and a filter by status
// (#/tenants?name=…&status=…). The page shown is kept in the history entry, so Back and reload return to it.
import { api } from '../api.js';
import { dateTime, h, tableWrap } from '../dom.js';
import { tenantStatusBadge, tenantStatusName, tenantStatusOptions } from '../labels.js';
import { listQuery, pagedList } from '../paged-list.js';
import { navigate } from '../router.js';

/** Rows per page of the console's lists. */
export const pageSize = 10;

export function tenantsView(section, query) {
  const name = query.get('name') ?? '';
  const status = query.get('status') ?? '';
  section.append(h('h1', {}, 'Tenants'));

  const search = h('input', { type: 'search', id: 'tenant-search', name: 'name', autocomplete: 'off' });
  search.value = name;
  const statusSelect = h('select', { id: 'tenant-status', name: 'status' },
    [['', 'Any status'], ...tenantStatusOptions].map(([value, text]) => h('option', { value, selected: value === status }, text)));
  const searchForm = h('form', { role: 'search', 'aria-label': 'Tenants' },
    h('div', { class: 'field' }, h('label', { for: 'tenant-search' }, 'Search by name'), search),
    h('div', { class: 'field' }, h('label', { for: 'tenant-status' }, 'Status'), statusSelect),
    h('button', { type: 'submit' }, 'Search'),
    name || status ? h('a', { class: 'button secondary', href: '#/tenants' }, 'Show all') : null);
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(listQuery('#/tenants', { name: search.value.trim(), status: statusSelect.value }));
  });

  const showing = [name ? `whose name contains “${name}”` : null, status ? `with status ${tenantStatusName(status)}` : null].filter(Boolean);
  section.append(
    h('div', { class: 'toolbar' }, searchForm, h('a', { class: 'button secondary', href: '#/provision' }, 'Provision a tenant')),
    ...(showing.length ? [h('p', { role: 'status' }, `Tenants ${showing.join(' and ')}`)] : []),
    pagedList({
      label: 'tenants',
      empty: showing.length ? 'No tenant matches.' : 'No tenants yet.',
      at: history.state?.tenantsPage,
      moved: (position) => history.replaceState({ ...history.state, tenantsPage: position }, ''),
      load: (nextToken) => api('GET', listQuery('tenants', { limit: pageSize, name, status, nextToken })),
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
