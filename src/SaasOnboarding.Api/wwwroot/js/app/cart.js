// #/cart: the cart's lines with their quantities, the estimated total, and placing the order. A line the API
// refuses (too little stock, no longer sold) is marked and explained, and nothing is ordered.
import { api, ApiError } from '../api.js';
import { lineCents } from '../cart.js';
import { announce, h, money, tableWrap, visuallyHidden } from '../dom.js';
import { bindForm, field } from '../forms.js';
import { flash, navigate } from '../router.js';
import { isCount, text } from '../rules.js';
import { cart } from './context.js';

export function cartView(section) {
  section.append(h('h1', {}, 'Cart'));
  const lines = cart.lines;
  if (!lines.length) {
    section.append(h('p', { class: 'empty' }, 'Your cart is empty. ', h('a', { href: '#/products' }, 'Choose products')));
    return;
  }

  const total = h('span', { id: 'cart-total' });
  const showTotal = () => {
    total.textContent = money(cart.totalCents / 100);
  };

  const rules = { orderName: text({ max: 200 }) };
  const rows = lines.map((line, index) => {
    rules[`quantity-${line.productId}`] = (value) => (isCount(value) ? null : 'Enter a whole number of 1 or more.');
    return cartRow(line, index, showTotal);
  });

  const form = h('form', { id: 'order', novalidate: true },
    tableWrap(h('table', { class: 'stack', id: 'cart-table' },
      h('caption', { class: 'visually-hidden' }, 'Products in the cart'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Product'), h('th', { scope: 'col', class: 'number' }, 'Price'),
        h('th', { scope: 'col' }, 'Quantity'), h('th', { scope: 'col', class: 'number' }, 'Line total'), h('th', { scope: 'col' }, visuallyHidden('Remove')))),
      h('tbody', {}, rows))),
    h('p', { class: 'total' }, 'Estimated total: ', total),
    h('p', { class: 'hint' }, 'Prices are confirmed when the order is placed.'),
    h('div', { class: 'card' },
      field({ form: 'order', name: 'orderName', label: 'Order name', hint: 'For example a customer or a purpose.', maxlength: 200 }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Place order'))));
  showTotal();

  bindForm(form, {
    rules,
    busyText: 'Placing order…',
    submit: async (values, { setError, showSummary }) => {
      const current = cart.lines;
      try {
        const order = await api('POST', 'order', {
          body: { orderName: values.orderName.trim(), orderProducts: current.map((line) => ({ productId: line.productId, quantity: line.quantity })) },
        });
        cart.clear();
        flash(`Order “${order.orderName}” was placed.`);
        navigate(`#/order/${encodeURIComponent(order.id)}`);
      } catch (error) {
        const productId = error?.problem?.productId;
        const line = current.find((candidate) => candidate.productId === productId);
        if (error instanceof ApiError && line && (error.status === 409 || error.status === 404)) {
          const fieldName = `quantity-${line.productId}`;
          const message = error.status === 409
            ? `Only ${error.problem.available} in stock; the cart has ${line.quantity}.`
            : 'This product is no longer sold. Remove it from the cart.';
          setError(fieldName, message);
          form.querySelector(`tr[data-product-id="${CSS.escape(line.productId)}"]`)?.classList.add('problem');
          showSummary(
            error.status === 409 ? `Not enough stock for ${line.name}` : `${line.name} is no longer sold`,
            `${message} Nothing was ordered. Change the cart and place the order again.`);
          form.elements.namedItem(fieldName)?.focus();
          return;
        }

        throw error;
      }
    },
  });
  section.append(form);
}

/** A line: a change of quantity updates the cart and the totals at once; Remove takes the line out. */
function cartRow(line, index, showTotal) {
  const inputId = `cart-quantity-${index}`;
  const input = h('input', { type: 'number', id: inputId, name: `quantity-${line.productId}`, min: 1, step: 1, value: line.quantity, inputmode: 'numeric', 'aria-describedby': `${inputId}-error` });
  const lineTotal = h('span', {}, money(lineCents(line.price, line.quantity) / 100));
  input.addEventListener('change', () => {
    if (isCount(input.value)) {
      const quantity = Number(input.value);
      cart.setQuantity(line.productId, quantity);
      lineTotal.textContent = money(lineCents(line.price, quantity) / 100);
      showTotal();
    }
  });
  const remove = h('button', { type: 'button', class: 'secondary small' }, 'Remove', visuallyHidden(` ${line.name}`));
  remove.addEventListener('click', () => {
    cart.remove(line.productId);
    announce(`${line.name} removed from the cart`);
    navigate('#/cart');
  });
  return h('tr', { dataset: { productId: line.productId } },
    h('td', { 'data-label': 'Product' }, h('strong', {}, line.name), h('div', { class: 'hint mono' }, line.sku)),
    h('td', { 'data-label': 'Price', class: 'number' }, money(line.price)),
    h('td', { 'data-label': 'Quantity' },
      h('label', { for: inputId, class: 'visually-hidden' }, `Quantity of ${line.name}`), input,
      h('p', { class: 'field-error', id: `${inputId}-error`, hidden: true })),
    h('td', { 'data-label': 'Line total', class: 'number' }, lineTotal),
    h('td', { 'data-label': 'Remove' }, remove));
}
