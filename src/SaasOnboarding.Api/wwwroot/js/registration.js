// The registration form (POST /registration): the public sign-up page and the provider console's "provision a
// tenant" use the same form, rules and request.
import { api } from './api.js';
import { h } from './dom.js';
import { bindForm, field } from './forms.js';
import { plans } from './labels.js';
import { tenantRules } from './rules.js';

/**
 * Builds the form; `registered(answer, values)` runs after a 201 with `{tenantId, tenantName,
 * tenantAdminUserName, message}`. Answers the form element.
 */
export function registrationForm({ id, submitText, registered, auth = false }) {
  const form = h('form', { id, class: 'card', novalidate: true },
    field({ form: id, name: 'tenantName', label: 'Company name', hint: "Up to 64 letters, digits, spaces and - _ . ' &. It must not be taken already.", autocomplete: 'organization' }),
    field({ form: id, name: 'tenantEmail', label: 'Email of the administrator', type: 'email', hint: 'The temporary password is sent here.', autocomplete: 'email', inputmode: 'email', maxlength: 254 }),
    field({ form: id, name: 'tenantTier', label: 'Plan', kind: 'select', value: 'Basic', hint: plans[0][2], options: plans.map(([value, name]) => [value, name]) }),
    field({ form: id, name: 'tenantPhone', label: 'Phone', type: 'tel', optional: true, hint: 'Digits, spaces and + ( ) - .', autocomplete: 'tel', maxlength: 32 }),
    field({ form: id, name: 'tenantAddress', label: 'Address', optional: true, autocomplete: 'street-address', maxlength: 256 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, submitText)));

  // The plan's hint says what the chosen plan gives.
  const plan = form.elements.namedItem('tenantTier');
  plan.addEventListener('change', () => {
    document.getElementById(`${id}-tenantTier-hint`).textContent = plans.find(([value]) => value === plan.value)?.[2] ?? '';
  });

  bindForm(form, {
    rules: tenantRules(true),
    busyText: 'Creating…',
    submit: async (values) => {
      const body = {
        tenantName: values.tenantName.trim(),
        tenantEmail: values.tenantEmail.trim(),
        tenantTier: values.tenantTier,
      };
      // Optional fields are left out when empty rather than sent blank.
      if (values.tenantPhone.trim()) {
        body.tenantPhone = values.tenantPhone.trim();
      }

      if (values.tenantAddress.trim()) {
        body.tenantAddress = values.tenantAddress.trim();
      }

      const answer = await api('POST', 'registration', { auth, body });
      await registered(answer, body);
    },
  });
  return form;
}

/** Whether this deployment has the local dev mailbox (it answers 404 where a real email service is used). */
export async function hasDevMailbox() {
  try {
    await api('GET', 'dev/mailbox?limit=1', { auth: false });
    return true;
  } catch {
    return false;
  }
}
