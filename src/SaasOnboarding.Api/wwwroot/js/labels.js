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

/** The roles of a company's users, as select options `[value, name]`. */
export const roleOptions = [['TenantUser', 'User'], ['TenantAdmin', 'Admin']];

/** A role as a word: User, Admin, or Provider staff. */
export function roleName(role) {
  return role === 'TenantAdmin' ? 'Admin' : role === 'SystemAdmin' ? 'Provider staff' : 'User';
}
