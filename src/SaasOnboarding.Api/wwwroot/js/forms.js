// Form fields with labels, hints and error messages tied to their inputs (aria-describedby), checked as you type,
// and the server's field errors shown beside the same fields.
import { ApiError } from './api.js';
import { h, setBusy } from './dom.js';
import { describeError } from './errors.js';

/**
 * A labelled field. `kind`: input (default), select (with `options`), textarea. The error element is
 * `<id>-error`, the hint `<id>-hint`.
 */
export function field({
  form, name, label, kind = 'input', type = 'text', hint, optional = false, options, value, ...attrs
}) {
  const id = `${form}-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  const common = { id, name, 'aria-describedby': describedBy, required: !optional, ...attrs };
  let control;
  if (kind === 'select') {
    control = h('select', common, options.map((option) => {
      const [optionValue, text] = Array.isArray(option) ? option : [option, option];
      return h('option', { value: optionValue, selected: optionValue === value }, text);
    }));
  } else if (kind === 'textarea') {
    control = h('textarea', common);
    control.value = value ?? '';
  } else {
    control = h('input', { type, ...common });
    if (value !== undefined && value !== null) {
      control.value = String(value);
    }
  }

  return h('div', { class: 'field' },
    h('label', { for: id }, label, optional ? h('span', { class: 'optional' }, ' (optional)') : null),
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    control,
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
}

/**
 * Wires a form: `rules` map a field name to a check `(value, values) => message | null`, run as the person types
 * (after they first leave the field) and on submit. On submit with no errors, `submit(values)` runs with the
 * submit button busy; an ApiError's field errors are shown beside their fields, anything else above the form.
 */
export function bindForm(form, { rules = {}, submit, busyText = 'Saving…', fieldNames = {} }) {
  const summary = h('div', { class: 'alert error', role: 'alert', hidden: true, tabindex: '-1' });
  form.prepend(summary);
  form.noValidate = true;
  const touched = new Set();

  const control = (name) => form.elements.namedItem(name);
  const values = () => {
    const result = {};
    for (const element of form.elements) {
      if (!element.name || element.type === 'submit' || element.type === 'button') {
        continue;
      }

      if (element.type === 'radio') {
        if (element.checked) {
          result[element.name] = element.value;
        }
      } else if (element.type === 'checkbox') {
        result[element.name] = element.checked;
      } else {
        result[element.name] = element.value;
      }
    }

    return result;
  };

  const setError = (name, message) => {
    const element = control(name);
    if (!element || !element.id) {
      return false;
    }

    const error = document.getElementById(`${element.id}-error`);
    if (message) {
      element.setAttribute('aria-invalid', 'true');
      if (error) {
        error.textContent = message;
        error.hidden = false;
      }
    } else {
      element.removeAttribute('aria-invalid');
      if (error) {
        error.textContent = '';
        error.hidden = true;
      }
    }

    return true;
  };

  // The server's message for a field stays until its value changes: leaving the field unchanged does not hide it.
  const serverErrors = new Map();

  const check = (name) => {
    const value = control(name)?.value ?? '';
    const server = serverErrors.get(name);
    if (server && server.value === value) {
      return server.message;
    }

    serverErrors.delete(name);
    const rule = rules[name];
    const message = rule ? rule(value, values()) : null;
    setError(name, message);
    return message;
  };

  const showSummary = (title, detail) => {
    summary.replaceChildren(h('h2', {}, title), ...(detail ? [h('p', {}, detail)] : []));
    summary.hidden = false;
  };

  const hideSummary = () => {
    summary.hidden = true;
    summary.replaceChildren();
  };

  for (const name of Object.keys(rules)) {
    const element = control(name);
    if (!element) {
      continue;
    }

    element.addEventListener('blur', () => {
      touched.add(name);
      check(name);
    });
    element.addEventListener(element.tagName === 'SELECT' ? 'change' : 'input', () => {
      if (touched.has(name) || element.getAttribute('aria-invalid') === 'true') {
        check(name);
      }
    });
  }

  /** Shows an ApiError: field errors beside their fields; whatever no field shows, above the form. */
  const showApiError = (error) => {
    const leftOver = [];
    let first = null;
    if (error instanceof ApiError) {
      for (const [name, messages] of Object.entries(error.fieldErrors)) {
        const target = fieldNames[name] ?? name;
        if (setError(target, messages.join(' '))) {
          serverErrors.set(target, { value: control(target).value, message: messages.join(' ') });
          first ??= control(target);
        } else {
          leftOver.push(`${name}: ${messages.join(' ')}`);
        }
      }
    }

    if (first && leftOver.length === 0) {
      showSummary('Please correct the highlighted fields', null);
      first.focus();
      return;
    }

    const { title, detail } = describeError(error);
    showSummary(title, [detail, ...leftOver].filter(Boolean).join(' '));
    summary.focus();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    hideSummary();
    serverErrors.clear();
    let firstInvalid = null;
    for (const name of Object.keys(rules)) {
      touched.add(name);
      if (check(name) && !firstInvalid) {
        firstInvalid = control(name);
      }
    }

    if (firstInvalid) {
      showSummary('Please correct the highlighted fields', null);
      firstInvalid.focus();
      return;
    }

    const button = event.submitter ?? form.querySelector('[type="submit"]');
    setBusy(button, true, busyText);
    form.setAttribute('aria-busy', 'true');
    try {
      await submit(values(), { setError, showSummary, hideSummary });
    } catch (error) {
      showApiError(error);
    } finally {
      form.removeAttribute('aria-busy');
      setBusy(button, false);
    }
  });

  return { setError, showSummary, hideSummary, values, showApiError };
}
