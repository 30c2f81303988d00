// How statuses and roles are shown: badges for tenant, user and order statuses, and the names of user roles.
import { badge } from './dom.js';

/** A tenant's lifecycle status (docs/offboarding.md): Active, Inactive, Offboarding, Purging or Purged. */
export function tenantStatusBadge(tenant) {
  return badge(tenant.status, tenant.isActive ? 'active' : 'inactive');
}

export function userStatusBadge(user) {
  return user.enabled ? badge('Enabled', 'active') : badge('Disabled', 'disabled');
}

/** An order status as a word: `shipped` → "Shipped". */
export function orderStatusName(status) {
  return status.charAt(0).toUpperCase() + status.slice(1);
}

export function orderStatusBadge(status) {
  return badge(orderStatusName(status), status);
}

/** The roles a tenant admin gives, as select options `[value, name]`. */
export const roleOptions = [['TenantUser', 'User'], ['TenantAdmin', 'Administrator']];

export function roleName(role) {
  return role === 'TenantAdmin' ? 'Administrator' : 'User';
}
