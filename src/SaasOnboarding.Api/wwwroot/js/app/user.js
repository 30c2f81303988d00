// #/user/{name} (admins): a user's details, changing their email or role, and the actions of user-actions.js.
import { api } from '../api.js';
import { detailView } from '../detail.js';
import { dateTime, details, h } from '../dom.js';
import { bindForm, field } from '../forms.js';
import { roleName, roleOptions, userStatusBadge } from '../labels.js';
import { flash, navigate } from '../router.js';
import { userRules } from '../rules.js';
import { userActions } from '../user-actions.js';
import { adminOnly, session } from './context.js';

export function userView(section, userName) {
  return detailView(section, {
    back: ['#/users', 'Users'],
    heading: userName,
    guard: adminOnly,
    loadingText: 'Loading the user…',
    load: () => api('GET', `user/${encodeURIComponent(userName)}`),
    render: userDetail,
  });
}

function userDetail(user) {
  const here = `#/user/${encodeURIComponent(user.userName)}`;
  const summary = h('div', { class: 'card' }, details([
    ['Email', user.email],
    ['Role', roleName(user.userRole)],
    ['Status', userStatusBadge(user)],
    ['Created', dateTime(user.createdAt)],
  ]));
  const form = h('form', { id: 'edit-user', class: 'card', novalidate: true, 'aria-labelledby': 'edit-user-title' },
    h('h2', { id: 'edit-user-title' }, 'Change email or role'),
    field({ form: 'edit-user', name: 'userEmail', label: 'Email', type: 'email', value: user.email, maxlength: 254 }),
    field({ form: 'edit-user', name: 'userRole', label: 'Role', kind: 'select', value: user.userRole, options: roleOptions }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save')));
  bindForm(form, {
    rules: { userEmail: userRules.userEmail, userRole: userRules.userRole },
    submit: async (values) => {
      await api('PUT', `user/${encodeURIComponent(user.userName)}`, { body: { userEmail: values.userEmail.trim(), userRole: values.userRole } });
      flash('Changes saved.');
      navigate(here);
    },
  });

  const area = h('div', { class: 'actions' });
  area.append(userActions(user, {
    where: area,
    self: session.userName,
    done: (message, kind, removed) => {
      flash(message, kind);
      navigate(removed ? '#/users' : here);
    },
  }));
  const parts = [summary, form, area];
  return parts;
}
