// The words people see for statuses, roles and plans: one table, so that no page shows a protocol word such as
// FORCE_CHANGE_PASSWORD, CONFIRMED or TenantUser.
import { badge } from './dom.js';

/** Tenant lifecycle statuses (docs/offboarding.md) as words. */
const tenantStatusNames = {
  Active: 'Active',
  Inactive: 'Deactivated',
  Offboarding: 'Offboarding',
  Purging: 'Being deleted',
  Purged: 'Deleted',
};

/** The tenant statuses a list filters by, as select options `[value, name]`. */
export const tenantStatusOptions = Object.entries(tenantStatusNames);

export function tenantStatusName(status) {
  return tenantStatusNames[status] ?? status;
}

export function tenantStatusBadge(tenant) {
  return badge(tenantStatusName(tenant.status), tenant.isActive ? 'active' : 'inactive');
}

/** The plans, with what each gives (the API's default request rates per company, Hosting/RateLimitOptions.cs). */
export const plans = [
  ['Basic', 'Basic', 'Up to 50 requests a second for your company.'],
  ['Standard', 'Standard', 'Up to 100 requests a second for your company.'],
  ['Premium', 'Premium', 'Up to 250 requests a second for your company.'],
  ['Platinum', 'Platinum', 'Up to 500 requests a second for your company.'],
];

/** The user statuses a list filters by (GET /users?status=), as select options `[value, name]`. */
export const userStatusOptions = [['Invited', 'Invited, has not signed in yet'], ['Active', 'Active'], ['Disabled', 'Disabled']];

/** Whether the user has not signed in yet (their invitation can be sent again). */
export function isInvited(user) {
  return user.enabled && user.status === 'FORCE_CHANGE_PASSWORD';
}

export function userStatusName(user) {
  return !user.enabled ? 'Disabled' : isInvited(user) ? 'Invited, has not signed in yet' : 'Active';
}

export function userStatusBadge(user) {
  return badge(userStatusName(user), !user.enabled ? 'disabled' : isInvited(user) ? 'neutral' : 'active');
}

/** An order status as a word: `shipped` → "Shipped". */
export function orderStatusName(status) {
  return status.charAt(0).toUpperCase() + status.slice(1);
}

export function orderStatusBadge(status) {
  return badge(orderStatusName(status), status);
}

/** The order statuses a list filters by (GET /orders?status=), as select options `[value, name]`. */
export const orderStatusOptions = ['processing', 'shipped', 'delivered', 'cancelled'].map((status) => [status, orderStatusName(status)]);

/** The roles of a company's users, as select options `[value, name]`. */
export const roleOptions = [['TenantUser', 'User'], ['TenantAdmin', 'Admin']];

/** A role as a word: User, Admin, or Provider staff. */
export function roleName(role) {
  return role === 'TenantAdmin' ? 'Admin' : role === 'SystemAdmin' ? 'Provider staff' : 'User';
}

/**
 * The audit log's actions (a method and route pattern, as GET /audit names them) as words, `[action, words,
 * providerOnly]`: the action filter's options, in this order; `providerOnly` ones are not offered in the tenant app.
 */
export const auditActionOptions = [
  ['POST /registration/', 'Signed up a company'],
  ['POST /tenants/import', 'Imported a company', true],
  ['PUT /tenant/{tenantId}', "Changed the company's details"],
  ['DELETE /tenant/{tenantId}', 'Deactivated the company'],
  ['PUT /tenant/activation/{tenantId}', 'Reactivated the company'],
  ['POST /tenant/{tenantId}/offboarding', "Scheduled the company's deletion"],
  ['DELETE /tenant/{tenantId}/offboarding', "Cancelled the company's deletion"],
  ['purge', 'Deleted the company for good', true],
  ['PUT /users/disable/{tenantId}', "Disabled all the company's users"],
  ['PUT /users/enable/{tenantId}', "Enabled all the company's users"],
  ['POST /user', 'Added a user'],
  ['PUT /user/{userName}', "Changed a user's role"],
  ['DELETE /user/{userName}', 'Disabled a user'],
  ['POST /user/{userName}/enable', 'Enabled a user'],
  ['POST /user/{userName}/remove', 'Removed a user for good'],
  ['POST /user/{userName}/invitation', 'Sent an invitation again'],
  ['POST /product', 'Added a product'],
  ['PUT /product/{id}', 'Changed a product'],
  ['DELETE /product/{id}', 'Deleted a product'],
  ['POST /order', 'Placed an order'],
  ['PUT /order/{id}', 'Changed an order'],
  ['DELETE /order/{id}', 'Deleted an order'],
  ['POST /auth/signin', 'Signed in'],
  ['POST /auth/new-password', 'Set a first password'],
  ['POST /auth/refresh', 'Renewed a session'],
  ['POST /auth/forgot-password', 'Asked for a password reset'],
  ['POST /auth/confirm-forgot-password', 'Reset a password'],
  ['POST /auth/change-password', 'Changed a password'],
  ['POST /auth/mfa', 'Entered a sign-in code'],
  ['POST /auth/mfa/setup', 'Began setting up two-step sign-in'],
  ['POST /auth/mfa/setup/verify', 'Turned on two-step sign-in'],
  ['POST /auth/mfa/disable', 'Turned off two-step sign-in'],
  ['POST /webhooks', 'Added a webhook', true],
  ['DELETE /webhooks/{webhookId}', 'Deleted a webhook', true],
  ['POST /webhooks/{webhookId}/test', 'Sent a test event to a webhook', true],
  ['POST /webhooks/{webhookId}/replay', 'Sent an event to a webhook again', true],
  ['POST /internal/events', 'Called the scheduled passes from outside', true],
];

const auditActionNames = Object.fromEntries(auditActionOptions.map(([action, words]) => [action, words]));

/** An audit entry's action as words; one this table does not know yet is "Another change", never its route. */
export function auditActionName(action) {
  return auditActionNames[action] ?? 'Another change';
}

/** Who made an audit entry, as words: a user name, or who acts without one. */
export function auditActorName(entry) {
  return entry.actor === 'anonymous' ? 'Someone not signed in' : entry.actor === 'system' ? 'The service itself' : entry.actor;
}

/** The pool of an audit entry's actor as words ("Provider staff", "Company user"); empty without one. */
export function auditPoolName(pool) {
  return pool === 'Operations' ? 'Provider staff' : pool === 'Tenant' ? 'Company user' : '';
}

const auditOutcomeNames = { succeeded: 'Done', refused: 'Refused', failed: 'Failed', 'locked-out': 'Refused: locked out after failed attempts' };

export function auditOutcomeBadge(outcome) {
  return badge(auditOutcomeNames[outcome] ?? 'Failed', outcome === 'succeeded' ? 'active' : outcome === 'refused' ? 'neutral' : 'inactive');
}

/**
 * The lifecycle event types a webhook can hear of (docs/audit-and-events.md) as words, `[type, words]`, in the
 * order the API lists them: the choices of a new webhook's event filter.
 */
export const webhookEventOptions = [
  ['saasonboarding.tenant.registered', 'A company signed up'],
  ['saasonboarding.tenant.updated', "A company's details changed"],
  ['saasonboarding.tenant.tier_changed', "A company's plan changed"],
  ['saasonboarding.tenant.deactivated', 'A company was deactivated'],
  ['saasonboarding.tenant.activated', 'A company was reactivated'],
  ['saasonboarding.tenant.offboarding_started', "A company's deletion was scheduled"],
  ['saasonboarding.tenant.offboarding_cancelled', "A company's deletion was cancelled"],
  ['saasonboarding.tenant.purged', 'A company was deleted for good'],
  ['saasonboarding.user.created', 'A user was added'],
  ['saasonboarding.user.role_changed', "A user's role changed"],
  ['saasonboarding.user.disabled', 'A user was disabled'],
  ['saasonboarding.user.enabled', 'A user was enabled'],
  ['saasonboarding.user.removed', 'A user was removed for good'],
];

/** The type of the event "Send test event" sends; it is not in the outbox, so it cannot be sent again. */
export const webhookTestEventType = 'saasonboarding.webhook.test';

const webhookEventNames = Object.fromEntries([...webhookEventOptions, [webhookTestEventType, 'Test event']]);

/** An event type as words; one this table does not know yet is "Another event", never its type. */
export function webhookEventName(type) {
  return webhookEventNames[type] ?? 'Another event';
}

/** A webhook's event filter as words: every event (none named), or the named ones. */
export function webhookEventsName(types) {
  return types?.length ? types.map(webhookEventName).join('; ') : 'Every event';
}

/** What one delivery attempt came to, as a badge: "Delivered", "Retrying (attempt 3 failed)", "Failed". */
export function webhookOutcomeBadge(delivery) {
  const { outcome, attempt } = delivery;
  if (outcome === 'delivered') {
    return badge(attempt > 1 ? `Delivered (attempt ${attempt})` : 'Delivered', 'active');
  }

  if (outcome === 'retrying') {
    return badge(`Retrying (attempt ${attempt} failed)`, 'neutral');
  }

  return badge(attempt > 1 ? `Failed after ${attempt} attempts` : 'Failed', 'inactive');
}
