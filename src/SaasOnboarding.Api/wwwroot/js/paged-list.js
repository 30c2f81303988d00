// Lists that page with the API's `nextToken`, and the query strings of list calls.
import { h, loading } from './dom.js';
import { errorAlert } from './errors.js';

/**
 * A list that pages with `nextToken`: Previous / Next buttons, a loading state, an error state with retry, and
 * an empty state. `load(nextToken)` answers `{items, nextToken, total?}`; `render(items)` answers the table. `at` is the
 * position to start from (`{tokens, index}`, as `moved` last gave it), `moved(position)` runs when the page changes.
 * `headingLevel` is the error's heading: h2 for a list right under the view's h1, h3 for one under an h2. A list
 * whose answer counts its items (`total`) shows `counted(total)` and "Page X of Y" for its `pageSize`.
 */
export function pagedList({ load, render, empty, label, at, moved, headingLevel = 'h2', pageSize, counted }) {
  const body = h('div', { class: 'list-body', 'aria-live': 'polite' });
  const previous = h('button', { type: 'button', class: 'secondary small' }, 'Previous page');
  const next = h('button', { type: 'button', class: 'secondary small' }, 'Next page');
  const info = h('span', { class: 'page-info' });
  const pager = h('nav', { class: 'pager', 'aria-label': `${label} pages` }, previous, info, next);
  const count = h('p', { class: 'list-total', hidden: true });
  const element = h('div', { class: 'paged-list' }, count, body, pager);

  // tokens[i] is the token of page i (null for the first page).
  const start = Array.isArray(at?.tokens) && Number.isInteger(at.index) && at.index >= 0 && at.index < at.tokens.length ? at : null;
  const tokens = start ? [...start.tokens] : [null];
  let index = start ? start.index : 0;

  const show = async () => {
    body.setAttribute('aria-busy', 'true');
    body.replaceChildren(loading(`Loading ${label}…`));
    pager.hidden = true;
    let page;
    try {
      page = await load(tokens[index]);
    } catch (error) {
      body.replaceChildren(errorAlert(error, { retry: show, headingLevel }));
      return;
    } finally {
      body.removeAttribute('aria-busy');
    }

    tokens[index + 1] = page.nextToken ?? undefined;
    body.replaceChildren(page.items.length ? render(page.items, show) : h('p', { class: 'empty' }, empty));
    pager.hidden = index === 0 && !page.nextToken;
    previous.disabled = index === 0;
    next.disabled = !page.nextToken;
    const total = pageSize && counted && Number.isInteger(page.total) ? page.total : null;
    count.hidden = !total;
    count.textContent = total ? counted(total) : '';
    info.textContent = total === null ? `Page ${index + 1}` : `Page ${index + 1} of ${Math.max(index + 1, Math.ceil(total / pageSize))}`;
  };

  previous.addEventListener('click', () => {
    if (index > 0) {
      index -= 1;
      moved?.({ tokens: tokens.slice(0, index + 1), index });
      show();
    }
  });
  next.addEventListener('click', () => {
    if (tokens[index + 1]) {
      index += 1;
      moved?.({ tokens: tokens.slice(0, index + 1), index });
      show();
    }
  });

  element.reload = show;
  show();
  return element;
}

/** A query string for a list call. */
export function listQuery(path, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') {
      query.set(name, value);
    }
  }

  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
