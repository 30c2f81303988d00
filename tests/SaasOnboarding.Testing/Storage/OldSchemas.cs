namespace SaasOnboarding.Testing;

/// <summary>
/// The version-1 schemas with no version recorded, copied here as fixtures, so that the
/// tests make databases that the migration files did not make.
/// </summary>
internal static class OldSchemas
{
    public const string SqliteTenant = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE product (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT,
            sku TEXT NOT NULL UNIQUE,
            price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
            quantity INTEGER NOT NULL CHECK (quantity >= 0),
            backordered_limit INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE customer_order (
            id TEXT PRIMARY KEY,
            order_name TEXT NOT NULL,
            creation_date TEXT NOT NULL,
            status TEXT NOT NULL);
        CREATE TABLE order_line (
            order_id TEXT NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
            line_no INTEGER NOT NULL,
            product_id TEXT NOT NULL,
            product_name TEXT NOT NULL,
            product_sku TEXT NOT NULL,
            product_description TEXT,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            price_cents INTEGER NOT NULL,
            PRIMARY KEY (order_id, line_no));
        CREATE INDEX product_by_creation ON product (created_at, id);
        CREATE INDEX customer_order_by_creation ON customer_order (creation_date, id);
        """;

    /// <summary>A product, an order of it with one line: data an old tenant file holds.</summary>
    public const string SqliteTenantData = """
        INSERT INTO product VALUES ('p1', 'Pen', 'blue', 'PEN-1', 150, 7, 2, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z');
        INSERT INTO product VALUES ('p2', 'Ink', NULL, 'ink-1', 1999, 0, 0, '2026-01-02T00:00:00.000000Z', '2026-01-02T00:00:00.000000Z');
        INSERT INTO customer_order VALUES ('o1', 'First', '2026-01-03T00:00:00.000000Z', 'processing');
        INSERT INTO order_line VALUES ('o1', 0, 'p1', 'Pen', 'PEN-1', 'blue', 3, 150);
        """;

    public const string SqliteCatalog = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS tenant (
            id TEXT PRIMARY KEY,
            tenant_name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE,
            tenant_email TEXT NOT NULL,
            tenant_phone TEXT,
            tenant_address TEXT,
            tenant_tier TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS tenant_user (
            user_name TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            enabled INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS tenant_user_by_tenant ON tenant_user (tenant_id);
        CREATE TABLE IF NOT EXISTS onboarding_journal (
            tenant_id TEXT PRIMARY KEY,
            tenant_name TEXT NOT NULL,
            instance_id TEXT NOT NULL,
            steps TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        """;

    public const string SqliteLocalIdentity = """
        PRAGMA journal_mode = WAL;
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
        """;

    /// <summary>A tenant's schema as PostgreSQL held it: made by the tenant's role, in one transaction, with no version.</summary>
    public static string PostgresTenant(string name) => $$"""
        CREATE ROLE {{name}} NOLOGIN;
        GRANT {{name}} TO CURRENT_USER;
        CREATE SCHEMA {{name}} AUTHORIZATION {{name}};
        SET LOCAL ROLE {{name}};
        SET LOCAL search_path = {{name}}, pg_temp;
        CREATE TABLE product (
            id text COLLATE "C" PRIMARY KEY,
            name text NOT NULL,
            description text,
            sku text NOT NULL UNIQUE,
            price numeric(12,2) NOT NULL CHECK (price >= 0),
            quantity integer NOT NULL CHECK (quantity >= 0),
            backordered_limit integer NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL);
        CREATE INDEX product_by_creation ON product (created_at, id);
        CREATE TABLE customer_order (
            id text COLLATE "C" PRIMARY KEY,
            order_name text NOT NULL,
            creation_date timestamptz NOT NULL,
            status text NOT NULL CHECK (status IN ('processing', 'shipped', 'delivered', 'cancelled')));
        CREATE INDEX customer_order_by_creation ON customer_order (creation_date, id);
        CREATE TABLE order_line (
            order_id text COLLATE "C" NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
            line_no integer NOT NULL,
            product_id text NOT NULL,
            product_name text NOT NULL,
            product_sku text NOT NULL,
            product_description text,
            quantity integer NOT NULL CHECK (quantity > 0),
            price numeric(12,2) NOT NULL,
            PRIMARY KEY (order_id, line_no));
        INSERT INTO product VALUES ('p1', 'Pen', 'blue', 'PEN-1', 1.50, 7, 2, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
        INSERT INTO product VALUES ('p2', 'Ink', NULL, 'ink-1', 19.99, 0, 0, '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z');
        INSERT INTO customer_order VALUES ('o1', 'First', '2026-01-03T00:00:00Z', 'processing');
        INSERT INTO order_line VALUES ('o1', 0, 'p1', 'Pen', 'PEN-1', 'blue', 3, 1.50);
        """;

    /// <summary>The catalog schema as PostgreSQL held it, with no version.</summary>
    public const string PostgresCatalog = """
        CREATE SCHEMA catalog;
        CREATE TABLE catalog.tenant (
            id text COLLATE "C" PRIMARY KEY,
            tenant_name text NOT NULL,
            name_key text COLLATE "C" NOT NULL UNIQUE,
            tenant_email text NOT NULL,
            tenant_phone text,
            tenant_address text,
            tenant_tier text NOT NULL,
            status text NOT NULL CHECK (status IN ('Provisioning', 'Active', 'Inactive')),
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL);
        CREATE TABLE catalog.tenant_user (
            user_name text PRIMARY KEY,
            tenant_id text NOT NULL,
            enabled boolean NOT NULL);
        CREATE INDEX tenant_user_by_tenant ON catalog.tenant_user (tenant_id);
        CREATE TABLE catalog.onboarding_journal (
            tenant_id text PRIMARY KEY,
            tenant_name text NOT NULL,
            instance_id text NOT NULL,
            steps text[] NOT NULL,
            updated_at timestamptz NOT NULL);
        """;
}
