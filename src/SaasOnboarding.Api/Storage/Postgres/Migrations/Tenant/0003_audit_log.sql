-- The tenant's data-plane audit log: one entry per product or order change, written in the change's transaction,
-- with the same fields as the catalog's entries (docs/audit-and-events.md). Append-only: the app inserts and, for
-- retention, deletes the oldest. Run as the tenant's role, in its schema.
CREATE TABLE IF NOT EXISTS audit_entry (
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
CREATE INDEX IF NOT EXISTS audit_entry_by_time ON audit_entry (time, id);
