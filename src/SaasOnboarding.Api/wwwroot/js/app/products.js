// #/products: the catalogue with "Add to cart" on every row and a search by part of the name or SKU
// (#/products?search=…); admins also get "New product", Edit and Delete. The page shown is kept in the history
// entry, so Back and reload return to it.
import { confirmedButton } from '../actions.js';
import { api } from '../api.js';
import { announce, badge, h, money, tableWrap, visuallyHidden } from '../dom.js';
import { listQuery, pagedList } from '../paged-list.js';
import { notice } from '../router.js';
import { isCount } from '../rules.js';
import { cart, isAdmin, pageSize } from './context.js';
import { listSearch } from './list-search.js';

export function productsView(section, query) {
  const text = query.get('search')?.trim() ?? '';
  section.append(h('h1', {}, 'Products'));
  const status = notice(section);
  status.classList.add('cart-status');
  section.append(
    h('p', { class: 'lead' }, isAdmin ? 'Your catalogue. Add products to the cart to place an order.' : 'Add products to the cart to place an order.'),
    h('div', { class: 'toolbar' },
      listSearch({ route: '#/products', label: 'Products', query, search: { id: 'product-search', label: 'Search by name or SKU' } }),
      isAdmin ? h('a', { class: 'button', href: '#/products/new' }, 'New product') : null),
    ...(text ? [h('p', { role: 'status' }, `Products matching “${text}”`)] : []));

  const list = pagedList({
    label: 'products',
    empty: text
      ? `No product has “${text}” in its name or SKU.`
      : isAdmin ? 'No products yet. Add the first one with “New product”.' : 'No products yet.',
    at: history.state?.productsPage,
    moved: (position) => history.replaceState({ ...history.state, productsPage: position }, ''),
    load: (nextToken) => api('GET', listQuery('products', { limit: pageSize, search: text, nextToken })),
    render: (products) => tableWrap(h('table', { class: 'stack', id: 'products-table' },
      h('caption', { class: 'visually-hidden' }, 'Products'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Product'), h('th', { scope: 'col' }, 'SKU'), h('th', { scope: 'col', class: 'number' }, 'Price'),
        h('th', { scope: 'col', class: 'number' }, 'In stock'), h('th', { scope: 'col' }, 'Order'), isAdmin ? h('th', { scope: 'col' }, 'Manage') : null)),
      h('tbody', {}, products.map((product) => productRow(product, status, () => list.reload()))))),
  });
  section.append(list);
}

function productRow(product, status, reload) {
  const manage = isAdmin
    ? h('td', { 'data-label': 'Manage' }, h('div', { class: 'row-actions' },
      h('a', { class: 'button secondary small', href: `#/product/${encodeURIComponent(product.id)}/edit` }, 'Edit', visuallyHidden(` ${product.name}`)),
      deleteButton(product, status, reload)))
    : null;

  return h('tr', { dataset: { productId: product.id } },
    h('td', { 'data-label': 'Product' }, h('strong', {}, product.name), product.description ? h('div', { class: 'hint' }, product.description) : null),
    h('td', { 'data-label': 'SKU', class: 'mono' }, product.sku),
    h('td', { 'data-label': 'Price', class: 'number' }, money(product.price)),
    h('td', { 'data-label': 'In stock', class: 'number' }, String(product.quantity), product.backordered ? [' ', badge('Backordered', 'neutral')] : null),
    h('td', { 'data-label': 'Order' }, addToCartForm(product, status)),
    manage);
}

function addToCartForm(product, status) {
  const quantityId = `add-${product.id}`;
  const quantity = h('input', { type: 'number', id: quantityId, min: 1, step: 1, value: 1, inputmode: 'numeric' });
  const add = h('button', { type: 'submit', class: 'small' }, 'Add to cart', visuallyHidden(`(${product.name})`));
  const form = h('form', { class: 'row-actions', novalidate: true },
    h('label', { for: quantityId, class: 'visually-hidden' }, `Quantity of ${product.name}`), quantity, add);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!isCount(quantity.value)) {
      status.replaceChildren(h('p', { class: 'alert error' }, `Enter a whole number of 1 or more for ${product.name}.`));
      quantity.focus();
      return;
    }

    const count = Number(quantity.value);
    cart.add(product, count);
    status.replaceChildren(h('p', { class: 'alert success' }, `Added ${count} × ${product.name} to the cart. `, h('a', { href: '#/cart' }, 'Go to the cart')));
    announce(`Added ${count} ${product.name} to the cart`);
  });
  return form;
}

function deleteButton(product, status, reload) {
  return confirmedButton(h('button', { type: 'button', class: 'secondary small' }, 'Delete', visuallyHidden(` ${product.name}`)), {
    confirm: {
      title: `Delete ${product.name}?`,
      message: 'It disappears from the product list. Orders already placed keep their copy of it.',
      confirmText: 'Delete product',
      danger: true,
    },
    busyText: 'Deleting…',
    where: status,
    action: () => api('DELETE', `product/${encodeURIComponent(product.id)}`),
    done: () => {
      cart.remove(product.id);
      status.replaceChildren(h('p', { class: 'alert success' }, `${product.name} was deleted.`));
      reload();
    },
  });
}
