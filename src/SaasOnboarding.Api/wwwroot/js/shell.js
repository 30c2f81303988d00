// The header of the signed-in pages: the navigation, who is signed in, and sign-out.
import { clear, h, visuallyHidden } from './dom.js';
import { flash } from './router.js';
import { signOut } from './session.js';

/** Fills the header: navigation links `[hash, label]` and who is signed in, with a sign-out button. */
export function renderShell(session, links, roleLabel) {
  if (sessionStorage.getItem('saas.notice') === 'role-changed') {
    sessionStorage.removeItem('saas.notice');
    flash(`Your role is now ${roleLabel}: the pages show what you may do.`, 'info');
  }

  const nav = document.getElementById('site-nav');
  // At phone width the navigation and who is signed in fold behind a menu button; a chosen link folds them again.
  const bar = nav.closest('.bar');
  const menu = h('button', { type: 'button', class: 'menu-button', 'aria-expanded': 'false', 'aria-controls': 'site-nav' }, 'Menu');
  menu.addEventListener('click', () => menu.setAttribute('aria-expanded', String(bar.classList.toggle('open'))));
  nav.addEventListener('click', (event) => {
    if (event.target.closest('a')) {
      bar.classList.remove('open');
      menu.setAttribute('aria-expanded', 'false');
    }
  });
  bar.querySelector('.menu-button')?.remove();
  bar.classList.add('has-menu');
  nav.before(menu);
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
