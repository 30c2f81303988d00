// The sign-in page: password sign-in for tenant users and provider staff, and the first sign-in's
// NEW_PASSWORD_REQUIRED challenge; the MFA steps and the forgotten password are in signin-steps.js.
import { api, ApiError } from './api.js';
import { h } from './dom.js';
import { bindForm } from './forms.js';
import { passwordChecks, passwordRule, text } from './rules.js';
import { borrowSession, homeOf, loadSession, pageAfterSignIn, saveSession, sessionFrom } from './session.js';
import { showView, startSteps } from './signin-steps.js';

const existing = loadSession();
if (existing) {
  location.replace(homeOf(existing));
} else {
  start();
  // Signed in in another open tab: this one goes where that session belongs.
  borrowSession().then((borrowed) => borrowed && location.replace(pageAfterSignIn(borrowed)));
}

function start() {
  const signinForm = document.getElementById('signin');
  const newPasswordForm = document.getElementById('new-password');
  const notice = document.getElementById('signin-notice');

  // Kept in memory only: the challenge session is as good as a password for a few minutes.
  let challenge = null;

  const prefill = sessionStorage.getItem('saas.signin.userName');
  if (prefill) {
    signinForm.elements.namedItem('userName').value = prefill;
    notice.append(h('p', { class: 'alert info' }, 'Sign in with the temporary password from your email. You will then choose your own password.'));
    sessionStorage.removeItem('saas.signin.userName');
  }

  if (sessionStorage.getItem('saas.notice') === 'signed-out') {
    notice.append(h('p', { class: 'alert success', role: 'status' }, 'You have signed out.'));
    sessionStorage.removeItem('saas.notice');
  }

  const finish = (tokens, pool) => {
    const session = sessionFrom(tokens, pool);
    saveSession(session);
    location.replace(pageAfterSignIn(session));
  };
  const answerChallenge = startSteps({
    finish,
    notice: (message, kind) => notice.replaceChildren(h('p', { class: `alert ${kind}`, role: 'status' }, message)),
  });

  bindForm(signinForm, {
    rules: {
      userName: text({ max: 128 }),
      password: (value) => (value ? null : 'This field is required.'),
    },
    busyText: 'Signing in…',
    submit: async ({ userName, password, pool }) => {
      let answer;
      try {
        answer = await api('POST', 'auth/signin', { auth: false, body: { userName: userName.trim(), password, pool } });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          throw new ApiError(401, {
            title: 'Sign-in failed',
            detail: 'The user name or password is not right, or the account is disabled. Check "I am" too: provider staff and company users sign in separately.',
          });
        }

        throw error;
      }

      if (answer.idToken) {
        finish(answer, pool);
        return;
      }

      if (answer.challengeName === 'NEW_PASSWORD_REQUIRED') {
        challenge = { userName: userName.trim(), session: answer.session, pool };
        signinForm.reset();
        showView('new-password-view');
        return;
      }

      if (await answerChallenge(answer, { userName: userName.trim(), pool })) {
        signinForm.reset();
        return;
      }

      throw new ApiError(400, { title: 'Unexpected answer', detail: `The service asked for ${answer.challengeName}, which this page cannot answer.` });
    },
  });

  // The policy as a checklist that ticks as you type.
  const rulesList = document.getElementById('new-password-rules');
  const newPassword = newPasswordForm.elements.namedItem('newPassword');
  const items = passwordChecks.map(([id, label]) => {
    const item = h('li', { id: `rule-${id}` }, label);
    rulesList.append(item);
    return item;
  });
  const tick = () => {
    passwordChecks.forEach(([, label, met], index) => {
      const ok = met(newPassword.value);
      items[index].classList.toggle('met', ok);
      items[index].textContent = label + (ok ? ' (done)' : '');
    });
  };
  newPassword.addEventListener('input', tick);
  tick();

  bindForm(newPasswordForm, {
    rules: {
      newPassword: passwordRule,
      confirmPassword: (value, values) => (!value ? 'This field is required.' : value !== values.newPassword ? 'The two passwords differ.' : null),
    },
    busyText: 'Setting password…',
    submit: async ({ newPassword: password }) => {
      try {
        const answer = await api('POST', 'auth/new-password', {
          auth: false,
          body: { userName: challenge.userName, session: challenge.session, newPassword: password, pool: challenge.pool },
        });
        if (answer.idToken) {
          finish(answer, challenge.pool);
        } else if (!(await answerChallenge(answer, challenge))) {
          throw new ApiError(400, { title: 'Unexpected answer', detail: `The service asked for ${answer.challengeName}, which this page cannot answer.` });
        }
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          throw new ApiError(401, { title: 'This sign-in has expired', detail: 'Choose "Start over" and sign in again with the temporary password.' });
        }

        throw error;
      }
    },
  });

  document.getElementById('new-password-cancel').addEventListener('click', () => {
    challenge = null;
    newPasswordForm.reset();
    tick();
    showView('signin-view');
  });
}
