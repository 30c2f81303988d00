-- One row per kind of background pass (the registration reconciler, the purge service): the instance that holds it
-- and until when. The embedded store serves one process, which takes the lease the same way (docs/scaling.md).
CREATE TABLE IF NOT EXISTS lease (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at TEXT NOT NULL);
-- Each shared rate limit's current window: the permits taken from it so far, and what the last write took.
CREATE TABLE IF NOT EXISTS rate_window (
    key TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    used INTEGER NOT NULL,
    granted INTEGER NOT NULL);
