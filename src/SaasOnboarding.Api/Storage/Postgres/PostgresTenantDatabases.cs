using System.Collections.Concurrent;
using Npgsql;

namespace SaasOnboarding.Api.Storage.Postgres;

/// <summary>
/// One schema per tenant, <c>tenant_&lt;id&gt;</c>, owned by a login-less role of the same name. The child-scoped
/// client runs as that role, which holds privileges on its own schema only: PostgreSQL itself refuses a statement
/// that names another tenant's schema or the catalog.
/// </summary>
/// <remarks>
/// Each tenant schema records its version (docs/schema-changes.md); a new one is made at the latest, and an older one
/// is upgraded before its first use in this process.
/// </remarks>
public sealed class PostgresTenantDatabases(NpgsqlDataSource dataSource, ILogger<PostgresTenantDatabases> logger, TimeProvider? time = null) : ITenantDatabases
{
    /// <summary>
    /// The numbered migrations of a tenant schema, run as the tenant role itself, so that the tenant owns every
    /// object in its schema and nothing else.
    /// </summary>
    internal static readonly SchemaMigrations Migrations = SchemaMigrations.Embedded("Storage/Postgres/Migrations/Tenant/");

    /// <summary>A table that every version has: a schema without a recorded version but with it is at version 1.</summary>
    internal const string SentinelTable = "product";

    /// <summary>Tenant schemas checked (and upgraded) since the start; each is checked once per process.</summary>
    private readonly ConcurrentDictionary<string, Lazy<Task>> _current = new(StringComparer.Ordinal);

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
                {PostgresMigrator.CreateScript(Migrations)}
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
        _current.TryRemove(databaseName, out _);
        logger.LogInformation("Dropped schema and role of tenant {TenantId}", tenantId);
    }

    private async Task<bool> ExistsAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @name)", null, ("@name", TenantIds.DatabaseName(tenantId)));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<SchemaUpgrade?> UpgradeAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(tenantId, cancellationToken))
        {
            return null;
        }

        var name = TenantIds.DatabaseName(tenantId);
        var upgrade = await PostgresMigrator.UpgradeAsync(dataSource, Migrations, name, name, SentinelTable, cancellationToken);
        if (upgrade.Changed)
        {
            logger.LogInformation("Upgraded the schema of tenant {TenantId} from version {From} to {To}", tenantId, upgrade.From, upgrade.To);
        }

        return upgrade;
    }

    public bool KeepsRecordId(string id) => id.Length is > 0 and <= ITenantDatabases.MaxRecordIdLength;

    public ITenantDatabase Open(string tenantId, DataPlaneAudit? audit = null) => new PostgresTenantDatabase(tenantId, dataSource, EnsureCurrentAsync, time, audit);

    /// <summary>The catalog is in the same database: each operation reads the tenant's access revision in its first round trip.</summary>
    public bool ChecksAccessRevision => true;

    public ITenantDatabase Open(string tenantId, DataPlaneAudit? audit, IAccessRevisionCheck access) =>
        new PostgresTenantDatabase(tenantId, dataSource, EnsureCurrentAsync, time, audit, access);

    /// <summary>
    /// Before a tenant's first use in this process: its schema is upgraded if it is behind. Callers at the same
    /// moment wait for one upgrade; a failed one is tried again by the next caller. A schema that does not exist is
    /// left to the operation, which reports it.
    /// </summary>
    private async Task EnsureCurrentAsync(string tenantId, CancellationToken cancellationToken)
    {
        var name = TenantIds.DatabaseName(tenantId);
        var check = _current.GetOrAdd(name, _ => new Lazy<Task>(() => CheckAsync(tenantId)));
        try
        {
            await check.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (check.Value.IsFaulted || check.Value.IsCanceled)
        {
            _current.TryRemove(new KeyValuePair<string, Lazy<Task>>(name, check));
            throw;
        }
    }

    private async Task CheckAsync(string tenantId)
    {
        // Not the first caller's token: other callers wait for this same check.
        if (await UpgradeAsync(tenantId, CancellationToken.None) is null)
        {
            throw new InvalidOperationException($"Tenant {tenantId} has no child database.");
        }
    }
}
