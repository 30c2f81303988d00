// The local identity provider's dev mailbox (GET dev/mailbox), newest message first.
import { api } from './api.js';
import { dateTime, h, loading } from './dom.js';
import { errorAlert } from './errors.js';

const container = document.getElementById('mailbox');
const refresh = document.getElementById('mailbox-refresh');

async function show() {
  container.replaceChildren(loading('Loading messages…'));
  let messages;
  try {
    messages = await api('GET', 'dev/mailbox?limit=50', { auth: false });
  } catch (error) {
    container.replaceChildren(error.status === 404
      ? h('p', { class: 'alert info' }, 'This deployment has no dev mailbox: it is served only in Development. Temporary passwords go by email, or stay on the server (see its log).')
      : errorAlert(error, { retry: show }));
    return;
  }

  if (!messages.length) {
    container.replaceChildren(h('p', { class: 'empty' }, 'No messages yet.'));
    return;
  }

  const newestFirst = [...messages].sort((a, b) => String(b.sentAt).localeCompare(String(a.sentAt)));
  container.replaceChildren(...newestFirst.map((message) => h('article', { class: 'card mail-message' },
    h('h2', {}, message.subject),
    h('dl', { class: 'details' },
      h('dt', {}, 'To'), h('dd', {}, message.to),
      h('dt', {}, 'User name'), h('dd', { class: 'mono mail-user' }, message.userName),
      message.temporaryPassword ? [h('dt', {}, 'Temporary password'), h('dd', { class: 'mono mail-password' }, message.temporaryPassword)] : null,
      h('dt', {}, 'Sent'), h('dd', {}, dateTime(message.sentAt))),
    h('pre', { class: 'mail' }, message.body))));
}

refresh.addEventListener('click', show);
show();
