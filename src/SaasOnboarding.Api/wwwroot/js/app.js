// The tenant app: the navigation, the cart's count in it, and the router to the views in app/, one module each.
import { accountView } from './account.js';
import { api } from './api.js';
import { h, visuallyHidden } from './dom.js';
import { auditView } from './audit.js';
import { startRouter } from './router.js';
import { renderShell } from './shell.js';
import { cart, isAdmin, session } from './app/context.js';
import { cartView } from './app/cart.js';
import { orderView } from './app/order.js';
import { ordersView } from './app/orders.js';
import { productFormView } from './app/product-form.js';
import { productsView } from './app/products.js';
import { profileView } from './app/profile.js';
import { userView } from './app/user.js';
import { usersView } from './app/users.js';

if (session) {
  const links = [['#/products', 'Products'], ['#/orders', 'Orders'], ['#/cart', 'Cart']];
  if (isAdmin) {
    links.push(['#/users', 'Users'], ['#/profile', 'Company profile'], ['#/audit', 'Audit log']);
  } else {
    links.push(['#/profile', 'My account']);
  }

  links.push(['#/account', 'Password and sign-in']);

  renderShell(session, links, isAdmin ? 'Admin' : 'User');
  // The header names the company: GET tenant answers any of its users its name and plan, and nothing else of it.
  api('GET', 'tenant')
    .then((tenant) => document.querySelector('.site-header .brand').replaceChildren(h('span', { id: 'company-name' }, tenant.tenantName), visuallyHidden(' · SaasOnboarding')))
    .catch(() => {});

  const showCount = () => {
    const link = document.querySelector('#site-nav a[data-route="#/cart"]');
    if (link) {
      const count = cart.count;
      link.replaceChildren(h('span', {}, 'Cart', count ? [` (${count}`, visuallyHidden(count === 1 ? ' item' : ' items'), ')'] : null));
    }
  };
  cart.onChange(showCount);
  showCount();

  startRouter([
    [/^#\/products$/, productsView],
    [/^#\/products\/new$/, (section) => productFormView(section, null)],
    [/^#\/product\/([^/]+)\/edit$/, productFormView],
    [/^#\/cart$/, cartView],
    [/^#\/orders$/, ordersView],
    [/^#\/order\/([^/]+)$/, orderView],
    [/^#\/users$/, usersView],
    [/^#\/user\/([^/]+)$/, userView],
    [/^#\/profile$/, profileView],
    [/^#\/audit$/, auditView],
    [/^#\/account$/, accountView],
  ], '#/products', 'SaasOnboarding');
}
