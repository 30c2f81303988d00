using Npgsql;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Postgres;

namespace SaasOnboarding.Stores.Tests.Postgres;

/// <summary>
/// A PostgreSQL tenant client given an access check with an expected revision reads the tenant's access revision
/// from the catalog in its own round trip, hands any other revision to the check before what it read leaves or
/// before its work, and checks nothing without an expectation.
/// </summary>
public sealed class PostgresAccessRevisionTests(PostgresStorageFixture fixture) : IClassFixture<PostgresStorageFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly long[] SecondAndThird = [2, 3];
    private static readonly long[] FirstFourTimes = [1, 1, 1, 1];

    [Fact]
    public async Task AnotherRevisionIsHandedToTheCheckOnceAndTheReadStandsWhenItConfirms()
    {
        var tenantId = await NewChildAsync();
        await fixture.Catalog.BumpAccessRevisionAsync(tenantId, None);
        var check = new RecordingCheck(expected: 1);
        var database = fixture.Databases.Open(tenantId, null, check);

        await database.CreateProductAsync(Draft("A-1"), None);
        Assert.Single((await database.ListProductsAsync(10, null, None)).Items);
        Assert.Empty(check.Seen);

        await fixture.Catalog.BumpAccessRevisionAsync(tenantId, None);
        var listed = await database.ListProductsAsync(10, null, None);
        await database.ListOrdersAsync(10, null, None);
        await fixture.Catalog.BumpAccessRevisionAsync(tenantId, None);
        await database.ListOrdersAsync(10, null, None);

        Assert.Single(listed.Items);
        Assert.Equal(SecondAndThird, check.Seen);
        Assert.Equal(3L, check.Expected);
    }

    [Fact]
    public async Task ARefusedRevisionLetsNothingReadLeaveAndWritesNothing()
    {
        var tenantId = await NewChildAsync();
        var product = (await fixture.Databases.Open(tenantId).CreateProductAsync(Draft("B-1"), None)).Product!;
        var check = new RecordingCheck(expected: 0) { Refuses = true };
        var database = fixture.Databases.Open(tenantId, null, check);
        await fixture.Catalog.BumpAccessRevisionAsync(tenantId, None);

        await Assert.ThrowsAsync<RefusedException>(() => database.GetProductAsync(product.Id, None));
        await Assert.ThrowsAsync<RefusedException>(() => database.GetOrderAsync("none", None));
        await Assert.ThrowsAsync<RefusedException>(() => database.CreateProductAsync(Draft("B-2"), None));
        await Assert.ThrowsAsync<RefusedException>(() => database.DeleteProductAsync(product.Id, null, None));

        Assert.Equal(FirstFourTimes, check.Seen);
        Assert.Equal(new[] { product }, (await fixture.Databases.Open(tenantId).ListProductsAsync(10, null, None)).Items);
    }

    [Fact]
    public async Task WithoutAnExpectedRevisionNothingIsChecked()
    {
        var tenantId = await NewChildAsync();
        await fixture.Catalog.BumpAccessRevisionAsync(tenantId, None);
        var check = new RecordingCheck(expected: null) { Refuses = true };
        var database = fixture.Databases.Open(tenantId, null, check);

        await database.CreateProductAsync(Draft("C-1"), None);

        Assert.Single((await database.ListProductsAsync(10, null, None)).Items);
        Assert.Empty(check.Seen);
    }

    [Fact]
    public async Task TheStatementThatReadsTheRevisionLeavesTheTenantsScopeBehind()
    {
        // One statement reads the catalog as the app's role and then makes the tenant's role current: what the batch
        // runs next runs as the tenant, which may not read the catalog, and finds the tenant's own tables.
        var tenantId = await NewChildAsync();
        var database = (PostgresTenantDatabase)fixture.Databases.Open(tenantId, null, new RecordingCheck(expected: 0));

        var user = await database.ReadAsync("SELECT current_user::text, count(*) FROM product", [], async reader =>
        {
            Assert.True(await reader.ReadAsync());
            return reader.GetString(0);
        }, None);
        var catalog = await Assert.ThrowsAsync<PostgresException>(() => database.ReadAsync(
            "SELECT revision FROM catalog.access_revision", [], reader => reader.ReadAsync(None), None));

        Assert.Equal(TenantIds.DatabaseName(tenantId), user);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, catalog.SqlState);
    }

    [Fact]
    public async Task AClientExpectingARevisionWhoseChildWasDroppedElsewhereFailsClearly()
    {
        var tenantId = await NewChildAsync();
        var database = fixture.Databases.Open(tenantId, null, new RecordingCheck(expected: 0));
        Assert.Empty((await database.ListProductsAsync(5, null, None)).Items);
        var name = TenantIds.DatabaseName(tenantId);
        await using (var connection = await fixture.Database.DataSource.OpenConnectionAsync())
        await using (var drop = new NpgsqlCommand($"DROP SCHEMA {name} CASCADE; DROP OWNED BY {name}; DROP ROLE {name};", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }

        var read = await Assert.ThrowsAsync<InvalidOperationException>(() => database.GetProductAsync("any", None));
        var write = await Assert.ThrowsAsync<InvalidOperationException>(() => database.DeleteProductAsync("any", null, None));

        Assert.Equal($"Tenant {tenantId} has no child database.", read.Message);
        Assert.Equal(read.Message, write.Message);
    }

    private async Task<string> NewChildAsync()
    {
        var tenantId = TenantIds.New();
        await fixture.Databases.CreateAsync(tenantId, None);
        return tenantId;
    }

    private static ProductDraft Draft(string sku) => new("Widget", null, sku, 1m, 5, 0);

    private sealed class RecordingCheck(long? expected) : IAccessRevisionCheck
    {
        public List<long> Seen { get; } = [];

        public bool Refuses { get; init; }

        public long? Expected { get; private set; } = expected;

        public Task ConfirmAsync(long seen, CancellationToken cancellationToken)
        {
            Seen.Add(seen);
            if (Refuses)
            {
                throw new RefusedException();
            }

            Expected = seen;
            return Task.CompletedTask;
        }
    }

    private sealed class RefusedException : Exception;
}
