// #/orders: the tenant's orders, newest first, paged, each linking to its detail, with a search by part of the order's
// name or id or of a product's name or SKU, and a status filter (#/orders?search=…&status=…). The page shown is kept
// in the history entry, so Back and reload return to it.
import { api } from '../api.js';
import { dateTime, h, money, tableWrap } from '../dom.js';
import { orderStatusBadge, orderStatusName, orderStatusOptions } from '../labels.js';
import { listQuery, pagedList } from '../paged-list.js';
import { pageSize } from './context.js';
import { listSearch } from './list-search.js';

export function ordersView(section, query) {
  const text = query.get('search')?.trim() ?? '';
  const wanted = orderStatusOptions.some(([value]) => value === query.get('status')) ? query.get('status') : '';
  const showing = [text ? `matching “${text}”` : null, wanted ? `that are ${orderStatusName(wanted).toLowerCase()}` : null].filter(Boolean);
  section.append(
    h('h1', {}, 'Orders'),
    h('div', { class: 'toolbar' }, listSearch({
      route: '#/orders',
      label: 'Orders',
      query,
      search: { id: 'order-search', label: 'Search by order, product or SKU' },
      selects: [{ id: 'order-status', name: 'status', label: 'Status', options: [['', 'Any status'], ...orderStatusOptions] }],
    })),
    ...(showing.length ? [h('p', { role: 'status' }, `Orders ${showing.join(' and ')}`)] : []));
  section.append(pagedList({
    label: 'orders',
    empty: showing.length ? 'No order matches.' : 'No orders yet. Pick products and place one from the cart.',
    at: history.state?.ordersPage,
    moved: (position) => history.replaceState({ ...history.state, ordersPage: position }, ''),
    load: (nextToken) => api('GET', listQuery('orders', { limit: pageSize, search: text, status: wanted, nextToken })),
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
