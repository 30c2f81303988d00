// The server's field rules, repeated here so that people see a problem as they type. The server still checks
// everything; when it disagrees, its message is shown beside the same field.
// Server side: Tenants/TenantFields.cs, Hosting/FieldErrors.cs, Users/UsersApi.cs (UserFields),
// Products/ProductContracts.cs, Identity/Local/PasswordPolicy.cs. Also here: the body a tenant edit form sends.

export const tiers = ['Basic', 'Standard', 'Premium', 'Platinum'];
export const orderStatuses = ['processing', 'shipped', 'delivered', 'cancelled'];

const controlCharacter = /\p{Cc}/u;

/** Like the server's FieldErrors.Text: trimmed, required or not, a maximum length, no control characters. */
export function text({ required = true, max, valid, rule } = {}) {
  return (raw) => {
    const value = raw.trim();
    if (!value) {
      return required ? 'This field is required.' : null;
    }

    if (max && value.length > max) {
      return `At most ${max} characters (now ${value.length}).`;
    }

    if (controlCharacter.test(value)) {
      return 'Control characters are not allowed.';
    }

    return valid && !valid(value) ? rule : null;
  };
}

const emailPattern = /^[^\s@"(),:;<>[\]\\]+@[^\s@"(),:;<>[\]\\]+\.[^\s@"(),:;<>[\]\\.]+$/u;

export const email = (required = true) => text({ required, max: 254, valid: (value) => emailPattern.test(value), rule: 'Must be an email address.' });

export const tenantRules = (required = true) => ({
  tenantName: text({
    required,
    max: 64,
    valid: (value) => /[\p{L}\p{Nd}]/u.test(value) && /^[\p{L}\p{Nd} \-_.'&]+$/u.test(value),
    rule: "Use letters, digits, spaces and - _ . ' & only.",
  }),
  tenantEmail: email(required),
  tenantPhone: text({
    required: false,
    max: 32,
    valid: (value) => value.length >= 3 && /[0-9]/.test(value) && /^[0-9 +().-]+$/.test(value),
    rule: 'Use digits, spaces and + ( ) - . only, at least 3 characters.',
  }),
  tenantAddress: text({ required: false, max: 256 }),
  tenantTier: text({ required, max: 16, valid: (value) => tiers.some((tier) => tier.toLowerCase() === value.toLowerCase()), rule: `Must be one of ${tiers.join(', ')}.` }),
});

/**
 * The body of `PUT tenant/{id}` from a tenant form's values: trimmed, an emptied phone or address sent as null (which
 * clears it), the plan only when the form has it.
 */
export function tenantChanges(values) {
  const body = {
    tenantName: values.tenantName.trim(),
    tenantEmail: values.tenantEmail.trim(),
    tenantPhone: values.tenantPhone.trim() || null,
    tenantAddress: values.tenantAddress.trim() || null,
  };
  if (values.tenantTier !== undefined) {
    body.tenantTier = values.tenantTier;
  }

  return body;
}

export const userRules = {
  userName: text({ max: 128, valid: (value) => /^[A-Za-z0-9._\-@+]+$/.test(value), rule: 'Use letters, digits and . _ - @ + only.' }),
  userEmail: email(true),
  userRole: text({ max: 32, valid: (value) => ['tenantadmin', 'tenantuser'].includes(value.toLowerCase()), rule: 'Must be TenantAdmin or TenantUser.' }),
};

const symbols = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-';

/** Cognito's default password policy, as the local identity provider enforces it. */
export const passwordChecks = [
  ['length', 'At least 8 characters', (value) => value.length >= 8 && value.length <= 256],
  ['upper', 'An upper-case letter', (value) => /[A-Z]/.test(value)],
  ['lower', 'A lower-case letter', (value) => /[a-z]/.test(value)],
  ['digit', 'A number', (value) => /[0-9]/.test(value)],
  ['symbol', 'A symbol such as ! @ # -', (value) => [...value].some((c) => symbols.includes(c))],
];

export function passwordRule(value) {
  if (!value) {
    return 'This field is required.';
  }

  const missing = passwordChecks.filter(([, , met]) => !met(value)).map(([, label]) => label.toLowerCase());
  return missing.length ? `The password needs: ${missing.join(', ')}.` : null;
}

function wholeNumber(required) {
  return (raw) => {
    const value = raw.trim();
    if (!value) {
      return required ? 'This field is required.' : null;
    }

    if (!/^\d+$/.test(value)) {
      return 'Must be a whole number, zero or more.';
    }

    return Number(value) > 2147483647 ? 'That number is too large.' : null;
  };
}

/** A quantity to order: a whole number of 1 or more, written as digits. */
export function isCount(value) {
  const digits = String(value).trim();
  return /^\d+$/.test(digits) && Number(digits) >= 1;
}

export const productRules = {
  name: text({ max: 200 }),
  sku: text({ max: 100 }),
  price: (raw) => {
    const value = raw.trim();
    if (!value) {
      return 'This field is required.';
    }

    if (!/^\d+(\.\d+)?$/.test(value)) {
      return 'Must be a number, zero or more, such as 12.50.';
    }

    if (/\.\d{3,}$/.test(value)) {
      return 'At most two decimal places.';
    }

    return Number(value) > 1_000_000_000 ? 'Must be between 0 and 1000000000.' : null;
  },
  quantity: wholeNumber(true),
  backorderedLimit: wholeNumber(false),
  description: text({ required: false, max: 2000 }),
};
