// What an admin does to one user, in the provider console's user lists and in the tenant app alike: change the
// role, disable, enable, remove a disabled user for good, and send the invitation again while the user has not
// signed in.
import { act, confirmedButton } from './actions.js';
import { api, ApiError } from './api.js';
import { h, tableWrap, visuallyHidden } from './dom.js';
import { isInvited, roleName, userStatusBadge } from './labels.js';

/**
 * The buttons for `user`; `done(message, kind, removed)` runs after a change worked (show `message`, reload the
 * list; `removed` is true when the user is gone). `where` is where an error is shown; `self` is the signed-in user's
 * name (nobody disables or demotes themselves).
 */
export function userActions(user, { where, done, self }) {
  const path = `user/${encodeURIComponent(user.userName)}`;
  const label = (text) => [text, visuallyHidden(` (${user.userName})`)];
  const buttons = [];
  if (user.userName !== self) {
    const role = user.userRole === 'TenantAdmin' ? 'TenantUser' : 'TenantAdmin';
    const roleButton = h('button', { type: 'button', class: 'secondary small', dataset: { action: 'role' } }, label(`Make ${roleName(role)}`));
    roleButton.addEventListener('click', async () => {
      if (await act(roleButton, 'Saving…', where, () => api('PUT', path, { body: { userRole: role } }))) {
        done(`${user.userName} is now ${role === 'TenantAdmin' ? 'an Admin' : 'a User'}.`);
      }
    });
    buttons.push(roleButton);
    if (user.enabled) {
      buttons.push(confirmedButton(h('button', { type: 'button', class: 'danger small', dataset: { action: 'disable' } }, label('Disable')), {
        confirm: {
          title: `Disable ${user.userName}?`,
          message: 'They are signed out at their next click and cannot sign in until they are enabled again.',
          confirmText: 'Disable user',
          danger: true,
        },
        busyText: 'Disabling…',
        where,
        action: () => api('DELETE', path),
        done: () => done(`${user.userName} is disabled.`, 'warning'),
      }));
    }
  }

  if (!user.enabled) {
    const enable = h('button', { type: 'button', class: 'secondary small', dataset: { action: 'enable' } }, label('Enable'));
    enable.addEventListener('click', async () => {
      if (await act(enable, 'Enabling…', where, () => api('POST', `${path}/enable`))) {
        done(`${user.userName} is enabled again and can sign in.`);
      }
    });
    buttons.push(enable);
    if (user.userName !== self) {
      buttons.push(confirmedButton(h('button', { type: 'button', class: 'danger small', dataset: { action: 'remove' } }, label('Remove')), {
        confirm: {
          title: `Remove ${user.userName} for good?`,
          message: 'The user is deleted and cannot be enabled again; the user name becomes free. This cannot be undone.',
          confirmText: 'Remove user',
          danger: true,
        },
        busyText: 'Removing…',
        where,
        action: () => api('POST', `${path}/remove`),
        done: () => done(`${user.userName} is removed.`, 'warning', true),
      }));
    }
  }

  if (isInvited(user)) {
    const resend = h('button', { type: 'button', class: 'secondary small', dataset: { action: 'resend' } }, label('Resend invitation'));
    resend.addEventListener('click', async () => {
      if (await act(resend, 'Sending…', where, () => api('POST', `${path}/invitation`))) {
        done(`A new temporary password was sent to ${user.email}.`);
      }
    });
    buttons.push(resend);
  }

  return h('div', { class: 'row-actions' }, buttons);
}

/**
 * A table of users with their actions. `id` and `caption` name it; `link(user)` answers the href of a user's page
 * (optional); `tenant(user)` answers the tenant cell (optional: the column is left out without it); the rest is
 * what `userActions` takes.
 */
export function usersTable(users, { id, caption, link, tenant, ...actions }) {
  const columns = ['User name', tenant ? 'Tenant' : null, 'Email', 'Role', 'Status', 'Actions'].filter(Boolean);
  return tableWrap(h('table', { class: 'stack', id },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, columns.map((title) => h('th', { scope: 'col' }, title)))),
    h('tbody', {}, users.map((user) => h('tr', { dataset: { userName: user.userName } },
      h('td', { 'data-label': 'User name', class: 'mono' }, link ? h('a', { href: link(user) }, user.userName) : user.userName),
      tenant ? h('td', { 'data-label': 'Tenant' }, tenant(user)) : null,
      h('td', { 'data-label': 'Email' }, user.email),
      h('td', { 'data-label': 'Role' }, roleName(user.userRole)),
      h('td', { 'data-label': 'Status' }, userStatusBadge(user)),
      h('td', { 'data-label': 'Actions' }, userActions(user, actions)))))));
}

/** Adds a user (`values` of an "Add a user" form; `tenantId` only from the provider console); a taken name is shown beside its field. */
export async function createUser({ userName, userEmail, userRole, tenantId }) {
  try {
    return await api('POST', 'user', { body: { userName: userName.trim(), userEmail: userEmail.trim(), userRole, tenantId: tenantId || undefined } });
  } catch (error) {
    // User names are unique in the whole pool, so a taken one is a conflict: show it beside the name.
    if (error instanceof ApiError && error.status === 409 && error.title === 'User exists') {
      throw new ApiError(409, { ...error.problem, field: 'userName', detail: 'A user with this user name already exists. Choose another.' });
    }

    throw error;
  }
}
