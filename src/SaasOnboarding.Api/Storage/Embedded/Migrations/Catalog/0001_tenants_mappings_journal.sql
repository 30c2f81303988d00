-- The parent database: tenants, tenant-user mappings and the onboarding journal.
CREATE TABLE IF NOT EXISTS tenant (
    id TEXT PRIMARY KEY,
    tenant_name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    tenant_email TEXT NOT NULL,
    tenant_phone TEXT,
    tenant_address TEXT,
    tenant_tier TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tenant_user (
    user_name TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    enabled INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS tenant_user_by_tenant ON tenant_user (tenant_id);
CREATE TABLE IF NOT EXISTS onboarding_journal (
    tenant_id TEXT PRIMARY KEY,
    tenant_name TEXT NOT NULL,
    instance_id TEXT NOT NULL,
    steps TEXT NOT NULL,
    updated_at TEXT NOT NULL);
