-- The audit log (append-only: the app inserts and, for retention, deletes the oldest) and the outbox of lifecycle
-- events, each written in the same transaction as the change it records (docs/audit-and-events.md). An event's
-- sequence is its place in its tenant's order; outbox_sequence holds each tenant's last one, and its row lock
-- orders two writers of one tenant.
CREATE TABLE IF NOT EXISTS catalog.audit_entry (
    id text COLLATE "C" PRIMARY KEY,
    time timestamptz NOT NULL,
    actor text NOT NULL,
    actor_pool text,
    tenant_id text COLLATE "C",
    action text NOT NULL,
    target text,
    outcome text NOT NULL,
    status integer,
    client_address text,
    trace_id text);
CREATE INDEX IF NOT EXISTS audit_entry_by_time ON catalog.audit_entry (time, id);
CREATE INDEX IF NOT EXISTS audit_entry_by_tenant ON catalog.audit_entry (tenant_id, time, id);
CREATE TABLE IF NOT EXISTS catalog.outbox_sequence (
    tenant_id text COLLATE "C" PRIMARY KEY,
    last_sequence bigint NOT NULL);
CREATE TABLE IF NOT EXISTS catalog.outbox_event (
    id text COLLATE "C" PRIMARY KEY,
    tenant_id text COLLATE "C" NOT NULL,
    sequence bigint NOT NULL,
    type text NOT NULL,
    time timestamptz NOT NULL,
    data text NOT NULL,
    UNIQUE (tenant_id, sequence));
