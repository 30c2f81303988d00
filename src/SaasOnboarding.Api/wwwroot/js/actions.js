// Buttons that call the API: busy while the call runs, its error shown beside them, and optionally a confirmation
// first.
import { confirmDialog, setBusy } from './dom.js';
import { errorAlert } from './errors.js';

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
