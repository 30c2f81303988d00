-- The parent database: tenants, tenant-user mappings and the onboarding journal, in schema catalog.
CREATE TABLE IF NOT EXISTS catalog.tenant (
    id text COLLATE "C" PRIMARY KEY,
    tenant_name text NOT NULL,
    name_key text COLLATE "C" NOT NULL UNIQUE,
    tenant_email text NOT NULL,
    tenant_phone text,
    tenant_address text,
    tenant_tier text NOT NULL,
    status text NOT NULL CHECK (status IN ('Provisioning', 'Active', 'Inactive')),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS catalog.tenant_user (
    user_name text PRIMARY KEY,
    tenant_id text NOT NULL,
    enabled boolean NOT NULL);
CREATE INDEX IF NOT EXISTS tenant_user_by_tenant ON catalog.tenant_user (tenant_id);
CREATE TABLE IF NOT EXISTS catalog.onboarding_journal (
    tenant_id text PRIMARY KEY,
    tenant_name text NOT NULL,
    instance_id text NOT NULL,
    steps text[] NOT NULL,
    updated_at timestamptz NOT NULL);
