using Npgsql;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Postgres;

namespace SaasOnboarding.Stores.Tests.Postgres;

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
        var batchedRead = await Assert.ThrowsAsync<PostgresException>(() => ReadScalarAsync(clientA, $"SELECT count(*) FROM tenant_{tenantB}.product"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, read.SqlState);
        Assert.Contains($"permission denied for schema tenant_{tenantB}", read.MessageText, StringComparison.Ordinal);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, write.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, batchedRead.SqlState);
        Assert.Equal("0", await ReadScalarAsync(clientA, "SELECT count(*) FROM product"));
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

        const string Session = "SELECT current_user || ' ' || current_setting('search_path')";

        var write = await OpenPostgres(tenantId).RunAsync((connection, transaction) => Scalar(connection, transaction, Session), None);
        var read = await ReadScalarAsync(OpenPostgres(tenantId), Session);

        Assert.Equal($"tenant_{tenantId} \"tenant_{tenantId}\", pg_temp", write);
        Assert.Equal(write, read);
    }

    [Fact]
    public async Task APooledConnectionCarriesNoTenantStateToItsNextUser()
    {
        // One connection in the pool: every use below is the very connection (the same backend) the one before had.
        var connectionString = new NpgsqlConnectionStringBuilder(fixture.Database.ConnectionString) { MaxPoolSize = 1 }.ConnectionString;
        await using var dataSource = PostgresStorageSetup.CreateDataSource(connectionString, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var databases = new PostgresTenantDatabases(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresTenantDatabases>.Instance);
        var tenantA = (PostgresTenantDatabase)databases.Open(await NewChildAsync());
        var tenantB = (PostgresTenantDatabase)databases.Open(await NewChildAsync());
        var productA = (await tenantA.CreateProductAsync(new ProductDraft("Only A's", null, "A-1", 1m, 5, 0), None)).Product!;
        var productB = (await tenantB.CreateProductAsync(new ProductDraft("Only B's", null, "B-1", 2m, 3, 0), None)).Product!;
        var backend = await PlainSessionAsync(dataSource);

        // Tenant A's reads, often enough that Npgsql prepares their statements on this connection, and a read and a
        // write that fail halfway.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal([productA], (await tenantA.ListProductsAsync(10, null, None)).Items);
            Assert.Equal(productA, await tenantA.GetProductAsync(productA.Id, None));
        }

        await Assert.ThrowsAsync<PostgresException>(() => ReadScalarAsync(tenantA, "SELECT 1/0"));
        var afterRead = await PlainSessionAsync(dataSource);
        await Assert.ThrowsAsync<PostgresException>(() => tenantA.RunAsync((connection, transaction) => Scalar(connection, transaction, "SELECT 1/0"), None));
        var afterWrite = await PlainSessionAsync(dataSource);

        // Tenant B through the statements prepared while A's schema was on the path: PostgreSQL resolves them again
        // against B's path and checks B's role, so B sees its own schema only.
        var listedByB = await tenantB.ListProductsAsync(10, null, None);
        var readByB = await tenantB.GetProductAsync(productA.Id, None);
        var afterB = await PlainSessionAsync(dataSource);

        var plain = (new NpgsqlConnectionStringBuilder(connectionString).Username, "\"$user\", public", backend.Backend);
        Assert.Equal(plain, (backend.Role, backend.Path, backend.Backend));
        Assert.Equal(plain, (afterRead.Role, afterRead.Path, afterRead.Backend));
        Assert.Equal(plain, (afterWrite.Role, afterWrite.Path, afterWrite.Backend));
        Assert.Equal([productB], listedByB.Items);
        Assert.Null(readByB);
        Assert.Equal(plain, (afterB.Role, afterB.Path, afterB.Backend));
        Assert.True(afterB.Prepared > 0, "The pool kept no prepared statement: the reads above did not go through prepared statements.");
    }

    [Fact]
    public async Task AReadsScopeAndStatementAreOneImplicitTransaction()
    {
        var tenantId = await NewChildAsync();
        var client = OpenPostgres(tenantId);

        // now() is the start of the transaction; statement_timestamp() that of the statement.
        var read = await ReadScalarAsync(client, "SELECT (now() < statement_timestamp())::text || ' ' || current_user");

        Assert.Equal($"true {TenantIds.DatabaseName(tenantId)}", read);
    }

    [Fact]
    public async Task AChildIsOwnedByItsRoleAndDeletingItDropsSchemaAndRole()
    {
        var tenantId = await NewChildAsync();

        Assert.Equal(
            $"tenant_{tenantId} audit_entry,customer_order,order_line,product,schema_version",
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

    [Fact]
    public async Task AClientWhoseChildWasDroppedElsewhereAfterItsCheckFailsClearly()
    {
        // Another instance deletes the child after this process checked its schema: the check is not made again,
        // and the role the scope names is gone.
        var tenantId = await NewChildAsync();
        var client = fixture.Databases.Open(tenantId);
        Assert.Empty((await client.ListProductsAsync(5, null, None)).Items);
        var name = TenantIds.DatabaseName(tenantId);
        await PlainScalarAsync($"DROP SCHEMA {name} CASCADE; DROP OWNED BY {name}; DROP ROLE {name}; SELECT @name", "unused");

        var read = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetProductAsync("any", None));
        var write = await Assert.ThrowsAsync<InvalidOperationException>(() => client.DeleteProductAsync("any", null, None));

        Assert.Equal($"Tenant {tenantId} has no child database.", read.Message);
        Assert.Equal(read.Message, write.Message);
        Assert.IsType<PostgresException>(read.InnerException);
        Assert.IsType<PostgresException>(write.InnerException);
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

    /// <summary>The first column of the first row of <paramref name="sql"/>, read through the client's one-round-trip read path.</summary>
    private static Task<string> ReadScalarAsync(PostgresTenantDatabase client, string sql) => client.ReadAsync(
        sql,
        [],
        async reader =>
        {
            Assert.True(await reader.ReadAsync());
            return Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!;
        },
        None);

    /// <summary>
    /// The role, search path, backend and count of prepared statements of the next connection the pool hands out,
    /// used as the app role itself.
    /// </summary>
    private static async Task<(string Role, string Path, int Backend, long Prepared)> PlainSessionAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT current_user::text, current_setting('search_path'), pg_backend_pid(), (SELECT count(*) FROM pg_prepared_statements)",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3));
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
