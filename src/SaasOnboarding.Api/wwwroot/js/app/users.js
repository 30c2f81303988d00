// #/users (admins): adding a user (a taken user name is shown beside its field) and the company's users, paged, each
// with its actions (role, disable, enable, resend the invitation).
import { h } from '../dom.js';
import { api } from '../api.js';
import { bindForm, field } from '../forms.js';
import { roleOptions } from '../labels.js';
import { listQuery, pagedList } from '../paged-list.js';
import { notice } from '../router.js';
import { userRules } from '../rules.js';
import { createUser, usersTable } from '../user-actions.js';
import { adminOnly, pageSize, session } from './context.js';

export function usersView(section) {
  section.append(h('h1', {}, 'Users'));
  if (adminOnly(section)) {
    return;
  }

  const status = notice(section);
  const form = h('form', { id: 'new-user', class: 'card', novalidate: true, 'aria-labelledby': 'new-user-title' },
    h('h2', { id: 'new-user-title' }, 'Add a user'),
    h('div', { class: 'form-row' },
      field({ form: 'new-user', name: 'userName', label: 'User name', hint: 'Letters, digits and . _ - @ +', maxlength: 128, autocapitalize: 'none', spellcheck: 'false', autocomplete: 'off' }),
      field({ form: 'new-user', name: 'userEmail', label: 'Email', type: 'email', hint: 'The temporary password is sent here.', maxlength: 254, autocomplete: 'off' })),
    field({ form: 'new-user', name: 'userRole', label: 'Role', kind: 'select', value: 'TenantUser', options: roleOptions }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add user')));
  const list = pagedList({
    label: 'users',
    headingLevel: 'h3',
    empty: 'No users yet.',
    load: (nextToken) => api('GET', listQuery('users', { limit: pageSize, nextToken })),
    render: (users) => usersTable(users, {
      id: 'users-table',
      caption: 'Users',
      link: (user) => `#/user/${encodeURIComponent(user.userName)}`,
      self: session.userName,
      where: list,
      done: (message, kind) => {
        status.show(message, kind);
        list.reload();
      },
    }),
  });
  bindForm(form, {
    rules: userRules,
    busyText: 'Adding…',
    submit: async (values) => {
      status.clear();
      const user = await createUser(values);
      form.reset();
      status.show(`${user.userName} was added. A temporary password was sent to ${user.email}.`);
      list.reload();
    },
  });
  section.append(form, h('h2', {}, 'Your users'), list);
}
