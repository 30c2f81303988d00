using Microsoft.Data.Sqlite;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Stores.Tests.Embedded;

/// <summary>
/// Schema versions of the embedded store: tenant files with the version-1 schema (no version
/// recorded, no case-blind SKU index) are upgraded at first use and keep their data; upgrades are idempotent and
/// finish after a failure half-way.
/// </summary>
public sealed class SqliteSchemaVersionTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "saas-schema-" + Guid.NewGuid().ToString("N"));

    public SqliteSchemaVersionTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static int Latest => SqliteTenantDatabases.Migrations.Latest;

    [Fact]
    public async Task AnOldTenantFileIsUpgradedAtFirstUseAndKeepsItsData()
    {
        var tenantId = TenantIds.New();
        var path = await OldTenantFileAsync(tenantId);
        Assert.Equal(0, await SqliteFiles.UserVersionAsync(path));
        Assert.False(await SqliteFiles.HasIndexAsync(path, "product_sku_folded"));

        using var databases = new SqliteTenantDatabases(_directory);
        var database = databases.Open(tenantId);
        var products = await database.ListProductsAsync(10, null, None);

        Assert.Equal(["PEN-1", "ink-1"], products.Items.Select(product => product.Sku));
        Assert.Equal(1.50m, products.Items[0].Price);
        var order = await database.GetOrderAsync("o1", None);
        Assert.Equal(3, Assert.Single(order!.OrderProducts).Quantity);
        Assert.Equal(SqliteTenantDatabases.Migrations.Latest, await SqliteFiles.UserVersionAsync(path));
        Assert.True(await SqliteFiles.HasIndexAsync(path, "product_sku_folded"));

        // The index itself refuses a case variant, whatever the write checks first.
        var duplicate = await Assert.ThrowsAsync<SqliteException>(() => SqliteFiles.ExecuteAsync(path,
            "INSERT INTO product VALUES ('p3', 'Pen', NULL, 'pen-1', 1, 1, 0, '2026-01-04T00:00:00.000000Z', '2026-01-04T00:00:00.000000Z')"));
        Assert.Equal(19, duplicate.SqliteErrorCode);
    }

    [Fact]
    public async Task ATenantFileAtTheVersionBeforeTheAuditLogGetsItAtFirstUseAndRecordsItsChangesThere()
    {
        var tenantId = TenantIds.New();
        var path = await OldTenantFileAsync(tenantId);
        var beforeAuditLog = SchemaMigrations.Of(SqliteTenantDatabases.Migrations.Folder, [.. SqliteTenantDatabases.Migrations.All.Take(2)]);
        await using (var connection = await Sqlite.OpenAsync(Sqlite.ConnectionString(path, pooling: false, create: false), None))
        {
            await SqliteMigrator.UpgradeAsync(connection, beforeAuditLog, SqliteTenantDatabases.SentinelTable, "old", None);
        }

        Assert.Equal(2, await SqliteFiles.UserVersionAsync(path));
        using var databases = new SqliteTenantDatabases(_directory);
        var entry = new AuditEntry(Guid.CreateVersion7().ToString(), StoredTime.Truncate(DateTimeOffset.UtcNow), "upgrader", "Tenant", tenantId, "POST /product", null, AuditOutcomes.Succeeded, null, null, null);
        var database = databases.Open(tenantId, () => entry);

        var write = await database.CreateProductAsync(new ProductDraft("Pencil", null, "PENCIL-1", 1m, 1, 0), None);

        Assert.Equal(SqliteTenantDatabases.Migrations.Latest, await SqliteFiles.UserVersionAsync(path));
        Assert.Equal([entry with { Target = write.Product!.Id }], await database.ListAuditAsync(new AuditQuery(), 10, None));
        Assert.Equal(["PEN-1", "ink-1", "PENCIL-1"], (await database.ListProductsAsync(10, null, None)).Items.Select(product => product.Sku));
    }

    [Fact]
    public async Task UpgradingTwiceChangesNothing()
    {
        var tenantId = TenantIds.New();
        var path = await OldTenantFileAsync(tenantId);
        using var databases = new SqliteTenantDatabases(_directory);

        var first = await databases.UpgradeAsync(tenantId, None);
        var schema = await SqliteFiles.SchemaAsync(path);
        var second = await databases.UpgradeAsync(tenantId, None);

        Assert.Equal(new SchemaUpgrade(1, Latest), first);
        Assert.Equal(new SchemaUpgrade(Latest, Latest), second);
        Assert.Equal(schema, await SqliteFiles.SchemaAsync(path));
        Assert.Equal(2L, await SqliteFiles.ScalarAsync(path, "SELECT count(*) FROM product"));
    }

    [Fact]
    public async Task AnUpgradeThatFailedAfterItsFirstStepIsFinishedAtTheNextStart()
    {
        // A start whose second migration fails: the first is kept with its version, the second rolled back.
        var tenantId = TenantIds.New();
        var path = Path.Combine(_directory, $"tenant_{tenantId}.db");
        var real = SqliteTenantDatabases.Migrations.All;
        var failing = SchemaMigrations.Of(
            "test/",
            real[0],
            real[1] with { Text = real[1].Text + "\nINSERT INTO no_such_table VALUES (1);" });
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            await connection.OpenAsync();
            await Assert.ThrowsAsync<SchemaMigrationException>(() => SqliteMigrator.UpgradeAsync(connection, failing, "product", "test", None));
        }

        Assert.Equal(1, await SqliteFiles.UserVersionAsync(path));
        Assert.False(await SqliteFiles.HasIndexAsync(path, "product_sku_folded"));

        // The next start: the tenant's first use finishes the upgrade.
        using var databases = new SqliteTenantDatabases(_directory);
        Assert.Empty((await databases.Open(tenantId).ListProductsAsync(10, null, None)).Items);
        Assert.Equal(Latest, await SqliteFiles.UserVersionAsync(path));
        Assert.True(await SqliteFiles.HasIndexAsync(path, "product_sku_folded"));
    }

    [Fact]
    public async Task AFileWhoseVersionWasLeftBehindItsSchemaIsBroughtUpToDate()
    {
        // The index is there but the version says 1 (a file restored from a copy, a hand fix): the step still applies.
        var tenantId = TenantIds.New();
        var path = await OldTenantFileAsync(tenantId);
        await SqliteFiles.ExecuteAsync(path, "CREATE UNIQUE INDEX product_sku_folded ON product (lower(sku)); PRAGMA user_version = 1;");

        using var databases = new SqliteTenantDatabases(_directory);

        Assert.Equal(new SchemaUpgrade(1, Latest), await databases.UpgradeAsync(tenantId, None));
        Assert.Equal(Latest, await SqliteFiles.UserVersionAsync(path));
    }

    [Fact]
    public async Task NewTenantFilesAreMadeAtTheLatestVersion()
    {
        var tenantId = TenantIds.New();
        using var databases = new SqliteTenantDatabases(_directory);

        await databases.CreateAsync(tenantId, None);

        var path = Path.Combine(_directory, $"tenant_{tenantId}.db");
        Assert.Equal(SqliteTenantDatabases.Migrations.Latest, await SqliteFiles.UserVersionAsync(path));
        Assert.True(await SqliteFiles.HasIndexAsync(path, "product_sku_folded"));
        Assert.Equal(new SchemaUpgrade(Latest, Latest), await databases.UpgradeAsync(tenantId, None));
    }

    [Fact]
    public async Task OldSkusThatDifferOnlyInCaseStopTheUpgradeAndTheTenantIsNotServedFromTheOldSchema()
    {
        var tenantId = TenantIds.New();
        var path = await OldTenantFileAsync(tenantId);
        await SqliteFiles.ExecuteAsync(path,
            "INSERT INTO product VALUES ('p3', 'Pen', NULL, 'pen-1', 1, 1, 0, '2026-01-04T00:00:00.000000Z', '2026-01-04T00:00:00.000000Z')");
        using var databases = new SqliteTenantDatabases(_directory);

        var failure = await Assert.ThrowsAsync<SchemaMigrationException>(() => databases.Open(tenantId).ListProductsAsync(10, null, None));

        Assert.Contains("0002_sku_unique_ignoring_case", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"tenant_{tenantId}.db", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, await SqliteFiles.UserVersionAsync(path));
        Assert.Equal(3L, await SqliteFiles.ScalarAsync(path, "SELECT count(*) FROM product"));
    }

    [Fact]
    public async Task AFileMadeByANewerAppIsRefused()
    {
        var tenantId = TenantIds.New();
        var path = await OldTenantFileAsync(tenantId);
        await SqliteFiles.ExecuteAsync(path, "PRAGMA user_version = 99");
        using var databases = new SqliteTenantDatabases(_directory);

        await Assert.ThrowsAsync<SchemaMigrationException>(() => databases.Open(tenantId).ListProductsAsync(10, null, None));
    }

    [Fact]
    public async Task AnOldCatalogIsRecordedAtVersionOneThenUpgradedAndKeepsItsTenants()
    {
        var path = Path.Combine(_directory, "catalog.db");
        await SqliteFiles.CreateAsync(path, OldSchemas.SqliteCatalog + """
            INSERT INTO tenant VALUES ('t1', 'Acme', 'acme', 'a@acme.test', NULL, NULL, 'Basic', 'Active', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z');
            """);
        var catalog = new SqliteTenantCatalog(_directory);

        Assert.Equal(new SchemaUpgrade(1, SqliteTenantCatalog.Migrations.Latest), await catalog.InitializeAsync(None));
        Assert.Equal(SqliteTenantCatalog.Migrations.Latest, await SqliteFiles.UserVersionAsync(path));
        var tenant = (await catalog.GetTenantAsync("t1", None))!;
        Assert.Equal(("Acme", TenantStatus.Active, (TenantOffboarding?)null), (tenant.TenantName, tenant.Status, tenant.Offboarding));
        Assert.Equal(
            new SchemaUpgrade(SqliteTenantCatalog.Migrations.Latest, SqliteTenantCatalog.Migrations.Latest), await catalog.InitializeAsync(None));
    }

    [Fact]
    public async Task ANewCatalogIsMadeAtTheLatestVersion()
    {
        var catalog = new SqliteTenantCatalog(_directory);

        Assert.Equal(new SchemaUpgrade(0, SqliteTenantCatalog.Migrations.Latest), await catalog.InitializeAsync(None));
        Assert.Equal(SqliteTenantCatalog.Migrations.Latest, await SqliteFiles.UserVersionAsync(Path.Combine(_directory, "catalog.db")));
    }

    internal static async Task<string> OldTenantFileAsync(string directory, string tenantId)
    {
        var path = Path.Combine(directory, $"tenant_{tenantId}.db");
        await SqliteFiles.CreateAsync(path, OldSchemas.SqliteTenant + OldSchemas.SqliteTenantData);
        return path;
    }

    private Task<string> OldTenantFileAsync(string tenantId) => OldTenantFileAsync(_directory, tenantId);
}
