// The public sign-up page: the registration form, then "check your email".
import { focusHeading } from './dom.js';
import { hasDevMailbox, registrationForm } from './registration.js';

const formView = document.getElementById('signup-view');
const doneView = document.getElementById('signup-done');

document.getElementById('signup-form-slot').append(registrationForm({
  id: 'signup',
  submitText: 'Create company account',
  registered: async (answer, values) => {
    document.getElementById('signup-done-message').textContent =
      `${answer.tenantName} is ready. We sent a temporary password for ${answer.tenantAdminUserName} to ${values.tenantEmail}.`;
    document.getElementById('signup-done-user').textContent = answer.tenantAdminUserName;
    // So that the sign-in page can fill in the user name (a name, not a secret).
    sessionStorage.setItem('saas.signin.userName', answer.tenantAdminUserName);
    document.getElementById('signup-mailbox').hidden = !(await hasDevMailbox());
    formView.hidden = true;
    doneView.hidden = false;
    document.title = 'Check your email · SaasOnboarding';
    focusHeading(doneView);
  },
}));
