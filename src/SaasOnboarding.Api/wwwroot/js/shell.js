// The header of the signed-in pages: the navigation, who is signed in, and sign-out.
import { clear, h, visuallyHidden } from './dom.js';
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
