// What every view of the tenant app shares: the signed-in session (null while the page goes to sign in), whether it
// is a tenant admin's, the cart, the list page size, and the answer to a user who opens an admins' view.
import { Cart } from '../cart.js';
import { h } from '../dom.js';
import { requireSession } from '../session.js';

export const pageSize = 20;
export const session = await requireSession('tenant');
export const isAdmin = session?.role === 'TenantAdmin';
export const cart = session ? new Cart(session) : null;

/** For a view's `guard`: when the person is no admin, says so in `section` and answers true. */
export function adminOnly(section) {
  if (isAdmin) {
    return false;
  }

  section.append(h('p', { class: 'alert info' }, 'Only your company’s administrators can open this page.'));
  return true;
}
