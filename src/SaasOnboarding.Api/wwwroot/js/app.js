// The tenant app: products (admins create, edit, delete), a cart and orders, users (admins), the company profile.
import { api, ApiError } from './api.js';
import { announce, badge, confirmDialog, dateTime, details, errorAlert, h, loading, money, tableWrap } from './dom.js';
import { bindForm, field } from './forms.js';
import { Cart } from './cart.js';
import { orderStatuses, productRules, tenantRules, text, userRules } from './rules.js';
import { requireSession } from './session.js';
import { act, flash, listQuery, navigate, pagedList, renderShell, startRouter } from './shell.js';

const pageSize = 20;
const session = requireSession('tenant');
const isAdmin = session?.role === 'TenantAdmin';
const cart = session ? new Cart(session) : null;

if (session) {
  const links = [['#/products', 'Products'], ['#/orders', 'Orders'], ['#/cart', 'Cart']];
  if (isAdmin) {
    links.push(['#/users', 'Users'], ['#/profile', 'Company profile']);
  } else {
    links.push(['#/profile', 'My account']);
  }

  renderShell(session, links, isAdmin ? 'Administrator' : 'User');
  const showCount = () => {
    const link = document.querySelector('#site-nav a[data-route="#/cart"]');
    if (link) {
      const count = cart.count;
      link.replaceChildren(h('span', {}, 'Cart', count ? [` (${count}`, h('span', { class: 'visually-hidden' }, count === 1 ? ' item' : ' items'), ')'] : null));
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
  ], '#/products', 'SaasOnboarding');
}

function hidden(textContent) {
  return h('span', { class: 'visually-hidden' }, textContent);
}

function adminOnly(section) {
  if (isAdmin) {
    return false;
  }

  section.append(h('p', { class: 'alert info' }, 'Only your company’s administrators can open this page.'));
  return true;
}

// Products

async function productsView(section) {
  section.append(h('h1', {}, 'Products'));
  const status = h('div', { role: 'status', class: 'cart-status' });
  section.append(h('div', { class: 'toolbar' },
    h('p', { class: 'lead' }, isAdmin ? 'Your catalogue. Add products to the cart to place an order.' : 'Add products to the cart to place an order.'),
    isAdmin ? h('a', { class: 'button', href: '#/products/new' }, 'New product') : null), status);

  const list = pagedList({
    label: 'products',
    empty: isAdmin ? 'No products yet. Add the first one with “New product”.' : 'No products yet.',
    load: (nextToken) => api('GET', listQuery('products', { limit: pageSize, nextToken })),
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
  const quantityId = `add-${product.id}`;
  const quantity = h('input', { type: 'number', id: quantityId, min: 1, step: 1, value: 1, inputmode: 'numeric' });
  const add = h('button', { type: 'submit', class: 'small' }, 'Add to cart', hidden(`(${product.name})`));
  const addForm = h('form', { class: 'row-actions', novalidate: true },
    h('label', { for: quantityId, class: 'visually-hidden' }, `Quantity of ${product.name}`), quantity, add);
  addForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const count = Number(quantity.value);
    if (!Number.isInteger(count) || count < 1) {
      status.replaceChildren(h('p', { class: 'alert error' }, `Enter a whole number of 1 or more for ${product.name}.`));
      quantity.focus();
      return;
    }

    cart.add(product, count);
    status.replaceChildren(h('p', { class: 'alert success' }, `Added ${count} × ${product.name} to the cart. `, h('a', { href: '#/cart' }, 'Go to the cart')));
    announce(`Added ${count} ${product.name} to the cart`);
  });

  const manage = isAdmin
    ? h('td', { 'data-label': 'Manage' }, h('div', { class: 'row-actions' },
      h('a', { class: 'button secondary small', href: `#/product/${encodeURIComponent(product.id)}/edit` }, 'Edit', hidden(` ${product.name}`)),
      deleteProductButton(product, status, reload)))
    : null;

  return h('tr', { dataset: { productId: product.id } },
    h('td', { 'data-label': 'Product' }, h('strong', {}, product.name), product.description ? h('div', { class: 'hint' }, product.description) : null),
    h('td', { 'data-label': 'SKU', class: 'mono' }, product.sku),
    h('td', { 'data-label': 'Price', class: 'number' }, money(product.price)),
    h('td', { 'data-label': 'In stock', class: 'number' }, String(product.quantity), product.backordered ? [' ', badge('Backordered', 'neutral')] : null),
    h('td', { 'data-label': 'Order' }, addForm),
    manage);
}

function deleteProductButton(product, status, reload) {
  const button = h('button', { type: 'button', class: 'secondary small' }, 'Delete', hidden(` ${product.name}`));
  button.addEventListener('click', async () => {
    const sure = await confirmDialog({
      title: `Delete ${product.name}?`,
      message: 'It disappears from the product list. Orders already placed keep their copy of it.',
      confirmText: 'Delete product',
      danger: true,
    });
    if (sure && await act(button, 'Deleting…', status, () => api('DELETE', `product/${encodeURIComponent(product.id)}`))) {
      cart.remove(product.id);
      status.replaceChildren(h('p', { class: 'alert success' }, `${product.name} was deleted.`));
      reload();
    }
  });
  return button;
}

async function productFormView(section, id) {
  section.append(h('p', {}, h('a', { href: '#/products' }, '← Products')), h('h1', {}, id ? 'Edit product' : 'New product'));
  if (adminOnly(section)) {
    return;
  }

  let product = null;
  if (id) {
    const wait = section.appendChild(loading('Loading the product…'));
    try {
      product = await api('GET', `product/${encodeURIComponent(id)}`);
    } catch (error) {
      wait.replaceWith(errorAlert(error, { retry: () => navigate(`#/product/${encodeURIComponent(id)}/edit`) }));
      return;
    }

    wait.remove();
  }

  const form = h('form', { id: 'product', class: 'card', novalidate: true },
    field({ form: 'product', name: 'name', label: 'Name', value: product?.name, maxlength: 200 }),
    h('div', { class: 'form-row' },
      field({ form: 'product', name: 'sku', label: 'SKU', hint: 'Unique in your catalogue.', value: product?.sku, maxlength: 100, autocapitalize: 'characters', spellcheck: 'false' }),
      field({ form: 'product', name: 'price', label: 'Price', hint: 'Such as 12.50', value: product?.price?.toFixed(2), inputmode: 'decimal' })),
    h('div', { class: 'form-row' },
      field({ form: 'product', name: 'quantity', label: 'Quantity in stock', hint: 'Whole units, zero or more.', value: product?.quantity ?? '', inputmode: 'numeric' }),
      field({ form: 'product', name: 'backorderedLimit', label: 'Backordered below', hint: 'Marked backordered while stock is below this.', optional: true, value: product?.backorderedLimit || '', inputmode: 'numeric' })),
    field({ form: 'product', name: 'description', label: 'Description', optional: true, value: product?.description, maxlength: 2000 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, product ? 'Save product' : 'Add product'), h('a', { href: '#/products' }, 'Cancel')));

  bindForm(form, {
    rules: productRules,
    submit: async (values) => {
      const body = {
        name: values.name.trim(),
        sku: values.sku.trim(),
        price: Number(values.price.trim()),
        quantity: Number(values.quantity.trim()),
        backorderedLimit: values.backorderedLimit.trim() ? Number(values.backorderedLimit.trim()) : 0,
        description: values.description.trim() || null,
      };
      try {
        if (product) {
          await api('PUT', `product/${encodeURIComponent(product.id)}`, { body });
        } else {
          await api('POST', 'product', { body });
        }
      } catch (error) {
        // A taken SKU is a conflict; show it beside the SKU field.
        if (error instanceof ApiError && error.status === 409 && error.problem.sku !== undefined) {
          throw new ApiError(409, { ...error.problem, field: 'sku', detail: `Another product already has the SKU “${body.sku}”.` });
        }

        throw error;
      }

      flash(product ? `${body.name} was saved.` : `${body.name} was added.`);
      navigate('#/products');
    },
  });
  section.append(form);
}

// Cart and orders

function cartView(section) {
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
    const inputId = `cart-quantity-${index}`;
    const name = `quantity-${line.productId}`;
    rules[name] = (value) => (/^\d+$/.test(value.trim()) && Number(value) >= 1 ? null : 'Enter a whole number of 1 or more.');
    const input = h('input', { type: 'number', id: inputId, name, min: 1, step: 1, value: line.quantity, inputmode: 'numeric', 'aria-describedby': `${inputId}-error` });
    const lineTotal = h('span', {}, money((Math.round(Number(line.price) * 100) * line.quantity) / 100));
    input.addEventListener('change', () => {
      const quantity = Number(input.value);
      if (Number.isInteger(quantity) && quantity >= 1) {
        cart.setQuantity(line.productId, quantity);
        lineTotal.textContent = money((Math.round(Number(line.price) * 100) * quantity) / 100);
        showTotal();
      }
    });
    const remove = h('button', { type: 'button', class: 'secondary small' }, 'Remove', hidden(` ${line.name}`));
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
  });

  const form = h('form', { id: 'order', novalidate: true },
    tableWrap(h('table', { class: 'stack', id: 'cart-table' },
      h('caption', { class: 'visually-hidden' }, 'Products in the cart'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Product'), h('th', { scope: 'col', class: 'number' }, 'Price'),
        h('th', { scope: 'col' }, 'Quantity'), h('th', { scope: 'col', class: 'number' }, 'Line total'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Remove')))),
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

function orderStatusBadge(status) {
  return badge(status.charAt(0).toUpperCase() + status.slice(1), status);
}

async function ordersView(section) {
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

async function orderView(section, id) {
  const heading = h('h1', {}, 'Order');
  const body = h('div', {}, loading('Loading the order…'));
  section.append(h('p', {}, h('a', { href: '#/orders' }, '← Orders')), heading, body);
  const show = async () => {
    body.replaceChildren(loading('Loading the order…'));
    let order;
    try {
      order = await api('GET', `order/${encodeURIComponent(id)}`);
    } catch (error) {
      body.replaceChildren(errorAlert(error, { retry: show }));
      return;
    }

    heading.textContent = order.orderName;
    document.title = `${order.orderName} · SaasOnboarding`;
    body.replaceChildren(...orderDetail(order));
  };
  await show();
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
      h('td', { 'data-label': 'Line total', class: 'number' }, money((Math.round(line.price * 100) * line.quantity) / 100)))))));

  const parts = [summary, lines];
  if (order.status === 'cancelled') {
    parts.push(h('p', { class: 'alert info' }, 'This order is cancelled and its stock went back on the shelf. A cancelled order cannot be reopened; place a new one instead.'));
  } else {
    const form = h('form', { id: 'order-status', class: 'card', novalidate: true, 'aria-labelledby': 'order-status-title' },
      h('h2', { id: 'order-status-title' }, 'Change status'),
      field({ form: 'order-status', name: 'orderStatus', label: 'Status', kind: 'select', value: order.status, options: orderStatuses.map((status) => [status, status.charAt(0).toUpperCase() + status.slice(1)]) }),
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
    parts.push(form);
  }

  if (isAdmin) {
    const button = h('button', { type: 'button', class: 'danger', id: 'delete-order' }, 'Delete order');
    const area = h('div', { class: 'actions' }, button);
    button.addEventListener('click', async () => {
      const sure = await confirmDialog({
        title: `Delete “${order.orderName}”?`,
        message: order.status === 'processing' ? 'The order is removed and its stock goes back on the shelf.' : 'The order is removed for good.',
        confirmText: 'Delete order',
        danger: true,
      });
      if (sure && await act(button, 'Deleting…', area, () => api('DELETE', `order/${encodeURIComponent(order.id)}`))) {
        flash(`Order “${order.orderName}” was deleted.`);
        navigate('#/orders');
      }
    });
    parts.push(area);
  }

  return parts;
}

// Users (tenant admins)

function userRoleOptions() {
  return [['TenantUser', 'User'], ['TenantAdmin', 'Administrator']];
}

async function usersView(section) {
  section.append(h('h1', {}, 'Users'));
  if (adminOnly(section)) {
    return;
  }

  const status = h('div', { role: 'status' });
  const form = h('form', { id: 'new-user', class: 'card', novalidate: true, 'aria-labelledby': 'new-user-title' },
    h('h2', { id: 'new-user-title' }, 'Add a user'),
    h('div', { class: 'form-row' },
      field({ form: 'new-user', name: 'userName', label: 'User name', hint: 'Letters, digits and . _ - @ +', maxlength: 128, autocapitalize: 'none', spellcheck: 'false', autocomplete: 'off' }),
      field({ form: 'new-user', name: 'userEmail', label: 'Email', type: 'email', hint: 'The temporary password is sent here.', maxlength: 254, autocomplete: 'off' })),
    field({ form: 'new-user', name: 'userRole', label: 'Role', kind: 'select', value: 'TenantUser', options: userRoleOptions() }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add user')));
  const list = pagedList({
    label: 'users',
    empty: 'No users yet.',
    load: (nextToken) => api('GET', listQuery('users', { limit: pageSize, nextToken })),
    render: (users) => tableWrap(h('table', { class: 'stack', id: 'users-table' },
      h('caption', { class: 'visually-hidden' }, 'Users'),
      h('thead', {}, h('tr', {}, ['User name', 'Email', 'Role', 'Status'].map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, users.map((user) => h('tr', {},
        h('td', { 'data-label': 'User name' }, h('a', { class: 'mono', href: `#/user/${encodeURIComponent(user.userName)}` }, user.userName)),
        h('td', { 'data-label': 'Email' }, user.email),
        h('td', { 'data-label': 'Role' }, user.userRole === 'TenantAdmin' ? 'Administrator' : 'User'),
        h('td', { 'data-label': 'Status' }, user.enabled ? badge('Enabled', 'active') : badge('Disabled', 'disabled'))))))),
  });
  bindForm(form, {
    rules: userRules,
    busyText: 'Adding…',
    submit: async (values) => {
      status.replaceChildren();
      let user;
      try {
        user = await api('POST', 'user', { body: { userName: values.userName.trim(), userEmail: values.userEmail.trim(), userRole: values.userRole } });
      } catch (error) {
        // User names are unique in the whole pool, so a taken one is a conflict: show it beside the name.
        if (error instanceof ApiError && error.status === 409 && error.title === 'User exists') {
          throw new ApiError(409, { ...error.problem, field: 'userName', detail: 'A user with this user name already exists. Choose another.' });
        }

        throw error;
      }

      form.reset();
      status.replaceChildren(h('p', { class: 'alert success' }, `${user.userName} was added. A temporary password was sent to ${user.email}.`));
      list.reload();
    },
  });
  section.append(status, form, h('h2', {}, 'Your users'), list);
}

async function userView(section, userName) {
  section.append(h('p', {}, h('a', { href: '#/users' }, '← Users')), h('h1', {}, userName));
  if (adminOnly(section)) {
    return;
  }

  const body = section.appendChild(h('div', {}, loading('Loading the user…')));
  let user;
  try {
    user = await api('GET', `user/${encodeURIComponent(userName)}`);
  } catch (error) {
    body.replaceChildren(errorAlert(error, { retry: () => navigate(`#/user/${encodeURIComponent(userName)}`) }));
    return;
  }

  const summary = h('div', { class: 'card' }, details([
    ['Email', user.email],
    ['Role', user.userRole === 'TenantAdmin' ? 'Administrator' : 'User'],
    ['Status', [user.enabled ? badge('Enabled', 'active') : badge('Disabled', 'disabled'), ' ', user.status]],
    ['Created', dateTime(user.createdAt)],
  ]));
  const form = h('form', { id: 'edit-user', class: 'card', novalidate: true, 'aria-labelledby': 'edit-user-title' },
    h('h2', { id: 'edit-user-title' }, 'Change email or role'),
    field({ form: 'edit-user', name: 'userEmail', label: 'Email', type: 'email', value: user.email, maxlength: 254 }),
    field({ form: 'edit-user', name: 'userRole', label: 'Role', kind: 'select', value: user.userRole, options: userRoleOptions() }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save')));
  bindForm(form, {
    rules: { userEmail: userRules.userEmail, userRole: userRules.userRole },
    submit: async (values) => {
      await api('PUT', `user/${encodeURIComponent(user.userName)}`, { body: { userEmail: values.userEmail.trim(), userRole: values.userRole } });
      flash('Changes saved.');
      navigate(`#/user/${encodeURIComponent(user.userName)}`);
    },
  });

  const parts = [summary, form];
  if (user.enabled && user.userName !== session.userName) {
    const button = h('button', { type: 'button', class: 'danger', id: 'disable-user' }, 'Disable user');
    const area = h('div', { class: 'actions' }, button);
    button.addEventListener('click', async () => {
      const sure = await confirmDialog({
        title: `Disable ${user.userName}?`,
        message: 'They are signed out at once and cannot sign in again.',
        confirmText: 'Disable user',
        danger: true,
      });
      if (sure && await act(button, 'Disabling…', area, () => api('DELETE', `user/${encodeURIComponent(user.userName)}`))) {
        flash(`${user.userName} is disabled.`, 'warning');
        navigate(`#/user/${encodeURIComponent(user.userName)}`);
      }
    });
    parts.push(area);
  }

  body.replaceChildren(...parts);
}

// The company profile (admins) or the user's own account

async function profileView(section) {
  section.append(h('h1', {}, isAdmin ? 'Company profile' : 'My account'));
  const body = section.appendChild(h('div', {}, loading('Loading…')));
  if (!isAdmin) {
    try {
      const user = await api('GET', `user/${encodeURIComponent(session.userName)}`);
      body.replaceChildren(h('div', { class: 'card' }, details([
        ['User name', h('span', { class: 'mono' }, user.userName)],
        ['Email', user.email],
        ['Role', 'User'],
        ['Company id', h('span', { class: 'mono' }, user.tenantId)],
      ])), h('p', { class: 'hint' }, 'Your company’s administrators manage the company profile and your account.'));
    } catch (error) {
      body.replaceChildren(errorAlert(error, { retry: () => navigate('#/profile') }));
    }

    return;
  }

  let tenant;
  try {
    tenant = await api('GET', `tenant/${encodeURIComponent(session.tenantId)}`);
  } catch (error) {
    body.replaceChildren(errorAlert(error, { retry: () => navigate('#/profile') }));
    return;
  }

  const summary = h('div', { class: 'card' }, details([
    ['Company', tenant.tenantName],
    ['Company id', h('span', { class: 'mono' }, tenant.id)],
    ['Plan', [tenant.tenantTier, h('span', { class: 'hint' }, ' (managed by your provider)')]],
    ['Status', tenant.isActive ? badge('Active', 'active') : badge('Inactive', 'inactive')],
    ['Created', dateTime(tenant.createdAt)],
  ]));
  const rules = tenantRules(true);
  delete rules.tenantTier;
  const form = h('form', { id: 'profile', class: 'card', novalidate: true, 'aria-labelledby': 'profile-title' },
    h('h2', { id: 'profile-title' }, 'Edit company details'),
    h('div', { class: 'form-row' },
      field({ form: 'profile', name: 'tenantName', label: 'Company name', value: tenant.tenantName, maxlength: 64, autocomplete: 'organization' }),
      field({ form: 'profile', name: 'tenantEmail', label: 'Email', type: 'email', value: tenant.tenantEmail, maxlength: 254, autocomplete: 'email' })),
    field({ form: 'profile', name: 'tenantPhone', label: 'Phone', type: 'tel', optional: true, value: tenant.tenantPhone, maxlength: 32, autocomplete: 'tel' }),
    field({ form: 'profile', name: 'tenantAddress', label: 'Address', optional: true, value: tenant.tenantAddress, maxlength: 256, autocomplete: 'street-address' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save changes')));
  bindForm(form, {
    rules,
    submit: async (values) => {
      await api('PUT', `tenant/${encodeURIComponent(tenant.id)}`, {
        body: {
          tenantName: values.tenantName.trim(),
          tenantEmail: values.tenantEmail.trim(),
          tenantPhone: values.tenantPhone.trim() || null,
          tenantAddress: values.tenantAddress.trim() || null,
        },
      });
      flash('Company details saved.');
      navigate('#/profile');
    },
  });
  body.replaceChildren(summary, form);
}
