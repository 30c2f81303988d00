-- Offboarding: when it started, when the tenant is due for purge, who started it (user name and role) and the
-- status cancelling restores. All null until offboarding starts; a purged tenant's tombstone keeps them.
ALTER TABLE tenant ADD COLUMN offboarding_started_at TEXT;
ALTER TABLE tenant ADD COLUMN purge_after TEXT;
ALTER TABLE tenant ADD COLUMN offboarded_by TEXT;
ALTER TABLE tenant ADD COLUMN offboarded_by_role TEXT;
ALTER TABLE tenant ADD COLUMN status_before_offboarding TEXT;
CREATE INDEX IF NOT EXISTS tenant_by_status ON tenant (status, name_key, id);
