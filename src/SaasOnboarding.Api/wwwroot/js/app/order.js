// #/order/{id}: an order's status, lines and total; changing its status (cancelling asks first); admins may delete it.
import { confirmedButton } from '../actions.js';
import { api } from '../api.js';
import { lineCents } from '../cart.js';
import { detailView } from '../detail.js';
import { confirmDialog, dateTime, details, h, money, tableWrap } from '../dom.js';
import { bindForm, field } from '../forms.js';
import { orderStatusBadge, orderStatusName } from '../labels.js';
import { flash, navigate } from '../router.js';
import { orderStatuses } from '../rules.js';
import { isAdmin } from './context.js';

export function orderView(section, id) {
  return detailView(section, {
    back: ['#/orders', 'Orders'],
    heading: 'Order',
    loadingText: 'Loading the order…',
    load: () => api('GET', `order/${encodeURIComponent(id)}`),
    title: (order) => order.orderName,
    render: orderDetail,
  });
}

function orderDetail(order) {
  const summary = h('div', { class: 'card', id: 'order-summary' }, details([
    ['Status', orderStatusBadge(order.status)],
    ['Placed', dateTime(order.creationDate)],
    ['Total', h('span', { class: 'total', id: 'order-total' }, money(order.total))],
  ]));

  const lines = tableWrap(h('table', { class: 'stack', id: 'order-lines' },
    h('caption', {}, 'Products in this order'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Product'), h('th', { scope: 'col' }, 'SKU'), h('th', { scope: 'col', class: 'number' }, 'Quantity'),
      h('th', { scope: 'col', class: 'number' }, 'Price'), h('th', { scope: 'col', class: 'number' }, 'Line total'))),
    h('tbody', {}, order.orderProducts.map((line) => h('tr', {},
      h('td', { 'data-label': 'Product' }, line.productName),
      h('td', { 'data-label': 'SKU', class: 'mono' }, line.productSku),
      h('td', { 'data-label': 'Quantity', class: 'number' }, String(line.quantity)),
      h('td', { 'data-label': 'Price', class: 'number' }, money(line.price)),
      h('td', { 'data-label': 'Line total', class: 'number' }, money(lineCents(line.price, line.quantity) / 100)))))));

  const parts = [summary, lines];
  parts.push(order.status === 'cancelled'
    ? h('p', { class: 'alert info' }, 'This order is cancelled and its stock went back on the shelf. A cancelled order cannot be reopened; place a new one instead.')
    : statusForm(order));
  if (isAdmin) {
    const area = h('div', { class: 'actions' });
    area.append(confirmedButton(h('button', { type: 'button', class: 'danger', id: 'delete-order' }, 'Delete order'), {
      confirm: {
        title: `Delete “${order.orderName}”?`,
        message: order.status === 'processing' ? 'The order is removed and its stock goes back on the shelf.' : 'The order is removed for good.',
        confirmText: 'Delete order',
        danger: true,
      },
      busyText: 'Deleting…',
      where: area,
      action: () => api('DELETE', `order/${encodeURIComponent(order.id)}`),
      done: () => {
        flash(`Order “${order.orderName}” was deleted.`);
        navigate('#/orders');
      },
    }));
    parts.push(area);
  }

  return parts;
}

function statusForm(order) {
  const form = h('form', { id: 'order-status', class: 'card', novalidate: true, 'aria-labelledby': 'order-status-title' },
    h('h2', { id: 'order-status-title' }, 'Change status'),
    field({ form: 'order-status', name: 'orderStatus', label: 'Status', kind: 'select', value: order.status, options: orderStatuses.map((status) => [status, orderStatusName(status)]) }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Update status')));
  bindForm(form, {
    submit: async ({ orderStatus }) => {
      if (orderStatus === order.status) {
        return;
      }

      if (orderStatus === 'cancelled' && !(await confirmDialog({
        title: 'Cancel this order?',
        message: 'Its stock goes back on the shelf. A cancelled order cannot be reopened.',
        confirmText: 'Cancel order',
        danger: true,
      }))) {
        return;
      }

      await api('PUT', `order/${encodeURIComponent(order.id)}`, { body: { orderStatus } });
      flash(`The order is now ${orderStatus}.`);
      navigate(`#/order/${encodeURIComponent(order.id)}`);
    },
  });
  return form;
}
