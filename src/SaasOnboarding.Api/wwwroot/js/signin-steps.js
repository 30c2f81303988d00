// The sign-in page's steps after the password and beside it: the TOTP code (SOFTWARE_TOKEN_MFA), the MFA set-up a
// SystemAdmin may be sent to (MFA_SETUP), and a forgotten password reset with an emailed code.
import { api, ApiError } from './api.js';
import { focusHeading, h, setBusy } from './dom.js';
import { describeError } from './errors.js';
import { bindForm } from './forms.js';
import { cleanCode, codeField, codeRule, setupCard } from './mfa.js';
import { passwordRule, text } from './rules.js';

const views = ['signin-view', 'new-password-view', 'mfa-view', 'mfa-setup-view', 'reset-view'];

/** Shows one view of the page and moves focus to its heading. */
export function showView(id) {
  for (const view of views) {
    document.getElementById(view).hidden = view !== id;
  }

  focusHeading(document.getElementById(id));
}

/**
 * Binds the steps' forms. `finish(tokens, pool)` ends a sign-in; `notice(text, kind)` says something on the
 * sign-in view. Answers `answerChallenge(answer, challenge)`, which shows the step for a challenge, or false for
 * one it does not know.
 */
export function startSteps({ finish, notice }) {
  let challenge = null;
  let reset = null;
  const signinForm = document.getElementById('signin');
  const resetForm = document.getElementById('reset');
  const back = (message) => {
    // The sign-in form again, with the user name and pool of the sign-in that was under way.
    const from = challenge ?? reset;
    if (from) {
      signinForm.elements.namedItem('userName').value = from.userName;
      signinForm.querySelector(`input[name="pool"][value="${from.pool}"]`).checked = true;
    }

    challenge = null;
    showView('signin-view');
    if (message) {
      notice(message, 'success');
    }
  };

  const mfaForm = document.getElementById('mfa');
  mfaForm.prepend(codeField('mfa'));
  bindForm(mfaForm, {
    rules: { code: codeRule },
    busyText: 'Checking…',
    submit: async ({ code }) => {
      try {
        const tokens = await api('POST', 'auth/mfa', { auth: false, body: { ...challenge, code: cleanCode(code) } });
        finish(tokens, challenge.pool);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          throw new ApiError(400, { errors: { code: ['This code is not right, was used already, or this sign-in has expired. Wait for the next code and try again, or start over.'] } });
        }

        throw error;
      }
    },
  });
  document.getElementById('mfa-cancel').addEventListener('click', () => {
    mfaForm.reset();
    back();
  });
  document.getElementById('mfa-setup-cancel').addEventListener('click', () => back());

  const setupBody = document.getElementById('mfa-setup-body');
  const startSetup = async () => {
    setupBody.replaceChildren(h('p', { class: 'loading', role: 'status' }, 'Making a new key…'));
    const setup = await api('POST', 'auth/mfa/setup', { auth: false, body: challenge });
    const { userName, pool } = challenge;
    setupBody.replaceChildren(setupCard({
      id: 'mfa-setup',
      userName,
      pool,
      setup,
      done: () => back('Two-step sign-in is on. Sign in again with your password, then a code from the app.'),
    }));
  };

  // A code for the user name typed in the sign-in form, in the pool chosen there.
  document.getElementById('forgot-start').addEventListener('click', async (event) => {
    const userName = signinForm.elements.namedItem('userName');
    const problem = text({ max: 128 })(userName.value);
    const error = document.getElementById('signin-userName-error');
    if (problem) {
      error.textContent = problem === 'This field is required.' ? 'Type your user name, then choose "Forgot your password?" again.' : problem;
      error.hidden = false;
      userName.setAttribute('aria-invalid', 'true');
      userName.focus();
      return;
    }

    const button = event.currentTarget;
    setBusy(button, true, 'Sending a code…');
    try {
      reset = { userName: userName.value.trim(), pool: signinForm.querySelector('input[name="pool"]:checked')?.value ?? 'tenant' };
      await api('POST', 'auth/forgot-password', { auth: false, body: reset });
      resetForm.reset();
      showView('reset-view');
    } catch (failure) {
      notice(describeError(failure).title, 'error');
    } finally {
      setBusy(button, false);
    }
  });
  document.getElementById('reset-cancel').addEventListener('click', () => back());
  bindForm(resetForm, {
    rules: {
      code: text({ max: 64 }),
      newPassword: passwordRule,
      confirmPassword: (value, values) => (!value ? 'This field is required.' : value !== values.newPassword ? 'The two passwords differ.' : null),
    },
    busyText: 'Setting password…',
    submit: async ({ code, newPassword }) => {
      await api('POST', 'auth/confirm-forgot-password', { auth: false, body: { ...reset, code: code.trim(), newPassword } });
      back('Your password is changed. Sign in with it now.');
    },
  });

  return async (answer, next) => {
    challenge = { userName: next.userName, session: answer.session, pool: next.pool };
    if (answer.challengeName === 'SOFTWARE_TOKEN_MFA') {
      mfaForm.reset();
      showView('mfa-view');
      return true;
    }

    if (answer.challengeName === 'MFA_SETUP') {
      showView('mfa-setup-view');
      await startSetup();
      return true;
    }

    return false;
  };
}
