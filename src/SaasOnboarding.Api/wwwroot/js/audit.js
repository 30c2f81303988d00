// #/audit: the audit log, newest first, paged, with filters (#/audit?actor=…&action=…&from=…&to=…, and tenantId in
// the provider console; from and to are dates, to included). The tenant app shows its admin the tenant's own
// entries: the API narrows them. Every action, actor, pool and outcome is shown in words (labels.js).
import { api } from './api.js';
import { dateTime, h, tableWrap } from './dom.js';
import { auditActionName, auditActionOptions, auditActorName, auditOutcomeBadge, auditPoolName } from './labels.js';
import { listQuery, pagedList } from './paged-list.js';
import { navigate } from './router.js';

/** Rows per page. */
const pageSize = 20;

/** A date (`YYYY-MM-DD`) as the instant its day starts here, `days` later, in ISO 8601; empty for no date. */
function dayStart(date, days = 0) {
  const start = date ? new Date(`${date}T00:00`) : null;
  if (!start || Number.isNaN(start.getTime())) {
    return '';
  }

  start.setDate(start.getDate() + days);
  return start.toISOString();
}

/** `withTenant`: the filter by company (provider staff only), and the company column while it is not set. */
export function auditView(section, query, { withTenant = false } = {}) {
  const values = Object.fromEntries(['tenantId', 'actor', 'action', 'from', 'to'].map((name) => [name, query.get(name) ?? '']));
  section.append(h('h1', {}, 'Audit log'));

  const field = (name, label, control) => h('div', { class: 'field' }, h('label', { for: `audit-${name}` }, label), control);
  const text = (name, type = 'text') => h('input', { type, id: `audit-${name}`, name, value: values[name], autocomplete: 'off' });
  const actions = auditActionOptions.filter(([, , providerOnly]) => withTenant || !providerOnly);
  const controls = {
    tenantId: withTenant ? text('tenantId') : null,
    actor: text('actor'),
    action: h('select', { id: 'audit-action', name: 'action' },
      [['', 'Any action'], ...actions].map(([value, words]) => h('option', { value, selected: value === values.action }, words))),
    from: text('from', 'date'),
    to: text('to', 'date'),
  };
  const labels = { tenantId: 'Company id', actor: 'User name', action: 'Action', from: 'From', to: 'Until' };
  const names = Object.keys(controls).filter((name) => controls[name]);
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Audit log filters' },
    h('div', { class: 'form-row' }, names.map((name) => field(name, labels[name], controls[name]))),
    h('button', { type: 'submit' }, 'Filter'),
    names.some((name) => values[name]) ? h('a', { class: 'button secondary', href: '#/audit' }, 'Clear filters') : null);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(listQuery('#/audit', Object.fromEntries(names.map((name) => [name, controls[name].value.trim()]))));
  });

  // The company column when the list can hold several companies' entries.
  const byCompany = withTenant && !values.tenantId;
  const columns = ['Time', 'Who', 'Action', 'On', 'Outcome', ...(byCompany ? ['Company'] : []), 'From address'];
  section.append(
    form,
    pagedList({
      label: 'audit entries',
      empty: 'No audit entries match.',
      load: (nextToken) => api('GET', listQuery('audit', {
        limit: pageSize,
        tenantId: withTenant ? values.tenantId : '',
        actor: values.actor,
        action: values.action,
        from: dayStart(values.from),
        to: dayStart(values.to, 1),
        nextToken,
      })),
      render: (entries) => tableWrap(h('table', { class: 'stack', id: 'audit-table' },
        h('caption', { class: 'visually-hidden' }, 'Audit entries, newest first'),
        h('thead', {}, h('tr', {}, columns.map((title) => h('th', { scope: 'col' }, title)))),
        h('tbody', {}, entries.map((entry) => h('tr', { dataset: { entryId: entry.id } },
          h('td', { 'data-label': 'Time' }, dateTime(entry.time)),
          h('td', { 'data-label': 'Who' }, auditActorName(entry),
            auditPoolName(entry.actorPool) ? h('div', { class: 'hint' }, auditPoolName(entry.actorPool)) : null),
          h('td', { 'data-label': 'Action' }, auditActionName(entry.action)),
          h('td', { 'data-label': 'On' }, entry.target ?? ''),
          h('td', { 'data-label': 'Outcome' }, auditOutcomeBadge(entry.outcome)),
          byCompany ? h('td', { 'data-label': 'Company' }, entry.tenantId ?? '') : null,
          h('td', { 'data-label': 'From address' }, entry.clientAddress ?? '')))))),
    }));
}
