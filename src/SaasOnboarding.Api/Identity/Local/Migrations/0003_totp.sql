-- TOTP MFA: each user's authenticator secret, encrypted with the provider's secret key (local-idp-secret-key),
-- and the last time step a code was accepted for, so that no code is accepted twice.
CREATE TABLE IF NOT EXISTS totp (
    pool TEXT NOT NULL,
    user_name TEXT NOT NULL,
    secret TEXT NOT NULL,
    last_step INTEGER NOT NULL,
    PRIMARY KEY (pool, user_name));
