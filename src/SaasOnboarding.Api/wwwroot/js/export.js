// "Download export": a tenant's data as the JSON Lines bundle GET /tenant/{id}/export answers
// (docs/export-format.md), saved as the file the answer names.
import { act } from './actions.js';
import { apiDownload } from './api.js';
import { h } from './dom.js';

/** A button that downloads the tenant's export; a failure is shown next to `where`. */
export function exportButton(tenantId, where) {
  const button = h('button', { type: 'button', class: 'secondary', id: 'download-export' }, 'Download export');
  button.addEventListener('click', () => act(button, 'Preparing the export…', where, async () => {
    const { blob, name } = await apiDownload(`tenant/${encodeURIComponent(tenantId)}/export`);
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }));
  return button;
}
