-- One row per kind of background pass (the registration reconciler, the purge service): the instance that holds it
-- and until when. Taken and renewed with one conditional upsert (docs/scaling.md).
CREATE TABLE IF NOT EXISTS catalog.lease (
    name text COLLATE "C" PRIMARY KEY,
    holder text NOT NULL,
    expires_at timestamptz NOT NULL);
