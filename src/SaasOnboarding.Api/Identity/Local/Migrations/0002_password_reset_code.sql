-- Codes of the forgot-password flow: one live code per user, hashed, with its expiry and the wrong tries it has left.
CREATE TABLE IF NOT EXISTS password_reset_code (
    pool TEXT NOT NULL,
    user_name TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    attempts_left INTEGER NOT NULL,
    PRIMARY KEY (pool, user_name));
