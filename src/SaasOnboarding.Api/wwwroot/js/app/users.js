// #/users (admins): adding a user (a taken user name is shown beside its field) and the company's users, paged.
import { api, ApiError } from '../api.js';
import { h, tableWrap } from '../dom.js';
import { bindForm, field } from '../forms.js';
import { roleName, roleOptions, userStatusBadge } from '../labels.js';
import { listQuery, pagedList } from '../paged-list.js';
import { userRules } from '../rules.js';
import { adminOnly, pageSize } from './context.js';

export function usersView(section) {
  section.append(h('h1', {}, 'Users'));
  if (adminOnly(section)) {
    return;
  }

  const status = h('div', { role: 'status' });
  const form = h('form', { id: 'new-user', class: 'card', novalidate: true, 'aria-labelledby': 'new-user-title' },
    h('h2', { id: 'new-user-title' }, 'Add a user'),
    h('div', { class: 'form-row' },
      field({ form: 'new-user', name: 'userName', label: 'User name', hint: 'Letters, digits and . _ - @ +', maxlength: 128, autocapitalize: 'none', spellcheck: 'false', autocomplete: 'off' }),
      field({ form: 'new-user', name: 'userEmail', label: 'Email', type: 'email', hint: 'The temporary password is sent here.', maxlength: 254, autocomplete: 'off' })),
    field({ form: 'new-user', name: 'userRole', label: 'Role', kind: 'select', value: 'TenantUser', options: roleOptions }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add user')));
  const list = pagedList({
    label: 'users',
    empty: 'No users yet.',
    load: (nextToken) => api('GET', listQuery('users', { limit: pageSize, nextToken })),
    render: (users) => tableWrap(h('table', { class: 'stack', id: 'users-table' },
      h('caption', { class: 'visually-hidden' }, 'Users'),
      h('thead', {}, h('tr', {}, ['User name', 'Email', 'Role', 'Status'].map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, users.map((user) => h('tr', {},
        h('td', { 'data-label': 'User name' }, h('a', { class: 'mono', href: `#/user/${encodeURIComponent(user.userName)}` }, user.userName)),
        h('td', { 'data-label': 'Email' }, user.email),
        h('td', { 'data-label': 'Role' }, roleName(user.userRole)),
        h('td', { 'data-label': 'Status' }, userStatusBadge(user))))))),
  });
  bindForm(form, {
    rules: userRules,
    busyText: 'Adding…',
    submit: async (values) => {
      status.replaceChildren();
      let user;
      try {
        user = await api('POST', 'user', { body: { userName: values.userName.trim(), userEmail: values.userEmail.trim(), userRole: values.userRole } });
      } catch (error) {
        // User names are unique in the whole pool, so a taken one is a conflict: show it beside the name.
        if (error instanceof ApiError && error.status === 409 && error.title === 'User exists') {
          throw new ApiError(409, { ...error.problem, field: 'userName', detail: 'A user with this user name already exists. Choose another.' });
        }

        throw error;
      }

      form.reset();
      status.replaceChildren(h('p', { class: 'alert success' }, `${user.userName} was added. A temporary password was sent to ${user.email}.`));
      list.reload();
    },
  });
  section.append(status, form, h('h2', {}, 'Your users'), list);
}
