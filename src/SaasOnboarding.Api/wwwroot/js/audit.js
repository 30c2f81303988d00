// #/audit: the audit log, newest first, paged, with filters (#/audit?actor=…&action=…&from=…&to=…, and tenantId in
// the provider console). The tenant app shows its admin the tenant's own entries: the API narrows them.
import { api } from './api.js';
import { dateTime, h, tableWrap } from './dom.js';
import { listQuery, pagedList } from './paged-list.js';
import { navigate } from './router.js';

/** Rows per page. */
const pageSize = 20;

/** `withTenant`: the filter by tenant id (provider staff only). */
export function auditView(section, query, { withTenant = false } = {}) {
  const fields = withTenant ? ['tenantId', 'actor', 'action', 'from', 'to'] : ['actor', 'action', 'from', 'to'];
  const labels = { tenantId: 'Tenant id', actor: 'Actor', action: 'Action', from: 'From (ISO 8601)', to: 'To (ISO 8601)' };
  const values = Object.fromEntries(fields.map((name) => [name, query.get(name) ?? '']));
  section.append(h('h1', {}, 'Audit log'));

  const inputs = fields.map((name) => h('input', { type: 'text', id: `audit-${name}`, name, value: values[name], autocomplete: 'off' }));
  const form = h('form', { class: 'filters', 'aria-label': 'Audit log filters' },
    fields.map((name, index) => h('div', { class: 'field' }, h('label', { for: `audit-${name}` }, labels[name]), inputs[index])),
    h('button', { type: 'submit' }, 'Filter'),
    fields.some((name) => values[name]) ? h('a', { class: 'button secondary', href: '#/audit' }, 'Clear filters') : null);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(listQuery('#/audit', Object.fromEntries(fields.map((name, index) => [name, inputs[index].value.trim()]))));
  });

  section.append(
    form,
    pagedList({
      label: 'audit entries',
      empty: 'No audit entries match.',
      load: (nextToken) => api('GET', listQuery('audit', { limit: pageSize, ...values, nextToken })),
      render: (entries) => tableWrap(h('table', { class: 'stack', id: 'audit-table' },
        h('caption', { class: 'visually-hidden' }, 'Audit entries, newest first'),
        h('thead', {}, h('tr', {}, ['Time', 'Actor', 'Action', 'Target', 'Outcome', 'Tenant', 'Client'].map((text) => h('th', { scope: 'col' }, text)))),
        h('tbody', {}, entries.map((entry) => h('tr', { dataset: { entryId: entry.id } },
          h('td', { 'data-label': 'Time' }, dateTime(entry.time)),
          h('td', { 'data-label': 'Actor' }, entry.actor),
          h('td', { 'data-label': 'Action' }, h('code', {}, entry.action)),
          h('td', { 'data-label': 'Target' }, entry.target ?? ''),
          h('td', { 'data-label': 'Outcome' }, entry.status ? `${entry.outcome} (${entry.status})` : entry.outcome),
          h('td', { 'data-label': 'Tenant' }, entry.tenantId ?? ''),
          h('td', { 'data-label': 'Client' }, entry.clientAddress ?? '')))))),
    }));
}
