// #/webhooks: the webhook endpoints that hear of the lifecycle events (docs/webhooks.md), paged, each with its last
// delivery in words, and adding one. The signing secret is shown once, in this view, right after the endpoint is
// added: no later answer of the API holds it, and the page keeps it nowhere (not in the URL, not in storage).
import { api } from '../api.js';
import { dateTime, focusHeading, h, tableWrap } from '../dom.js';
import { bindForm, field } from '../forms.js';
import { webhookEventName, webhookEventOptions, webhookEventsName, webhookOutcomeBadge } from '../labels.js';
import { listQuery, pagedList } from '../paged-list.js';
import { notice } from '../router.js';
import { pageSize } from './tenants.js';

/** The hash of an endpoint's view. */
export function webhookHref(endpoint) {
  return `#/webhooks/${encodeURIComponent(endpoint.id)}`;
}

/** The host (and port) an endpoint's address names: short enough for a heading. */
export function webhookHost(endpoint) {
  try {
    return new URL(endpoint.url).host;
  } catch {
    return endpoint.url;
  }
}

export function webhooksView(section) {
  section.append(
    h('h1', {}, 'Webhooks'),
    h('p', { class: 'lead' }, 'Your other systems (billing, provisioning, CRM) hear here of every change to a company or its users: '
      + 'each change is sent to each address below, signed with the secret that address was given.'));
  const status = notice(section);
  const secret = h('div');

  const list = pagedList({
    label: 'webhooks',
    empty: 'No webhooks yet.',
    at: history.state?.webhooksPage,
    moved: (position) => history.replaceState({ ...history.state, webhooksPage: position }, ''),
    load: async (nextToken) => {
      const page = await api('GET', listQuery('webhooks', { limit: pageSize, nextToken }));
      const last = await Promise.all(page.items.map((endpoint) =>
        api('GET', listQuery(`webhooks/${encodeURIComponent(endpoint.id)}/deliveries`, { limit: 1 })).then((log) => log.items[0] ?? null)));
      return { ...page, items: page.items.map((endpoint, index) => ({ ...endpoint, last: last[index] })) };
    },
    render: (endpoints) => tableWrap(h('table', { class: 'stack', id: 'webhooks-table' },
      h('caption', { class: 'visually-hidden' }, 'Webhooks'),
      h('thead', {}, h('tr', {}, ['Address', 'Events', 'Added', 'Last delivery'].map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, endpoints.map((endpoint) => h('tr', { dataset: { webhookId: endpoint.id } },
        h('td', { 'data-label': 'Address' }, h('a', { href: webhookHref(endpoint), class: 'mono' }, endpoint.url),
          endpoint.enabled ? null : h('div', { class: 'hint' }, 'Paused: sends nothing')),
        h('td', { 'data-label': 'Events' }, webhookEventsName(endpoint.eventTypes)),
        h('td', { 'data-label': 'Added' }, dateTime(endpoint.createdAt)),
        h('td', { 'data-label': 'Last delivery' }, endpoint.last
          ? [webhookOutcomeBadge(endpoint.last), h('div', { class: 'hint' }, `${webhookEventName(endpoint.last.eventType)}, ${dateTime(endpoint.last.time)}`)]
          : 'Nothing sent yet')))))),
  });

  const form = addForm((created) => {
    status.clear();
    secret.replaceChildren(secretCard(created));
    focusHeading(secret);
    list.reload();
  });
  section.append(secret, list, form);
}

/** The form that adds an endpoint: its address, and every event or only those ticked. `added(endpoint)` gets the answer. */
function addForm(added) {
  const id = 'new-webhook';
  const choice = (value, text, checked) => h('label', {},
    h('input', { type: 'radio', name: 'eventFilter', value, checked }), text);
  const types = h('div', { class: 'choices', id: `${id}-types`, hidden: true },
    webhookEventOptions.map(([value, text]) => h('label', {}, h('input', { type: 'checkbox', name: 'eventType', value }), text)));
  const events = h('fieldset', { class: 'field', id: `${id}-eventTypes`, name: 'eventTypes', 'aria-describedby': `${id}-eventTypes-error` },
    h('legend', {}, 'Events to send'),
    h('div', { class: 'choices' },
      choice('every', 'Every event, and kinds added later', true),
      choice('some', 'Only the events I tick', false)),
    types,
    h('p', { class: 'field-error', id: `${id}-eventTypes-error`, hidden: true }));
  const form = h('form', { id, class: 'card', novalidate: true, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, 'Add a webhook'),
    field({
      form: id, name: 'url', label: 'Address', type: 'url', hint: 'The https address your system takes the events at.', maxlength: 2048,
      autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false',
    }),
    events,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add webhook')));

  const some = () => form.elements.namedItem('eventFilter').value === 'some';
  const ticked = () => [...form.querySelectorAll('input[name="eventType"]:checked')].map((box) => box.value);
  events.addEventListener('change', () => {
    types.hidden = !some();
  });

  bindForm(form, {
    busyText: 'Adding…',
    rules: {
      url: (value) => {
        const text = value.trim();
        if (!text) {
          return 'Type the address your system takes the events at.';
        }

        try {
          return ['https:', 'http:'].includes(new URL(text).protocol) ? null : 'Must be an https address.';
        } catch {
          return 'Must be a whole address, such as https://billing.example.com/hooks.';
        }
      },
      eventTypes: () => (some() && ticked().length === 0 ? 'Tick at least one event, or choose every event.' : null),
    },
    submit: async (values) => {
      const created = await api('POST', 'webhooks', { body: { url: values.url.trim(), eventTypes: some() ? ticked() : undefined } });
      form.reset();
      types.hidden = true;
      added(created);
    },
  });
  return form;
}

/** The secret of the endpoint just added, with a copy button: shown this once. */
function secretCard(endpoint) {
  const value = h('code', { id: 'webhook-secret' }, endpoint.secret);
  const copied = h('p', { class: 'hint', role: 'status' });
  const copy = h('button', { type: 'button', class: 'secondary' }, 'Copy secret');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(endpoint.secret);
      copied.textContent = 'Copied.';
    } catch {
      getSelection()?.selectAllChildren(value);
      copied.textContent = 'The browser did not let the page copy: the secret is selected, copy it with the keyboard.';
    }
  });
  return h('section', { class: 'alert warning', id: 'webhook-secret-card', 'aria-labelledby': 'webhook-secret-title' },
    h('h2', { id: 'webhook-secret-title' }, `The signing secret of ${webhookHost(endpoint)}`),
    h('p', {}, 'Copy it now: you will not see it again. Your system checks with it that each request comes from this service. '
      + 'If it is lost, delete the webhook and add it again.'),
    h('p', {}, value),
    h('div', { class: 'actions' }, copy, h('a', { class: 'button secondary', href: webhookHref(endpoint) }, 'Open the webhook')),
    copied);
}
