// #/provision: the sign-up form of the public page, for provider staff; then a link to the new tenant.
import { focusHeading, h } from '../dom.js';
import { hasDevMailbox, registrationForm } from '../registration.js';

export function provisionView(section) {
  section.append(
    h('h1', {}, 'Provision a tenant'),
    h('p', { class: 'lead' }, 'The same sign-up a company does for itself: the tenant, its database and its administrator, whose temporary password is emailed.'));
  const result = h('div');
  section.append(result, registrationForm({
    id: 'provision',
    submitText: 'Provision tenant',
    auth: true,
    registered: async (answer, values) => {
      const mailbox = await hasDevMailbox();
      result.replaceChildren(h('div', { class: 'alert success', role: 'status', id: 'provisioned' },
        h('h2', {}, `${answer.tenantName} is provisioned`),
        h('p', {}, `Its administrator ${answer.tenantAdminUserName} has a temporary password at ${values.tenantEmail}.`),
        h('p', {}, h('a', { href: `#/tenant/${encodeURIComponent(answer.tenantId)}` }, `Open ${answer.tenantName}`),
          mailbox ? [' · ', h('a', { href: 'mailbox.html' }, 'Dev mailbox')] : null)));
      section.querySelector('form').reset();
      focusHeading(result);
    },
  }));
}
