// #/users: the users of every tenant, paged, filtered by tenant, role and status (#/users?tenant=…&role=…&status=…),
// adding a user to a tenant, and each user's actions (role, disable, enable, resend the invitation).
import { api } from '../api.js';
import { h } from '../dom.js';
import { bindForm, field } from '../forms.js';
import { roleOptions, userStatusOptions } from '../labels.js';
import { listQuery, pagedList } from '../paged-list.js';
import { navigate, notice } from '../router.js';
import { userRules } from '../rules.js';
import { createUser, usersTable } from '../user-actions.js';
import { pageSize } from './tenants.js';

export function usersView(section, query) {
  const filters = { tenantId: query.get('tenant') ?? '', role: query.get('role') ?? '', status: query.get('status') ?? '' };
  section.append(h('h1', {}, 'Users'));

  // The tenants by id, for the tenant column and the tenant choices (the first 100 by name).
  const tenants = api('GET', 'tenants?limit=100').then((page) => new Map(page.items.map((tenant) => [tenant.id, tenant.tenantName])));
  const select = (id, label, options, value) => {
    const control = h('select', { id, name: id }, options.map(([optionValue, text]) => h('option', { value: optionValue, selected: optionValue === value }, text)));
    return [h('div', { class: 'field' }, h('label', { for: id }, label), control), control];
  };
  const [tenantField, tenantSelect] = select('filter-tenant', 'Tenant', [['', 'All tenants']], filters.tenantId);
  const [roleField, roleSelect] = select('filter-role', 'Role', [['', 'Any role'], ...roleOptions], filters.role);
  const [statusField, statusSelect] = select('filter-status', 'Status', [['', 'Any status'], ...userStatusOptions], filters.status);
  const filtered = Object.values(filters).some(Boolean);
  const filterForm = h('form', { role: 'search', 'aria-label': 'Users' }, tenantField, roleField, statusField,
    h('button', { type: 'submit' }, 'Filter'),
    filtered ? h('a', { class: 'button secondary', href: '#/users' }, 'Show all') : null);
  filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(listQuery('#/users', { tenant: tenantSelect.value, role: roleSelect.value, status: statusSelect.value }));
  });

  const status = notice(section);
  const form = h('form', { id: 'new-user', class: 'card', novalidate: true, 'aria-labelledby': 'new-user-title' },
    h('h2', { id: 'new-user-title' }, 'Add a user'),
    h('div', { class: 'form-row' },
      field({ form: 'new-user', name: 'userName', label: 'User name', hint: 'Letters, digits and . _ - @ +', maxlength: 128, autocapitalize: 'none', spellcheck: 'false', autocomplete: 'off' }),
      field({ form: 'new-user', name: 'userEmail', label: 'Email', type: 'email', hint: 'The temporary password is sent here.', maxlength: 254, autocomplete: 'off' })),
    h('div', { class: 'form-row' },
      field({ form: 'new-user', name: 'tenantId', label: 'Tenant', kind: 'select', options: [['', 'Choose a tenant']], value: '' }),
      field({ form: 'new-user', name: 'userRole', label: 'Role', kind: 'select', value: 'TenantUser', options: roleOptions })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add user')));

  let names = new Map();
  const list = pagedList({
    label: 'users',
    empty: filtered ? 'No user on this page matches the filters.' : 'No users yet.',
    load: async (nextToken) => {
      const [page, loaded] = await Promise.all([
        api('GET', listQuery('users', { limit: pageSize, nextToken, ...filters })),
        tenants,
      ]);
      names = loaded;
      return page;
    },
    render: (users) => usersTable(users, {
      id: 'users-table',
      caption: 'Users',
      tenant: (user) => h('a', { href: `#/tenant/${encodeURIComponent(user.tenantId)}` }, names.get(user.tenantId) ?? user.tenantId),
      where: list,
      done: (message, kind) => {
        status.show(message, kind);
        list.reload();
      },
    }),
  });

  bindForm(form, {
    rules: { ...userRules, tenantId: (value) => (value ? null : 'Choose the tenant the user belongs to.') },
    busyText: 'Adding…',
    submit: async (values) => {
      status.clear();
      const user = await createUser(values);
      form.reset();
      status.show(`${user.userName} was added. A temporary password was sent to ${user.email}.`);
      list.reload();
    },
  });

  section.append(h('div', { class: 'toolbar' }, filterForm), list, form);
  return tenants.then((loaded) => {
    const tenantChoice = form.elements.namedItem('tenantId');
    for (const [id, name] of loaded) {
      tenantSelect.append(h('option', { value: id, selected: id === filters.tenantId }, name));
      tenantChoice.append(h('option', { value: id, selected: id === filters.tenantId }, name));
    }
  });
}
