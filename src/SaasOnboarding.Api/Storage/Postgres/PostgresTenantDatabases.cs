using Npgsql;

namespace SaasOnboarding.Api.Storage.Postgres;

/// <summary>
/// One schema per tenant, <c>tenant_&lt;id&gt;</c>, owned by a login-less role of the same name. The child-scoped
/// client runs as that role, which holds privileges on its own schema only: PostgreSQL itself refuses a statement
/// that names another tenant's schema or the catalog.
/// </summary>
public sealed class PostgresTenantDatabases(NpgsqlDataSource dataSource, ILogger<PostgresTenantDatabases> logger) : ITenantDatabases
{
    // Created by the tenant role itself, so that the tenant owns every object in its schema and nothing else.
    // Money is numeric(12,2): exact, and as wide as the API allows.
    internal const string Schema = """
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
        CREATE UNIQUE INDEX product_sku_folded ON product (lower(sku COLLATE "C"));
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
        """;

    /// <summary>
    /// Role, schema and tables in one transaction: PostgreSQL DDL (roles included) is transactional, so a child
    /// is either complete or absent.
    /// </summary>
    public async Task CreateAsync(string tenantId, CancellationToken cancellationToken)
    {
        var name = Postgres.Identifier(TenantIds.DatabaseName(tenantId));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            // The app role has CREATEROLE but is not a member of the role it creates until it grants itself
            // membership; only then may it SET ROLE to it and hand it the schema.
            await connection.ExecuteAsync(
                $"""
                CREATE ROLE {name} NOLOGIN;
                GRANT {name} TO CURRENT_USER;
                CREATE SCHEMA {name} AUTHORIZATION {name};
                SET LOCAL ROLE {name};
                SET LOCAL search_path = {name}, pg_temp;
                {Schema}
                """,
                transaction,
                cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.DuplicateSchema)
        {
            // The role or the schema exists: the transaction rolled back, and the first child stays as it was.
            throw new InvalidOperationException($"The child database of tenant {tenantId} exists already.", e);
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Created schema and role for tenant {TenantId}", tenantId);
    }

    public async Task DeleteAsync(string tenantId, CancellationToken cancellationToken)
    {
        var databaseName = TenantIds.DatabaseName(tenantId);
        var name = Postgres.Identifier(databaseName);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = connection.Command("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @name)", transaction, ("@name", databaseName)))
        {
            var roleExists = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;

            // DROP OWNED also revokes whatever the role was granted in this database, which DROP ROLE requires.
            await connection.ExecuteAsync(
                roleExists
                    ? $"DROP SCHEMA IF EXISTS {name} CASCADE; DROP OWNED BY {name}; DROP ROLE {name};"
                    : $"DROP SCHEMA IF EXISTS {name} CASCADE;",
                transaction,
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Dropped schema and role of tenant {TenantId}", tenantId);
    }

    public async Task<bool> ExistsAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @name)", null, ("@name", TenantIds.DatabaseName(tenantId)));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public ITenantDatabase Open(string tenantId) => new PostgresTenantDatabase(tenantId, dataSource);
}
