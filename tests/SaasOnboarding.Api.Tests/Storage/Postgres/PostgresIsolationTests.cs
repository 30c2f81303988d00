using Npgsql;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Postgres;

namespace SaasOnboarding.Api.Tests.Storage.Postgres;

/// <summary>
/// What PostgreSQL itself enforces, below the adapter's own queries: each child client runs as its tenant's role,
/// and that role can reach nothing but its own schema.
/// </summary>
public sealed class PostgresIsolationTests(PostgresStorageFixture fixture) : IClassFixture<PostgresStorageFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ATenantsChildClientCannotReadOrWriteAnotherTenantsProducts()
    {
        await AssertAppRoleIsNotSuperuserAsync();
        var tenantA = await NewChildAsync();
        var tenantB = await NewChildAsync();
        var productB = (await fixture.Databases.Open(tenantB).CreateProductAsync(new ProductDraft("Secret", null, "B-1", 1m, 5, 0), None)).Product!;
        var clientA = OpenPostgres(tenantA);

        var read = await Assert.ThrowsAsync<PostgresException>(() => clientA.RunAsync(
            (connection, transaction) => Scalar(connection, transaction, $"SELECT count(*) FROM tenant_{tenantB}.product"),
            None));
        var write = await Assert.ThrowsAsync<PostgresException>(() => clientA.RunAsync(
            (connection, transaction) => Scalar(connection, transaction, $"DELETE FROM tenant_{tenantB}.product RETURNING id"),
            None));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, read.SqlState);
        Assert.Contains($"permission denied for schema tenant_{tenantB}", read.MessageText, StringComparison.Ordinal);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, write.SqlState);
        Assert.Equal(productB, await fixture.Databases.Open(tenantB).GetProductAsync(productB.Id, None));
    }

    [Fact]
    public async Task ATenantsChildClientCannotReadTheCatalog()
    {
        var client = OpenPostgres(await NewChildAsync());

        var error = await Assert.ThrowsAsync<PostgresException>(() => client.RunAsync(
            (connection, transaction) => Scalar(connection, transaction, "SELECT count(*) FROM catalog.tenant"),
            None));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task AChildClientRunsAsItsTenantsRoleWithOnlyItsSchemaOnThePath()
    {
        var tenantId = await NewChildAsync();

        var session = await OpenPostgres(tenantId).RunAsync(
            (connection, transaction) => Scalar(connection, transaction, "SELECT current_user || ' ' || current_setting('search_path')"),
            None);

        Assert.Equal($"tenant_{tenantId} tenant_{tenantId}, pg_temp", session);
    }

    [Fact]
    public async Task APooledConnectionCarriesNoTenantStateToItsNextUser()
    {
        // One connection in the pool: the plain session below is the very connection the tenant used.
        var connectionString = new NpgsqlConnectionStringBuilder(fixture.Database.ConnectionString) { MaxPoolSize = 1 }.ConnectionString;
        await using var dataSource = PostgresStorageSetup.CreateDataSource(connectionString, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var tenantId = await NewChildAsync();
        var client = new PostgresTenantDatabase(tenantId, dataSource);

        // Session-level state that outlives the transaction: only the pool's reset clears it.
        var tenantBackend = await client.RunAsync(
            (connection, transaction) => Scalar(connection, transaction, "SELECT set_config('application_name', 'leaked', false) || ' ' || pg_backend_pid()"),
            None);
        await Assert.ThrowsAsync<PostgresException>(() => client.RunAsync(
            (connection, transaction) => Scalar(connection, transaction, "SELECT 1/0"),
            None));

        await using var next = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT current_user || ' ' || current_setting('search_path') || ' ' || current_setting('application_name') || ' ' || pg_backend_pid()",
            next);
        var nextSession = (string)(await command.ExecuteScalarAsync())!;

        Assert.Equal($"leaked {tenantBackend.Split(' ')[1]}", tenantBackend);
        var appRole = new NpgsqlConnectionStringBuilder(connectionString).Username;
        Assert.Equal($"{appRole} \"$user\", public SaasOnboarding {tenantBackend.Split(' ')[1]}", nextSession);
    }

    [Fact]
    public async Task AChildIsOwnedByItsRoleAndDeletingItDropsSchemaAndRole()
    {
        var tenantId = await NewChildAsync();

        Assert.Equal(
            $"tenant_{tenantId} customer_order,order_line,product,schema_version",
            await PlainScalarAsync(
                "SELECT (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = @name) || ' ' || " +
                "(SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = @name AND tableowner = @name)",
                "tenant_" + tenantId));

        await fixture.Databases.DeleteAsync(tenantId, None);

        Assert.Equal(
            "0 0",
            await PlainScalarAsync(
                "SELECT (SELECT count(*) FROM pg_namespace WHERE nspname = @name) || ' ' || (SELECT count(*) FROM pg_roles WHERE rolname = @name)",
                "tenant_" + tenantId));
    }

    [Fact]
    public async Task AChildThatFailsHalfwayLeavesNeitherRoleNorSchema()
    {
        // A schema already in the way makes creation fail after its role was made.
        var tenantId = TenantIds.New();
        await PlainScalarAsync($"CREATE SCHEMA tenant_{tenantId}; SELECT @name", "unused");

        await Assert.ThrowsAnyAsync<Exception>(() => fixture.Databases.CreateAsync(tenantId, None));

        Assert.Equal("0", await PlainScalarAsync("SELECT count(*)::text FROM pg_roles WHERE rolname = @name", "tenant_" + tenantId));
        await PlainScalarAsync($"DROP SCHEMA tenant_{tenantId}; SELECT @name", "unused");
        Assert.Equal("0", await PlainScalarAsync("SELECT count(*)::text FROM pg_namespace WHERE nspname = @name", "tenant_" + tenantId));
    }

    [Fact]
    public async Task AClientForADeletedChildFailsClearly()
    {
        var tenantId = await NewChildAsync();
        await fixture.Databases.DeleteAsync(tenantId, None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.Databases.Open(tenantId).ListProductsAsync(10, null, None));

        Assert.Contains(tenantId, error.Message, StringComparison.Ordinal);
    }

    private async Task AssertAppRoleIsNotSuperuserAsync()
    {
        var superuser = await PlainScalarAsync("SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user AND @name = @name", "x");
        Assert.True(superuser == "false", "SAAS_TEST_POSTGRES must name a role that is not a superuser: a superuser bypasses every permission check.");
    }

    private async Task<string> NewChildAsync()
    {
        var tenantId = TenantIds.New();
        await fixture.Databases.CreateAsync(tenantId, None);
        return tenantId;
    }

    private PostgresTenantDatabase OpenPostgres(string tenantId) => (PostgresTenantDatabase)fixture.Databases.Open(tenantId);

    private static async Task<string> Scalar(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    /// <summary>A statement as the app role itself, outside any tenant scope.</summary>
    private async Task<string> PlainScalarAsync(string sql, string name)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("name", name);
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
