// The frame of the signed-in pages: header with navigation and sign-out, a hash router (so the page never reloads
// and no token is ever in a URL), the tab's title, flash messages, paged lists, and buttons that act after asking.
import { clear, confirmDialog, errorAlert, focusHeading, h, loading, setBusy, visuallyHidden } from './dom.js';
import { signOut } from './session.js';

/** Fills the header: navigation links `[hash, label]` and who is signed in, with a sign-out button. */
export function renderShell(session, links, roleLabel) {
  const nav = document.getElementById('site-nav');
  clear(nav).append(h('ul', {}, links.map(([href, label]) => h('li', {}, h('a', { href, dataset: { route: href } }, label)))));
  const who = document.getElementById('who');
  clear(who).append(
    h('span', {}, visuallyHidden('Signed in as '), h('strong', { class: 'mono' }, session.userName)),
    h('span', { class: 'role' }, roleLabel),
    h('button', {
      type: 'button',
      class: 'link',
      id: 'sign-out',
      on: { click: signOut },
    }, 'Sign out'));
}

let siteName = 'SaasOnboarding';

/** Names the tab after the view: "<text> · <site name>". */
export function setTitle(text) {
  document.title = `${text} · ${siteName}`;
}

let flashMessage = null;

/** A message for the next view (for example "Order placed" after navigating to the order). */
export function flash(text, kind = 'success') {
  flashMessage = { text, kind };
}

export function navigate(hash) {
  if (location.hash === hash) {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = hash;
  }
}

/**
 * Routes `#/path` to views: `routes` is a list of `[pattern, view]` where a view is `(section, ...params)` and
 * renders its heading before its first await (so focus can move to it at once). Parameters are URI-decoded.
 */
export function startRouter(routes, fallback, name) {
  siteName = name;
  const main = document.getElementById('main');
  let first = true;
  const render = () => {
    if (!location.hash) {
      // The address shows the view, so that it can be bookmarked and reloaded.
      history.replaceState(null, '', fallback);
    }

    const [path, query = ''] = location.hash.split('?');
    let match = null;
    let view = null;
    for (const [pattern, candidate] of routes) {
      match = pattern.exec(path);
      if (match) {
        view = candidate;
        break;
      }
    }

    if (!view) {
      location.replace(fallback);
      return;
    }

    const section = h('section', { class: 'view' });
    main.replaceChildren(section);
    if (flashMessage) {
      section.append(h('p', { class: `alert ${flashMessage.kind}`, role: 'status' }, flashMessage.text));
      flashMessage = null;
    }

    for (const link of document.querySelectorAll('#site-nav a')) {
      const current = path === link.dataset.route || path.startsWith(`${link.dataset.route}/`);
      if (current) {
        link.setAttribute('aria-current', 'page');
      } else {
        link.removeAttribute('aria-current');
      }
    }

    const params = match.slice(1).map((value) => decodeURIComponent(value));
    const done = view(section, ...params, new URLSearchParams(query));
    const heading = section.querySelector('h1');
    setTitle(heading ? heading.textContent : 'SaasOnboarding');
    if (!first) {
      focusHeading(section);
    }

    first = false;
    Promise.resolve(done).catch((error) => section.append(errorAlert(error)));
  };
  window.addEventListener('hashchange', render);
  render();
}

/**
 * A list that pages with `nextToken`: Previous / Next buttons, a loading state, an error state with retry, and
 * an empty state. `load(nextToken)` answers `{items, nextToken}`; `render(items)` answers the table.
 */
export function pagedList({ load, render, empty, label }) {
  const body = h('div', { class: 'list-body', 'aria-live': 'polite' });
  const previous = h('button', { type: 'button', class: 'secondary small' }, 'Previous page');
  const next = h('button', { type: 'button', class: 'secondary small' }, 'Next page');
  const info = h('span', { class: 'page-info' });
  const pager = h('nav', { class: 'pager', 'aria-label': `${label} pages` }, previous, info, next);
  const element = h('div', { class: 'paged-list' }, body, pager);

  // tokens[i] is the token of page i (null for the first page).
  const tokens = [null];
  let index = 0;

  const show = async () => {
    body.setAttribute('aria-busy', 'true');
    body.replaceChildren(loading(`Loading ${label}…`));
    pager.hidden = true;
    let page;
    try {
      page = await load(tokens[index]);
    } catch (error) {
      body.replaceChildren(errorAlert(error, { retry: show, headingLevel: 'h3' }));
      return;
    } finally {
      body.removeAttribute('aria-busy');
    }

    tokens[index + 1] = page.nextToken ?? undefined;
    body.replaceChildren(page.items.length ? render(page.items, show) : h('p', { class: 'empty' }, empty));
    pager.hidden = index === 0 && !page.nextToken;
    previous.disabled = index === 0;
    next.disabled = !page.nextToken;
    info.textContent = `Page ${index + 1}`;
  };

  previous.addEventListener('click', () => {
    if (index > 0) {
      index -= 1;
      show();
    }
  });
  next.addEventListener('click', () => {
    if (tokens[index + 1]) {
      index += 1;
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

/** Runs `action` with the button busy; shows an error next to `where` when it fails. Answers whether it worked. */
export async function act(button, busyText, where, action) {
  where.querySelector(':scope > .action-error')?.remove();
  setBusy(button, true, busyText);
  try {
    await action();
    return true;
  } catch (error) {
    const alert = errorAlert(error, { headingLevel: 'h3' });
    alert.classList.add('action-error');
    where.prepend(alert);
    return false;
  } finally {
    setBusy(button, false);
  }
}

/**
 * Makes `button` ask first: on click, a confirmation dialog (`confirm`: the options of confirmDialog), then
 * `action` as `act` runs it, with an error shown next to `where`; `done()` runs when it worked. Answers the button.
 */
export function confirmedButton(button, { confirm, busyText, where, action, done }) {
  button.addEventListener('click', async () => {
    if (await confirmDialog(confirm) && await act(button, busyText, where, action)) {
      done();
    }
  });
  return button;
}
