using Microsoft.Data.Sqlite;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Stores.Tests.Embedded;

/// <summary>
/// The child databases' connection cache: kept connections and their prepared statements never serve stale rows,
/// stay bounded to the most recently used tenants, and let go of a deleted tenant's file at once.
/// The cache here keeps <see cref="MaxIdle"/> idle connections instead of the default 1,024.
/// </summary>
public sealed class SqliteChildConnectionsTests : IDisposable
{
    private const int MaxIdle = 8;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "saas-child-cache-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteTenantDatabases _databases;

    public SqliteChildConnectionsTests()
    {
        Directory.CreateDirectory(_directory);
        _databases = new SqliteTenantDatabases(_directory, MaxIdle);
    }

    public void Dispose()
    {
        _databases.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task AKeptConnectionReadsRowsWrittenThroughAnotherConnectionSince()
    {
        var tenant = await NewTenantAsync();
        var database = _databases.Open(tenant);
        await database.CreateProductAsync(Draft("FIRST"), CancellationToken.None);
        Assert.Single((await database.ListProductsAsync(10, null, CancellationToken.None)).Items);

        // Another writer (another instance, a migration): its row must show on the kept connection's next read.
        await using (var outside = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = PathOf(tenant), Pooling = false }.ToString()))
        {
            await outside.OpenAsync();
            await using var insert = outside.CreateCommand();
            insert.CommandText = """
                INSERT INTO product (id, name, description, sku, price_cents, quantity, backordered_limit, created_at, updated_at)
                VALUES ('outside', 'Outside', NULL, 'OUTSIDE', 100, 1, 0, '2999-01-01T00:00:00.000000Z', '2999-01-01T00:00:00.000000Z')
                """;
            await insert.ExecuteNonQueryAsync();
        }

        var skus = (await database.ListProductsAsync(10, null, CancellationToken.None)).Items.Select(product => product.Sku);
        Assert.Equal(["FIRST", "OUTSIDE"], skus);
    }

    [Fact]
    public async Task ARefusedWriteLeavesTheKeptConnectionFitForTheNextCall()
    {
        var database = _databases.Open(await NewTenantAsync());
        await database.CreateProductAsync(Draft("TAKEN"), CancellationToken.None);

        Assert.Equal(WriteOutcome.Conflict, (await database.CreateProductAsync(Draft("TAKEN"), CancellationToken.None)).Outcome);
        Assert.Equal(WriteOutcome.Done, (await database.CreateProductAsync(Draft("FREE"), CancellationToken.None)).Outcome);
        Assert.Equal(2, (await database.ListProductsAsync(10, null, CancellationToken.None)).Items.Count);
    }

    [Fact]
    public async Task OnlyTheMostRecentlyUsedTenantsKeepTheirFilesOpen()
    {
        var tenants = new List<string>();
        for (var i = 0; i < MaxIdle + 5; i++)
        {
            var tenant = await NewTenantAsync();
            await _databases.Open(tenant).ListProductsAsync(1, null, CancellationToken.None);
            tenants.Add(tenant);
        }

        var open = OpenTenantFiles();
        Assert.Equal(MaxIdle, open.Count);
        Assert.Contains(PathOf(tenants[^1]), open);
        Assert.DoesNotContain(PathOf(tenants[0]), open);
    }

    [Fact]
    public async Task ATenantsSpareConnectionsLeaveBeforeAnotherTenantsOnlyOne()
    {
        var busy = PathOf(await NewTenantAsync());
        var others = new[] { PathOf(await NewTenantAsync()), PathOf(await NewTenantAsync()) };
        using var cache = new SqliteChildConnections(maxIdle: 3);

        // Two requests at once for the busy tenant: both connections are kept, the cache is not yet full.
        var first = await cache.RentAsync(busy, CancellationToken.None);
        var second = await cache.RentAsync(busy, CancellationToken.None);
        await first.DisposeAsync();
        await second.DisposeAsync();
        Assert.Equal(2, OpenConnections(busy));

        // Two other tenants: the second one goes over the bound, and the busy tenant's spare connection makes room.
        foreach (var other in others)
        {
            await (await cache.RentAsync(other, CancellationToken.None)).DisposeAsync();
        }

        Assert.Equal(1, OpenConnections(busy));
        Assert.All(others, other => Assert.Equal(1, OpenConnections(other)));
    }

    /// <summary>
    /// Idle connections are configured small (docs/performance.md): SQLite's lookaside buffer is 20 slots of 256
    /// bytes here, at most 40 once split into small slots.
    /// </summary>
    [Fact]
    public async Task IdleConnectionsAreConfiguredSmall()
    {
        Assert.True(Sqlite.SmallConnections);
        var tenant = PathOf(await NewTenantAsync());
        using var cache = new SqliteChildConnections(maxIdle: 1);
        await using (var connection = await cache.RentAsync(tenant, CancellationToken.None))
        {
            await using var listing = connection.Command("SELECT id, name, sku FROM product ORDER BY created_at, id");
            await using var reader = await listing.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }
        }

        await using var kept = await cache.RentAsync(tenant, CancellationToken.None);
        Assert.Equal(0, SQLitePCL.raw.sqlite3_db_status(kept.Handle, SQLitePCL.raw.SQLITE_DBSTATUS_LOOKASIDE_USED, out _, out var highest, 0));
        Assert.InRange(highest, 1, 40);
    }

    [Fact]
    public async Task DeletingATenantClosesItsKeptConnectionsAtOnce()
    {
        var tenant = await NewTenantAsync();
        await _databases.Open(tenant).ListProductsAsync(1, null, CancellationToken.None);
        Assert.Contains(PathOf(tenant), OpenTenantFiles());

        await _databases.DeleteAsync(tenant, CancellationToken.None);

        Assert.DoesNotContain(PathOf(tenant), OpenTenantFiles());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _databases.Open(tenant).ListProductsAsync(1, null, CancellationToken.None));
        Assert.Equal($"Tenant {tenant} has no child database.", error.Message);
    }

    private async Task<string> NewTenantAsync()
    {
        var tenant = Guid.NewGuid().ToString("N");
        await _databases.CreateAsync(tenant, CancellationToken.None);
        return tenant;
    }

    private string PathOf(string tenant) => Path.Combine(_directory, TenantIds.DatabaseName(tenant) + ".db");

    /// <summary>The tenant files of this test's directory that this process holds open (deleted ones included).</summary>
    private HashSet<string> OpenTenantFiles() =>
        Directory.EnumerateFiles("/proc/self/fd")
            .Select(fd => new FileInfo(fd).LinkTarget)
            .OfType<string>()
            .Select(target => target.Replace(" (deleted)", string.Empty, StringComparison.Ordinal))
            .Where(target => target.StartsWith(_directory, StringComparison.Ordinal) && target.EndsWith(".db", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>How many connections this process holds to the file (one descriptor each for the file itself).</summary>
    private static int OpenConnections(string path) =>
        Directory.EnumerateFiles("/proc/self/fd").Count(fd => new FileInfo(fd).LinkTarget == path);

    private static ProductDraft Draft(string sku) => new("Pen", null, sku, 1.50m, 5, 0);
}
