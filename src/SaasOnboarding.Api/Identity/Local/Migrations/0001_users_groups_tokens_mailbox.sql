-- The local identity provider's store: users, groups, refresh tokens, lockouts and the dev mailbox.
CREATE TABLE IF NOT EXISTS user (
    pool TEXT NOT NULL,
    user_name TEXT NOT NULL,
    sub TEXT NOT NULL,
    email TEXT NOT NULL,
    tenant_id TEXT,
    user_role TEXT,
    password_hash TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (pool, user_name));
CREATE TABLE IF NOT EXISTS user_group (
    pool TEXT NOT NULL,
    group_name TEXT NOT NULL,
    PRIMARY KEY (pool, group_name));
CREATE TABLE IF NOT EXISTS group_member (
    pool TEXT NOT NULL,
    group_name TEXT NOT NULL,
    user_name TEXT NOT NULL,
    PRIMARY KEY (pool, group_name, user_name));
CREATE TABLE IF NOT EXISTS refresh_token (
    token_hash TEXT PRIMARY KEY,
    pool TEXT NOT NULL,
    user_name TEXT NOT NULL,
    expires_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sign_in_failure (
    pool TEXT NOT NULL,
    user_name TEXT NOT NULL,
    failures INTEGER NOT NULL,
    locked_until TEXT,
    PRIMARY KEY (pool, user_name));
CREATE TABLE IF NOT EXISTS mailbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    user_name TEXT NOT NULL,
    temporary_password TEXT,
    sent_at TEXT NOT NULL);
