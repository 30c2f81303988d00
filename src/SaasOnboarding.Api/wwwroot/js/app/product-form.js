// #/products/new and #/product/{id}/edit (admins): the product form; a taken SKU is shown beside its field.
import { api, ApiError } from '../api.js';
import { detailView } from '../detail.js';
import { h } from '../dom.js';
import { bindForm, field } from '../forms.js';
import { flash, navigate } from '../router.js';
import { productRules } from '../rules.js';
import { adminOnly } from './context.js';

/** `id` is the product to edit, or null for a new one. */
export function productFormView(section, id) {
  return detailView(section, {
    back: ['#/products', 'Products'],
    heading: id ? 'Edit product' : 'New product',
    guard: adminOnly,
    loadingText: 'Loading the product…',
    load: async () => (id ? api('GET', `product/${encodeURIComponent(id)}`) : null),
    render: (product) => [productForm(product)],
  });
}

function productForm(product) {
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
  return form;
}
