// #/webhooks/{id}: one webhook endpoint: its address and events, "Send test event", deleting it after a confirmation,
// and its delivery log, newest first, paged (the page shown is kept in the history entry: Back and reload return to
// it), each attempt in words with its event, company, time and the answer's status; a logged event is sent again
// with "Send again".
import { act, confirmedButton } from '../actions.js';
import { api } from '../api.js';
import { dateTime, details, h, tableWrap, visuallyHidden } from '../dom.js';
import { detailView } from '../detail.js';
import { webhookEventName, webhookEventsName, webhookOutcomeBadge, webhookTestEventType } from '../labels.js';
import { listQuery, pagedList } from '../paged-list.js';
import { flash, navigate, notice } from '../router.js';
import { webhookHost } from './webhooks.js';

/** Rows per page of the delivery log. */
const pageSize = 20;

export function webhookView(view, webhookId) {
  const path = `webhooks/${encodeURIComponent(webhookId)}`;
  return detailView(view, {
    back: ['#/webhooks', 'All webhooks'],
    heading: 'Webhook',
    loadingText: 'Loading the webhook…',
    load: () => api('GET', path),
    title: (endpoint) => `Webhook to ${webhookHost(endpoint)}`,
    render: (endpoint) => {
      const status = notice(view);
      const log = deliveries(path, status);
      return [summary(endpoint, path, status, log), log.section];
    },
  });
}

/** In words, what an attempt the API answered came to: for the status line after a test or a replay. */
function attemptMessage(what, delivery) {
  return delivery.outcome === 'delivered'
    ? [`${what} was delivered: the address answered ${delivery.status}.`, 'success']
    : [`${what} was not delivered. ${delivery.error ?? ''}`.trim(), 'warning'];
}

function summary(endpoint, path, status, log) {
  const host = webhookHost(endpoint);
  const card = h('div', { class: 'card', id: 'webhook-summary' },
    details([
      ['Address', h('span', { class: 'mono' }, endpoint.url)],
      ['Events', webhookEventsName(endpoint.eventTypes)],
      ['Added', dateTime(endpoint.createdAt)],
      ['Sending', endpoint.enabled ? 'Yes' : 'Paused: sends nothing'],
    ]));
  const test = h('button', { type: 'button', id: 'test-webhook' }, 'Send test event');
  test.addEventListener('click', async () => {
    status.clear();
    let delivery = null;
    if (await act(test, 'Sending…', card, async () => {
      delivery = await api('POST', `${path}/test`);
    })) {
      status.show(...attemptMessage('The test event', delivery));
      log.list.reload();
    }
  });
  const remove = confirmedButton(h('button', { type: 'button', class: 'danger', id: 'delete-webhook' }, 'Delete webhook'), {
    confirm: {
      title: `Delete the webhook to ${host}?`,
      message: 'It gets no more events, and its delivery log goes with it. This cannot be undone.',
      confirmText: 'Delete webhook',
      danger: true,
    },
    busyText: 'Deleting…',
    where: card,
    action: () => api('DELETE', path),
    done: () => {
      flash(`The webhook to ${host} is deleted.`);
      navigate('#/webhooks');
    },
  });
  card.append(h('div', { class: 'actions' }, test, remove));
  return card;
}

function deliveries(path, status) {
  const list = pagedList({
    label: 'deliveries',
    headingLevel: 'h3',
    empty: 'Nothing sent yet.',
    at: history.state?.deliveriesPage,
    moved: (position) => history.replaceState({ ...history.state, deliveriesPage: position }, ''),
    load: (nextToken) => api('GET', listQuery(`${path}/deliveries`, { limit: pageSize, nextToken })),
    render: (entries) => tableWrap(h('table', { class: 'stack', id: 'deliveries-table' },
      h('caption', { class: 'visually-hidden' }, 'Deliveries, newest first'),
      h('thead', {}, h('tr', {}, ['Time', 'Event', 'Company', 'Outcome', 'Answer', 'Actions'].map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, entries.map((entry) => h('tr', { dataset: { eventId: entry.eventId } },
        h('td', { 'data-label': 'Time' }, dateTime(entry.time)),
        h('td', { 'data-label': 'Event' }, webhookEventName(entry.eventType)),
        h('td', { 'data-label': 'Company' }, entry.tenantId
          ? h('a', { href: `#/tenant/${encodeURIComponent(entry.tenantId)}`, class: 'mono' }, entry.tenantId)
          : '—'),
        h('td', { 'data-label': 'Outcome' }, webhookOutcomeBadge(entry),
          entry.outcome === 'retrying' && entry.nextAttemptAt ? h('div', { class: 'hint' }, `Next attempt ${dateTime(entry.nextAttemptAt)}`) : null,
          entry.outcome !== 'delivered' && entry.error ? h('div', { class: 'hint' }, entry.error) : null),
        h('td', { 'data-label': 'Answer' }, entry.status ? `HTTP ${entry.status}` : 'No answer'),
        h('td', { 'data-label': 'Actions' }, entry.eventType === webhookTestEventType ? '—' : replayButton(entry, path, status, list))))))),
  });
  const refresh = h('button', { type: 'button', class: 'secondary small' }, 'Refresh');
  refresh.addEventListener('click', () => list.reload());
  const section = h('section', { 'aria-labelledby': 'deliveries-title' },
    h('div', { class: 'toolbar' }, h('h2', { id: 'deliveries-title' }, 'Delivery log'), refresh),
    list);
  return { section, list };
}

/** "Send again": the logged event, under its own id, to this endpoint now; the log then shows the new attempt. */
function replayButton(entry, path, status, list) {
  const button = h('button', { type: 'button', class: 'secondary small' },
    'Send again', visuallyHidden(` (${webhookEventName(entry.eventType)}, ${dateTime(entry.time)})`));
  button.addEventListener('click', async () => {
    status.clear();
    let delivery = null;
    if (await act(button, 'Sending…', list, async () => {
      delivery = await api('POST', `${path}/replay`, { body: { eventId: entry.eventId } });
    })) {
      status.show(...attemptMessage(`“${webhookEventName(entry.eventType)}”`, delivery));
      list.reload();
    }
  });
  return button;
}
