-- Webhooks (docs/webhooks.md): the endpoints SystemAdmin registers, each one's place in each tenant's outbox
-- (webhook_cursor: the last event handled, the failed attempts at the next one, when to try again, and which
-- instance holds it until when), and the log of every attempt. The signing secret is kept encrypted.
CREATE TABLE IF NOT EXISTS catalog.webhook_endpoint (
    id text COLLATE "C" PRIMARY KEY,
    url text NOT NULL,
    secret text NOT NULL,
    event_types text,
    created_at timestamptz NOT NULL,
    enabled boolean NOT NULL);
CREATE TABLE IF NOT EXISTS catalog.webhook_cursor (
    endpoint_id text COLLATE "C" NOT NULL,
    tenant_id text COLLATE "C" NOT NULL,
    delivered_sequence bigint NOT NULL,
    attempt integer NOT NULL,
    next_attempt_at timestamptz,
    claimed_by text,
    claimed_until timestamptz,
    PRIMARY KEY (endpoint_id, tenant_id));
CREATE TABLE IF NOT EXISTS catalog.webhook_delivery (
    id text COLLATE "C" PRIMARY KEY,
    endpoint_id text COLLATE "C" NOT NULL,
    event_id text NOT NULL,
    event_type text NOT NULL,
    tenant_id text,
    attempt integer NOT NULL,
    outcome text NOT NULL,
    status integer,
    error text,
    response_excerpt text,
    time timestamptz NOT NULL,
    next_attempt_at timestamptz);
CREATE INDEX IF NOT EXISTS webhook_delivery_by_endpoint ON catalog.webhook_delivery (endpoint_id, time, id);
