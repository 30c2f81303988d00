// A view of one resource (a tenant, an order, a user, …), for the provider console and the tenant app alike: a link
// back to its list, the heading, then the resource as loaded, with a loading state and, when the call fails, the
// error with "Try again", which loads it again and returns focus to the heading.
import { focusHeading, h, loading } from './dom.js';
import { errorAlert } from './errors.js';
import { setTitle } from './router.js';

/**
 * Renders the view into `section`.
 * - `back`: `[hash, label]` of the list to go back to (optional);
 * - `heading`: the `h1` until the resource is loaded; then `title(item)`, when given, names the heading and the tab;
 * - `guard(section)` (optional) answers true when the person may not see the view, having said why;
 * - `load()` answers the resource; `render(item)` answers the nodes that show it.
 */
export async function detailView(section, { back, heading, guard, loadingText, load, title, render }) {
  const headingElement = h('h1', {}, heading);
  if (back) {
    section.append(h('p', {}, h('a', { href: back[0] }, `← ${back[1]}`)));
  }

  section.append(headingElement);
  if (guard?.(section)) {
    return;
  }

  const body = section.appendChild(h('div'));
  const show = async () => {
    body.replaceChildren(loading(loadingText));
    let item;
    try {
      item = await load();
    } catch (error) {
      body.replaceChildren(errorAlert(error, { retry }));
      return;
    }

    if (title) {
      headingElement.textContent = title(item);
      setTitle(headingElement.textContent);
    }

    body.replaceChildren(...render(item));
  };
  const retry = async () => {
    await show();
    focusHeading(section);
  };
  await show();
}
