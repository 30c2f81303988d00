// #/tenants: the tenants, paged, with their count and "page X of Y", a search by part of the name, the admin email
// or the tenant id, filters by status and plan, and an order (#/tenants?search=…&status=…&tier=…&sort=…). The page
// shown is kept in the history entry, so Back and reload return to it.
import { api } from '../api.js';
import { dateTime, h, tableWrap } from '../dom.js';
import { plans, tenantStatusBadge, tenantStatusName, tenantStatusOptions } from '../labels.js';
import { listQuery, pagedList } from '../paged-list.js';
import { navigate } from '../router.js';

/** Rows per page of the console's lists. */
export const pageSize = 10;

/** The orders of GET /tenants?sort=, as select options `[value, name]`; the first is the API's default. */
const sortOptions = [
  ['name', 'Name, A to Z'],
  ['-name', 'Name, Z to A'],
  ['-created', 'Newest first'],
  ['created', 'Oldest first'],
  ['tier', 'Plan, Basic first'],
  ['-tier', 'Plan, Platinum first'],
];

function select(id, name, label, options, value) {
  const element = h('select', { id, name }, options.map(([optionValue, text]) => h('option', { value: optionValue, selected: optionValue === value }, text)));
  return [element, h('div', { class: 'field' }, h('label', { for: id }, label), element)];
}

export function tenantsView(section, query) {
  const text = query.get('search') ?? '';
  const status = query.get('status') ?? '';
  const tier = query.get('tier') ?? '';
  const sort = sortOptions.some(([value]) => value === query.get('sort')) ? query.get('sort') : sortOptions[0][0];
  section.append(h('h1', {}, 'Tenants'));

  const search = h('input', { type: 'search', id: 'tenant-search', name: 'search', autocomplete: 'off' });
  search.value = text;
  const [statusSelect, statusField] = select('tenant-status', 'status', 'Status', [['', 'Any status'], ...tenantStatusOptions], status);
  const [tierSelect, tierField] = select('tenant-tier', 'tier', 'Plan', [['', 'Any plan'], ...plans.map(([value, name]) => [value, name])], tier);
  const [sortSelect, sortField] = select('tenant-sort', 'sort', 'Order', sortOptions, sort);
  const filtered = text || status || tier;
  const searchForm = h('form', { role: 'search', 'aria-label': 'Tenants' },
    h('div', { class: 'field' }, h('label', { for: 'tenant-search' }, 'Search by name, email or id'), search),
    statusField,
    tierField,
    sortField,
    h('button', { type: 'submit' }, 'Search'),
    filtered ? h('a', { class: 'button secondary', href: '#/tenants' }, 'Show all') : null);
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(listQuery('#/tenants', {
      search: search.value.trim(),
      status: statusSelect.value,
      tier: tierSelect.value,
      sort: sortSelect.value === sortOptions[0][0] ? '' : sortSelect.value,
    }));
  });

  const showing = [
    text ? `matching “${text}”` : null,
    status ? `with status ${tenantStatusName(status)}` : null,
    tier ? `on the ${tier} plan` : null,
  ].filter(Boolean);
  section.append(
    h('div', { class: 'toolbar' }, searchForm, h('a', { class: 'button secondary', href: '#/provision' }, 'Provision a tenant')),
    ...(showing.length ? [h('p', { role: 'status' }, `Tenants ${showing.join(' and ')}`)] : []),
    pagedList({
      label: 'tenants',
      pageSize,
      counted: (total) => (total === 1 ? '1 tenant' : `${total} tenants`),
      empty: showing.length ? 'No tenant matches.' : 'No tenants yet.',
      at: history.state?.tenantsPage,
      moved: (position) => history.replaceState({ ...history.state, tenantsPage: position }, ''),
      load: (nextToken) => api('GET', listQuery('tenants', { limit: pageSize, search: text, status, tier, sort: sort === sortOptions[0][0] ? '' : sort, nextToken })),
      render: (tenants) => tableWrap(h('table', { class: 'stack', id: 'tenants-table' },
        h('caption', { class: 'visually-hidden' }, 'Tenants'),
        h('thead', {}, h('tr', {}, ['Name', 'Plan', 'Email', 'Status', 'Created'].map((heading) => h('th', { scope: 'col' }, heading)))),
        h('tbody', {}, tenants.map((tenant) => h('tr', { dataset: { tenantId: tenant.id } },
          h('td', { 'data-label': 'Name' }, h('a', { href: `#/tenant/${encodeURIComponent(tenant.id)}` }, tenant.tenantName)),
          h('td', { 'data-label': 'Plan' }, tenant.tenantTier),
          h('td', { 'data-label': 'Email' }, tenant.tenantEmail),
          h('td', { 'data-label': 'Status' }, tenantStatusBadge(tenant)),
          h('td', { 'data-label': 'Created' }, dateTime(tenant.createdAt))))))),
    }));
}
