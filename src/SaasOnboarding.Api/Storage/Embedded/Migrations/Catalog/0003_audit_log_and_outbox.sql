-- The audit log (append-only: the app inserts and, for retention, deletes the oldest) and the outbox of lifecycle
-- events, each written in the same transaction as the change it records (docs/audit-and-events.md). An event's
-- sequence is its place in its tenant's order; outbox_sequence holds each tenant's last one.
CREATE TABLE IF NOT EXISTS audit_entry (
    id TEXT PRIMARY KEY,
    time TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_pool TEXT,
    tenant_id TEXT,
    action TEXT NOT NULL,
    target TEXT,
    outcome TEXT NOT NULL,
    status INTEGER,
    client_address TEXT,
    trace_id TEXT);
CREATE INDEX IF NOT EXISTS audit_entry_by_time ON audit_entry (time, id);
CREATE INDEX IF NOT EXISTS audit_entry_by_tenant ON audit_entry (tenant_id, time, id);
CREATE TABLE IF NOT EXISTS outbox_sequence (
    tenant_id TEXT PRIMARY KEY,
    last_sequence INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outbox_event (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    type TEXT NOT NULL,
    time TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (tenant_id, sequence));
