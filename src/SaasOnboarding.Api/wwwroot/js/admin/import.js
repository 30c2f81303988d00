// #/import: a new tenant from an export bundle (POST /tenants/import, docs/export-format.md); then a link to it.
import { act } from '../actions.js';
import { api } from '../api.js';
import { focusHeading, h } from '../dom.js';

export function importView(section) {
  const file = h('input', { type: 'file', id: 'bundle', name: 'bundle', accept: '.jsonl,.ndjson,application/x-ndjson', required: true, 'aria-describedby': 'bundle-hint' });
  const button = h('button', { type: 'submit' }, 'Import tenant');
  const result = h('div');
  const form = h('form', { class: 'card', id: 'import-tenant', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: 'bundle' }, 'Export bundle'),
      file,
      h('p', { class: 'hint', id: 'bundle-hint' }, 'A file a tenant export downloaded. Nothing is created unless all of it can be imported.')),
    h('div', { class: 'actions' }, button));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const bundle = file.files?.[0];
    if (!bundle) {
      file.focus();
      return;
    }

    let imported = null;
    if (await act(button, 'Importing…', form, async () => {
      imported = await api('POST', 'tenants/import', { body: bundle, contentType: 'application/x-ndjson' });
    })) {
      result.replaceChildren(h('div', { class: 'alert success', role: 'status', id: 'imported' },
        h('h2', {}, `${imported.tenantName} is imported`),
        h('p', {}, `Products: ${imported.products}, orders: ${imported.orders}, users: ${imported.users}. Each user has a new temporary password, sent to its email address; ${imported.tenantAdminUserName} is the administrator.`),
        h('p', {}, h('a', { href: `#/tenant/${encodeURIComponent(imported.tenantId)}` }, `Open ${imported.tenantName}`))));
      form.reset();
      focusHeading(result);
    }
  });
  section.append(
    h('h1', {}, 'Import a tenant'),
    h('p', { class: 'lead' }, 'A new tenant, with a new id, made from another tenant’s export: its details, products, orders and users.'),
    result,
    form);
}
