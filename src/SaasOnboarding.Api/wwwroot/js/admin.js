// The provider console (SystemAdmin): the navigation and the router to the views in admin/, one module each.
import { accountView } from './account.js';
import { auditView } from './audit.js';
import { startRouter } from './router.js';
import { requireSession } from './session.js';
import { renderShell } from './shell.js';
import { importView } from './admin/import.js';
import { provisionView } from './admin/provision.js';
import { tenantView } from './admin/tenant.js';
import { tenantsView } from './admin/tenants.js';
import { usersView } from './admin/users.js';
import { webhookView } from './admin/webhook.js';
import { webhooksView } from './admin/webhooks.js';

const session = await requireSession('operations');
if (session) {
  renderShell(session, [['#/tenants', 'Tenants'], ['#/users', 'Users'], ['#/provision', 'Provision a tenant'], ['#/import', 'Import a tenant'], ['#/webhooks', 'Webhooks'], ['#/audit', 'Audit log'], ['#/account', 'Password and sign-in']], 'Provider staff');
  startRouter([
    [/^#\/tenants$/, tenantsView],
    [/^#\/tenant\/([^/]+)$/, tenantView],
    [/^#\/users$/, usersView],
    [/^#\/provision$/, provisionView],
    [/^#\/import$/, importView],
    [/^#\/webhooks$/, webhooksView],
    [/^#\/webhooks\/([^/]+)$/, webhookView],
    [/^#\/audit$/, (section, query) => auditView(section, query, { withTenant: true })],
    [/^#\/account$/, accountView],
  ], '#/tenants', 'Provider console');
}
