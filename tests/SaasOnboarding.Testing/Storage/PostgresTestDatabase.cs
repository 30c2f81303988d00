using Npgsql;
using SaasOnboarding.Api.Storage.Postgres;

namespace SaasOnboarding.Testing;

/// <summary>
/// A database of its own on the test server named by <c>SAAS_TEST_POSTGRES</c>, so that test classes run in
/// parallel without sharing a catalog. Dropped, with the tenant roles made in it, when the class is done.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncLifetime
{
    public const string Variable = "SAAS_TEST_POSTGRES";

    private NpgsqlDataSource? _dataSource;

    public PostgresTestDatabase()
    {
        var builder = Server();
        builder.Database = Name;
        ConnectionString = builder.ConnectionString;
    }

    public string Name { get; } = "saas_test_" + Guid.NewGuid().ToString("N");

    /// <summary>The app role's connection string for this class's own database; usable once initialized.</summary>
    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("Not initialized.");

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set: these tests need PostgreSQL. Run scripts/test.sh, or start a throw-away server " +
                "with `eval \"$(scripts/services/postgres.sh start)\"` and stop it with `scripts/services/postgres.sh stop`.");

    /// <summary>
    /// The server's connection string with generous timeouts: the whole suite shares two cores, and a connection
    /// that waits its turn for a thread must not fail a test that has nothing to do with timing.
    /// </summary>
    private static NpgsqlConnectionStringBuilder Server()
    {
        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString);
        builder.Timeout = Math.Max(builder.Timeout, 60);
        builder.CommandTimeout = Math.Max(builder.CommandTimeout, 120);
        return builder;
    }

    public async Task InitializeAsync()
    {
        var server = Server();
        server.Pooling = false;
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        _dataSource = PostgresStorageSetup.CreateDataSource(ConnectionString, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is null)
        {
            return;
        }

        // Tenant roles are cluster-wide: drop them with their schemas before the database goes.
        var databases = new PostgresTenantDatabases(_dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresTenantDatabases>.Instance);
        var tenantIds = new List<string>();
        await using (var connection = await _dataSource.OpenConnectionAsync())
        await using (var command = new NpgsqlCommand("SELECT substr(nspname, 8) FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tenantIds.Add(reader.GetString(0));
            }
        }

        foreach (var tenantId in tenantIds)
        {
            await databases.DeleteAsync(tenantId, CancellationToken.None);
        }

        await _dataSource.DisposeAsync();
        var server = Server();
        server.Pooling = false;
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
