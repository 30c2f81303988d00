-- Offboarding: the statuses Offboarding, Purging and Purged; when offboarding started, when the tenant is due for
-- purge, who started it (user name and role) and the status cancelling restores. All null until offboarding
-- starts; a purged tenant's tombstone keeps them.
ALTER TABLE catalog.tenant DROP CONSTRAINT IF EXISTS tenant_status_check;
ALTER TABLE catalog.tenant ADD CONSTRAINT tenant_status_check
    CHECK (status IN ('Provisioning', 'Active', 'Inactive', 'Offboarding', 'Purging', 'Purged'));
ALTER TABLE catalog.tenant ADD COLUMN IF NOT EXISTS offboarding_started_at timestamptz;
ALTER TABLE catalog.tenant ADD COLUMN IF NOT EXISTS purge_after timestamptz;
ALTER TABLE catalog.tenant ADD COLUMN IF NOT EXISTS offboarded_by text;
ALTER TABLE catalog.tenant ADD COLUMN IF NOT EXISTS offboarded_by_role text;
ALTER TABLE catalog.tenant ADD COLUMN IF NOT EXISTS status_before_offboarding text;
CREATE INDEX IF NOT EXISTS tenant_by_status ON catalog.tenant (status, name_key, id);
