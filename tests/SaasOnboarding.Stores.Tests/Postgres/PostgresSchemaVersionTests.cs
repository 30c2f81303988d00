using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Postgres;

namespace SaasOnboarding.Stores.Tests.Postgres;

/// <summary>
/// Schema versions in PostgreSQL: tenant schemas with the version-1 schema and no version recorded (no
/// case-blind SKU index) are upgraded before their first use and keep their data; upgrades are idempotent, finish
/// after a failure half-way, and the <c>migrate</c> command upgrades many tenants and reports them.
/// </summary>
public sealed class PostgresSchemaVersionTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly PostgresTestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    private static int Latest => PostgresTenantDatabases.Migrations.Latest;

    private PostgresTenantDatabases Databases() => new(_database.DataSource, NullLogger<PostgresTenantDatabases>.Instance);

    [Fact]
    public async Task AnOldTenantSchemaIsUpgradedBeforeItsFirstUseAndKeepsItsData()
    {
        var tenantId = await OldTenantAsync();
        Assert.False(await HasFoldedIndexAsync(tenantId));

        var database = Databases().Open(tenantId);
        var products = await database.ListProductsAsync(10, null, None);

        Assert.Equal(["PEN-1", "ink-1"], products.Items.Select(product => product.Sku));
        Assert.Equal(3, Assert.Single((await database.GetOrderAsync("o1", None))!.OrderProducts).Quantity);
        Assert.Equal(PostgresTenantDatabases.Migrations.Latest, await VersionAsync(TenantIds.DatabaseName(tenantId)));
        Assert.True(await HasFoldedIndexAsync(tenantId));
    }

    [Fact]
    public async Task AnOldTenantSchemaIsUpgradedBeforeAWriteThatIsItsFirstUse()
    {
        var tenantId = await OldTenantAsync();

        var write = await Databases().Open(tenantId).CreateProductAsync(new ProductDraft("Pencil", null, "PENCIL-1", 1m, 1, 0), None);

        Assert.Equal(WriteOutcome.Done, write.Outcome);
        Assert.Equal(PostgresTenantDatabases.Migrations.Latest, await VersionAsync(TenantIds.DatabaseName(tenantId)));
        Assert.True(await HasFoldedIndexAsync(tenantId));
    }

    [Fact]
    public async Task ATenantSchemaAtTheVersionBeforeTheAuditLogGetsItBeforeItsFirstUseAndRecordsItsChangesThere()
    {
        var tenantId = await OldTenantAsync();
        var name = TenantIds.DatabaseName(tenantId);
        var beforeAuditLog = SchemaMigrations.Of(PostgresTenantDatabases.Migrations.Folder, [.. PostgresTenantDatabases.Migrations.All.Take(2)]);
        await PostgresMigrator.UpgradeAsync(_database.DataSource, beforeAuditLog, name, name, PostgresTenantDatabases.SentinelTable, None);
        Assert.Equal(2, await VersionAsync(name));
        var entry = new AuditEntry(Guid.CreateVersion7().ToString(), StoredTime.Truncate(DateTimeOffset.UtcNow), "upgrader", "Tenant", tenantId, "POST /product", null, AuditOutcomes.Succeeded, null, null, null);
        var database = Databases().Open(tenantId, () => entry);

        var write = await database.CreateProductAsync(new ProductDraft("Pencil", null, "PENCIL-1", 1m, 1, 0), None);

        Assert.Equal(PostgresTenantDatabases.Migrations.Latest, await VersionAsync(name));
        Assert.Equal([entry with { Target = write.Product!.Id }], await database.ListAuditAsync(new AuditQuery(), 10, None));
        Assert.Equal(["PEN-1", "ink-1", "PENCIL-1"], (await database.ListProductsAsync(10, null, None)).Items.Select(product => product.Sku));
    }

    [Fact]
    public async Task UpgradingTwiceChangesNothing()
    {
        var tenantId = await OldTenantAsync();
        var databases = Databases();

        Assert.Equal(new SchemaUpgrade(1, Latest), await databases.UpgradeAsync(tenantId, None));
        Assert.Equal(new SchemaUpgrade(Latest, Latest), await databases.UpgradeAsync(tenantId, None));
        Assert.Equal(Latest, await VersionAsync(TenantIds.DatabaseName(tenantId)));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM {TenantIds.DatabaseName(tenantId)}.schema_version"));
        Assert.Equal(2L, await ScalarAsync($"SELECT count(*) FROM {TenantIds.DatabaseName(tenantId)}.product"));
    }

    [Fact]
    public async Task AnUpgradeThatFailedAfterItsFirstStepIsFinishedAtTheNextStart()
    {
        var tenantId = await OldTenantAsync();
        var name = TenantIds.DatabaseName(tenantId);
        var real = PostgresTenantDatabases.Migrations.All;
        var failing = SchemaMigrations.Of("test/", real[0], real[1] with { Text = real[1].Text + "\nINSERT INTO no_such_table VALUES (1);" });

        await Assert.ThrowsAsync<SchemaMigrationException>(() => PostgresMigrator.UpgradeAsync(_database.DataSource, failing, name, name, "product", None));

        Assert.Equal(1, await VersionAsync(name));
        Assert.False(await HasFoldedIndexAsync(tenantId));

        // The next start: the tenant's first use finishes it.
        Assert.Equal(2, (await Databases().Open(tenantId).ListProductsAsync(10, null, None)).Items.Count);
        Assert.Equal(Latest, await VersionAsync(name));
        Assert.True(await HasFoldedIndexAsync(tenantId));
    }

    [Fact]
    public async Task OldSkusThatDifferOnlyInCaseStopTheUpgradeAndTheTenantIsNotServedFromTheOldSchema()
    {
        var tenantId = await OldTenantAsync();
        var name = TenantIds.DatabaseName(tenantId);
        await ScalarAsync($"INSERT INTO {name}.product VALUES ('p3', 'Pen', NULL, 'pen-1', 1, 1, 0, now(), now()) RETURNING 1");

        var failure = await Assert.ThrowsAsync<SchemaMigrationException>(() => Databases().Open(tenantId).ListProductsAsync(10, null, None));

        Assert.Contains($"0002_sku_unique_ignoring_case of schema {name}", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, await VersionAsync(name));
    }

    [Fact]
    public async Task NewTenantSchemasAreMadeAtTheLatestVersion()
    {
        var tenantId = TenantIds.New();
        await Databases().CreateAsync(tenantId, None);

        Assert.Equal(PostgresTenantDatabases.Migrations.Latest, await VersionAsync(TenantIds.DatabaseName(tenantId)));
        Assert.True(await HasFoldedIndexAsync(tenantId));
    }

    [Fact]
    public async Task AnOldCatalogIsRecordedAtVersionOneThenUpgradedAndANewOneIsMadeAtTheLatest()
    {
        await ScalarAsync(OldSchemas.PostgresCatalog + "SELECT 1");
        var catalog = new PostgresTenantCatalog(_database.DataSource);
        var latest = PostgresTenantCatalog.Migrations.Latest;

        Assert.Equal(new SchemaUpgrade(1, latest), await catalog.InitializeAsync(None));
        Assert.Equal(latest, await VersionAsync("catalog"));
        Assert.Equal(new SchemaUpgrade(latest, latest), await catalog.InitializeAsync(None));

        // The status check of version 1 gave way to one that admits the offboarding statuses.
        await ScalarAsync("INSERT INTO catalog.tenant VALUES ('t9', 'Nine', 'nine', 'n@x.test', NULL, NULL, 'Basic', 'Purged', now(), now()); SELECT 1");

        await ScalarAsync("DROP SCHEMA catalog CASCADE; SELECT 1");
        Assert.Equal(new SchemaUpgrade(0, PostgresTenantCatalog.Migrations.Latest), await catalog.InitializeAsync(None));
    }

    [Fact]
    public async Task MigrateUpgradesEveryTenantSchemaAndReportsThem()
    {
        const int Tenants = 1000;
        var catalog = new PostgresTenantCatalog(_database.DataSource);
        await catalog.InitializeAsync(None);
        var tenantIds = await OldTenantsAsync(Tenants);

        var services = new ServiceCollection()
            .AddSingleton<ITenantCatalog>(catalog)
            .AddSingleton<ITenantDatabases>(Databases())
            .BuildServiceProvider();
        using var output = new StringWriter();

        Assert.Equal(0, await MigrateCommand.RunAsync(services, output, None));
        Assert.Contains($"tenant databases: {Tenants} checked", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"{Tenants} upgraded, 0 already at the latest version, 0 without a child database, 0 failed", output.ToString(), StringComparison.Ordinal);
        var versions = string.Join(" UNION ALL ", tenantIds.Select(tenantId => $"SELECT version FROM {TenantIds.DatabaseName(tenantId)}.schema_version"));
        Assert.Equal((long)Tenants, await ScalarAsync($"SELECT count(*) FROM ({versions}) AS v WHERE version = {Latest}"));

        using var again = new StringWriter();
        Assert.Equal(0, await MigrateCommand.RunAsync(services, again, None));
        Assert.Contains($"0 upgraded, {Tenants} already at the latest version", again.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// <paramref name="count"/> active tenants in the catalog, each with a version-1 schema, made in bulk SQL: a
    /// hundred schemas a transaction, and every catalog row in one statement.
    /// </summary>
    private async Task<List<string>> OldTenantsAsync(int count)
    {
        var tenantIds = Enumerable.Range(0, count).Select(_ => TenantIds.New()).ToList();
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        foreach (var batch in tenantIds.Chunk(100))
        {
            await using var transaction = await connection.BeginTransactionAsync();
            // RESET ROLE between schemas: each script ends acting as its tenant's role, which may not create the next.
            var script = string.Concat(batch.Select(tenantId => OldSchemas.PostgresTenant(TenantIds.DatabaseName(tenantId)) + "\nRESET ROLE;\n"));
#pragma warning disable CA2100 // Test statements, written in the tests.
            await using (var command = new NpgsqlCommand(script, connection, transaction))
#pragma warning restore CA2100
            {
                await command.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO catalog.tenant (id, tenant_name, name_key, tenant_email, tenant_tier, status, created_at, updated_at)
            SELECT id, name, key, 'a@t.test', 'Basic', 'Active', now(), now() FROM unnest(@ids, @names, @keys) AS t(id, name, key)
            """,
            connection);
        var names = tenantIds.Select(tenantId => $"T {tenantId}").ToArray();
        insert.Parameters.AddWithValue("ids", tenantIds.ToArray());
        insert.Parameters.AddWithValue("names", names);
        insert.Parameters.AddWithValue("keys", names.Select(TenantNames.Normalize).ToArray());
        Assert.Equal(count, await insert.ExecuteNonQueryAsync());
        return tenantIds;
    }

    /// <summary>A version-1 tenant schema with no version recorded, with two products and an order.</summary>
    private async Task<string> OldTenantAsync()
    {
        var tenantId = TenantIds.New();
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand(OldSchemas.PostgresTenant(TenantIds.DatabaseName(tenantId)), connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return tenantId;
    }

    private async Task<int> VersionAsync(string schema) => (int)(await ScalarAsync($"SELECT version FROM {schema}.schema_version"))!;

    private async Task<bool> HasFoldedIndexAsync(string tenantId) =>
        (long)(await ScalarAsync($"SELECT count(*) FROM pg_indexes WHERE schemaname = '{TenantIds.DatabaseName(tenantId)}' AND indexname = 'product_sku_folded'"))! == 1;

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
#pragma warning disable CA2100 // Test statements, written in the tests.
        await using var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        return await command.ExecuteScalarAsync();
    }
}
