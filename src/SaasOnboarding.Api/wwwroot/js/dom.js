// Small DOM helpers. Text always goes in as text nodes (never innerHTML), so data from the API cannot inject markup.

/**
 * Creates an element: `attrs` are attributes, except `class`, `text`, `on` (event handlers by name) and
 * `dataset`; children are nodes, strings, arrays, or null/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }

    if (name === 'class') {
      element.className = value;
    } else if (name === 'text') {
      element.textContent = value;
    } else if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) {
        element.addEventListener(event, handler);
      }
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }

  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }

    if (Array.isArray(child)) {
      append(parent, child);
    } else {
      parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
}

/** Text for screen readers only, such as the row a repeated button acts on. */
export function visuallyHidden(text) {
  return h('span', { class: 'visually-hidden' }, text);
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

/** A loading state that screen readers announce. */
export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', role: 'status' }, text);
}

/** Marks a button busy (disabled, announced) while work runs, with a label saying what is happening. */
export function setBusy(button, busy, busyText) {
  if (!button) {
    return;
  }

  if (busy) {
    button.dataset.label ??= button.textContent;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    if (busyText) {
      button.textContent = busyText;
    }
  } else {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    if (button.dataset.label) {
      button.textContent = button.dataset.label;
      delete button.dataset.label;
    }
  }
}

/** Moves focus to the view's main heading, so keyboard and screen reader users land on the new content. */
export function focusHeading(container) {
  const heading = container.querySelector('h1, h2');
  if (heading && container.isConnected) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

/** Says something to screen readers without moving focus. */
export function announce(text) {
  let region = document.getElementById('announcer');
  if (!region) {
    region = h('div', { id: 'announcer', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    document.body.append(region);
  }

  region.textContent = '';
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

/** The currency prices are in: the page's `<meta name="currency">` (an ISO 4217 code), USD when it has none. */
const currency = document.querySelector('meta[name="currency"]')?.content || 'USD';
const moneyFormat = new Intl.NumberFormat(undefined, { style: 'currency', currency });

/** Money as the API sends it (a decimal), with its currency. */
export function money(value) {
  return moneyFormat.format(Number(value ?? 0));
}

export function dateTime(value) {
  if (!value) {
    return '';
  }

  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function badge(text, kind) {
  return h('span', { class: `badge ${kind ?? String(text).toLowerCase()}` }, text);
}

/**
 * Asks for confirmation in a modal dialog (focus moves into it, Escape cancels, focus returns to where it was).
 * Answers true when confirmed.
 */
export function confirmDialog({ title, message, confirmText = 'Confirm', danger = false }) {
  return new Promise((resolve) => {
    const previous = document.activeElement;
    const titleId = `dialog-title-${Date.now()}`;
    const confirmButton = h('button', { type: 'button', class: danger ? 'danger' : '' }, confirmText);
    const cancelButton = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    const dialog = h('dialog', { 'aria-labelledby': titleId },
      h('h2', { id: titleId }, title),
      h('p', {}, message),
      h('div', { class: 'actions' }, confirmButton, cancelButton));
    let answer = false;
    confirmButton.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    cancelButton.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (previous instanceof HTMLElement && previous.isConnected) {
        previous.focus();
      }

      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancelButton.focus();
  });
}

/**
 * A table in a wrapper that scrolls sideways when the table is wider than the screen; the wrapper is a named,
 * focusable region so that keyboard users can scroll it too.
 */
export function tableWrap(table) {
  const label = table.querySelector('caption')?.textContent ?? 'Table';
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': label, tabindex: 0 }, table);
}

/** A definition list of label/value pairs. */
export function details(pairs) {
  return h('dl', { class: 'details' }, pairs.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value === null || value === undefined || value === '' ? '—' : value)]));
}
