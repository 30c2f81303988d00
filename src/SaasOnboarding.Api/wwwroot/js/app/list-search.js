// The search form above a list of the tenant app: a search box and optional selects, kept in the view's URL
// (#/products?search=…, #/orders?search=…&status=…), so that Back and reload show the same search.
import { h } from '../dom.js';
import { listQuery } from '../paged-list.js';
import { navigate } from '../router.js';

/**
 * The form, for `route` and the current `query`: `search` is `{ id, label }` of the search box; `selects` are
 * `{ id, name, label, options: [[value, text]] }`, each with an "any" option of value ''. Submitting it navigates to
 * the route with the values given; "Show all" appears while any is set.
 */
export function listSearch({ route, label, query, search, selects = [] }) {
  const box = h('input', { type: 'search', id: search.id, name: 'search', autocomplete: 'off', maxlength: 200 });
  box.value = query.get('search') ?? '';
  const fields = selects.map((select) => {
    const value = query.get(select.name) ?? '';
    const element = h('select', { id: select.id, name: select.name },
      select.options.map(([optionValue, text]) => h('option', { value: optionValue, selected: optionValue === value }, text)));
    return { name: select.name, element, field: h('div', { class: 'field' }, h('label', { for: select.id }, select.label), element) };
  });
  const filtered = [...query.values()].some((value) => value.trim() !== '');
  const form = h('form', { role: 'search', 'aria-label': label },
    h('div', { class: 'field' }, h('label', { for: search.id }, search.label), box),
    fields.map(({ field }) => field),
    h('button', { type: 'submit' }, 'Search'),
    filtered ? h('a', { class: 'button secondary', href: route }, 'Show all') : null);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(listQuery(route, Object.fromEntries([['search', box.value.trim()], ...fields.map(({ name, element }) => [name, element.value])])));
  });
  return form;
}
