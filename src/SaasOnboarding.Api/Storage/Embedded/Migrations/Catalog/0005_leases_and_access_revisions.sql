-- One row per kind of background pass (the registration reconciler, the purge service): the instance that holds it
-- and until when. The embedded store serves one process, which takes the lease the same way (docs/scaling.md).
CREATE TABLE IF NOT EXISTS lease (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at TEXT NOT NULL);
