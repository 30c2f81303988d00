// #/orders: the tenant's orders, paged, each linking to its detail.
import { api } from '../api.js';
import { dateTime, h, money, tableWrap } from '../dom.js';
import { orderStatusBadge } from '../labels.js';
import { listQuery, pagedList } from '../paged-list.js';
import { pageSize } from './context.js';

export function ordersView(section) {
  section.append(h('h1', {}, 'Orders'), pagedList({
    label: 'orders',
    empty: 'No orders yet. Pick products and place one from the cart.',
    load: (nextToken) => api('GET', listQuery('orders', { limit: pageSize, nextToken })),
    render: (orders) => tableWrap(h('table', { class: 'stack', id: 'orders-table' },
      h('caption', { class: 'visually-hidden' }, 'Orders'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Order'), h('th', { scope: 'col' }, 'Placed'), h('th', { scope: 'col' }, 'Status'),
        h('th', { scope: 'col', class: 'number' }, 'Items'), h('th', { scope: 'col', class: 'number' }, 'Total'))),
      h('tbody', {}, orders.map((order) => h('tr', { dataset: { orderId: order.id } },
        h('td', { 'data-label': 'Order' }, h('a', { href: `#/order/${encodeURIComponent(order.id)}` }, order.orderName)),
        h('td', { 'data-label': 'Placed' }, dateTime(order.creationDate)),
        h('td', { 'data-label': 'Status' }, orderStatusBadge(order.status)),
        h('td', { 'data-label': 'Items', class: 'number' }, String(order.orderProducts.reduce((sum, line) => sum + line.quantity, 0))),
        h('td', { 'data-label': 'Total', class: 'number' }, money(order.total))))))),
  }));
}
