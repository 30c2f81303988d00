-- Webhooks (docs/webhooks.md): the endpoints SystemAdmin registers, each one's place in each tenant's outbox
-- (webhook_cursor: the last event handled, the failed attempts at the next one, when to try again, and which
-- instance holds it until when), and the log of every attempt. The signing secret is kept encrypted.
CREATE TABLE IF NOT EXISTS webhook_endpoint (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    event_types TEXT,
    created_at TEXT NOT NULL,
    enabled INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS webhook_cursor (
    endpoint_id TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    delivered_sequence INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    next_attempt_at TEXT,
    claimed_by TEXT,
    claimed_until TEXT,
    PRIMARY KEY (endpoint_id, tenant_id));
CREATE TABLE IF NOT EXISTS webhook_delivery (
    id TEXT PRIMARY KEY,
    endpoint_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    tenant_id TEXT,
    attempt INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    status INTEGER,
    error TEXT,
    response_excerpt TEXT,
    time TEXT NOT NULL,
    next_attempt_at TEXT);
CREATE INDEX IF NOT EXISTS webhook_delivery_by_endpoint ON webhook_delivery (endpoint_id, time, id);
