// The hash router of the signed-in pages (the page never reloads and no token is ever in a URL), the tab's title,
// and flash messages for the next view.
import { focusHeading, h } from './dom.js';
import { errorAlert } from './errors.js';

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

/**
 * The view's one status line, at its top: the flash message lands there too, and each message replaces the
 * previous one instead of piling up. `show(text, kind)` and `clear()`.
 */
export function notice(section) {
  let element = section.querySelector(':scope > .notice');
  if (!element) {
    element = h('div', { class: 'notice', role: 'status' });
    section.prepend(element);
  }

  element.show = (text, kind = 'success') => element.replaceChildren(h('p', { class: `alert ${kind}` }, text));
  element.clear = () => element.replaceChildren();
  return element;
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
      notice(section).show(flashMessage.text, flashMessage.kind);
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
