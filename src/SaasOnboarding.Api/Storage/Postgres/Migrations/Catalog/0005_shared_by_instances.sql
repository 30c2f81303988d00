-- One row per kind of background pass (the registration reconciler, the purge service): the instance that holds it
-- and until when. Taken and renewed with one conditional upsert (docs/scaling.md).
CREATE TABLE IF NOT EXISTS catalog.lease (
    name text COLLATE "C" PRIMARY KEY,
    holder text NOT NULL,
    expires_at timestamptz NOT NULL);
-- Each tenant's access revision: moved on by every change to its status, tier or users' access, and read at every
-- request of its users, so that a change committed on one instance is seen by all at their next request.
CREATE TABLE IF NOT EXISTS catalog.access_revision (
    tenant_id text COLLATE "C" PRIMARY KEY,
    revision bigint NOT NULL);
-- Each shared rate limit's current window (docs/scaling.md): the permits instances took from it so far, and what the
-- last write took, which the write answers.
CREATE TABLE IF NOT EXISTS catalog.rate_window (
    key text COLLATE "C" PRIMARY KEY,
    window_start timestamptz NOT NULL,
    used integer NOT NULL,
    granted integer NOT NULL);
