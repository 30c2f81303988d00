using Microsoft.Data.Sqlite;

namespace SaasOnboarding.Api.Storage.Embedded;

/// <summary>One SQLite file per tenant, <c>tenant_&lt;id&gt;.db</c>, beside the catalog.</summary>
public sealed class SqliteTenantDatabases : ITenantDatabases, IDisposable
{
    private readonly string _dataDirectory;
    private readonly SqliteChildConnections _connections;

    public SqliteTenantDatabases(string dataDirectory, int maxIdleConnections = SqliteChildConnections.DefaultMaxIdle)
    {
        _dataDirectory = dataDirectory;
        _connections = new SqliteChildConnections(maxIdleConnections);
    }

    internal const string Schema = """
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
        -- Listings page in creation order (keyset pagination on these pairs).
        CREATE INDEX product_by_creation ON product (created_at, id);
        CREATE INDEX customer_order_by_creation ON customer_order (creation_date, id);
        -- SKUs are unique ignoring the case of ASCII letters; the writes check the same expression first.
        CREATE UNIQUE INDEX product_sku_folded ON product (lower(sku));
        """;

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
            await using (var command = connection.Command(Schema))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
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

    public Task<bool> ExistsAsync(string tenantId, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(PathOf(tenantId)));

    public ITenantDatabase Open(string tenantId) => new SqliteTenantDatabase(tenantId, PathOf(tenantId), _connections);

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
