-- The tenant's data-plane audit log: one entry per product or order change, written in the change's transaction,
-- with the same fields as the catalog's entries (docs/audit-and-events.md). Append-only: the app inserts and, for
-- retention, deletes the oldest.
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
