using Microsoft.Data.Sqlite;

namespace SaasOnboarding.Api.Storage.Embedded;

/// <summary>One SQLite file per tenant, <c>tenant_&lt;id&gt;.db</c>, beside the catalog.</summary>
public sealed class SqliteTenantDatabases : ITenantDatabases, IDisposable
{
    private readonly string _dataDirectory;
    private readonly SqliteChildConnections _connections;
    private readonly TimeProvider _time;

    /// <summary>Tenant files in <paramref name="dataDirectory"/>; products and orders are stamped with <paramref name="time"/>.</summary>
    public SqliteTenantDatabases(string dataDirectory, int maxIdleConnections = SqliteChildConnections.DefaultMaxIdle, TimeProvider? time = null)
    {
        _dataDirectory = dataDirectory;
        _time = time ?? TimeProvider.System;
        // A file is checked (and upgraded if it is behind) when a connection is first opened for it after a start,
        // before any request uses it: a tenant is never served from an old schema.
        _connections = new SqliteChildConnections(maxIdleConnections, (connection, path, cancellationToken) =>
            SqliteMigrator.UpgradeAsync(connection, Migrations, SentinelTable, Path.GetFileName(path), cancellationToken));
    }

    /// <summary>The numbered migrations of a tenant file; new files are made at the latest version.</summary>
    internal static readonly SchemaMigrations Migrations = SchemaMigrations.Embedded("Storage/Embedded/Migrations/Tenant/");

    /// <summary>A table that every version has: a file without a recorded version but with it is at version 1.</summary>
    internal const string SentinelTable = "product";

    public async Task CreateAsync(string tenantId, CancellationToken cancellationToken)
    {
        var path = PathOf(tenantId);
        if (File.Exists(path))
        {
            throw new InvalidOperationException($"The child database of tenant {tenantId} exists already.");
        }

        // Hydrate a file under a temporary name and rename it into place: a child database is complete or absent.
        var building = path + ".building";
        DeleteFiles(building);
        try
        {
            var connectionString = Sqlite.ConnectionString(building, pooling: false);
            await using (var connection = await Sqlite.OpenAsync(connectionString, cancellationToken))
            {
                await using (var wal = connection.Command("PRAGMA journal_mode = WAL"))
                {
                    await wal.ExecuteNonQueryAsync(cancellationToken);
                }

                await SqliteMigrator.UpgradeAsync(connection, Migrations, SentinelTable, Path.GetFileName(path), cancellationToken);
                await using var checkpoint = connection.Command("PRAGMA wal_checkpoint(TRUNCATE)");
                await checkpoint.ExecuteNonQueryAsync(cancellationToken);
            }

            DeleteFiles(building, mainFile: false);
            File.Move(building, path);
        }
        catch
        {
            DeleteFiles(building);
            throw;
        }
    }

    public Task DeleteAsync(string tenantId, CancellationToken cancellationToken)
    {
        var path = PathOf(tenantId);
        // An open connection would keep the deleted file alive (Linux) and answer from it.
        _connections.Forget(path);
        DeleteFiles(path);
        DeleteFiles(path + ".building");
        return Task.CompletedTask;
    }

    /// <summary>Brings the tenant's file to the latest schema version (the <c>migrate</c> command); null without a file.</summary>
    public async Task<SchemaUpgrade?> UpgradeAsync(string tenantId, CancellationToken cancellationToken)
    {
        var path = PathOf(tenantId);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var connection = await Sqlite.OpenAsync(Sqlite.ConnectionString(path, pooling: false, create: false), cancellationToken);
        return await SqliteMigrator.UpgradeAsync(connection, Migrations, SentinelTable, Path.GetFileName(path), cancellationToken);
    }

    public bool KeepsRecordId(string id) => id.Length is > 0 and <= ITenantDatabases.MaxRecordIdLength;

    public ITenantDatabase Open(string tenantId, DataPlaneAudit? audit = null) => new SqliteTenantDatabase(tenantId, PathOf(tenantId), _connections, _time, audit);

    public void Dispose() => _connections.Dispose();

    private string PathOf(string tenantId) => Path.Combine(_dataDirectory, TenantIds.DatabaseName(tenantId) + ".db");

    private static void DeleteFiles(string path, bool mainFile = true)
    {
        if (mainFile)
        {
            File.Delete(path);
        }

        File.Delete(path + "-wal");
        File.Delete(path + "-shm");
        File.Delete(path + "-journal");
    }
}
