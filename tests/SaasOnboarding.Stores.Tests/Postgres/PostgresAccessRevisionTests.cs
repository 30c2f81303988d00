using SaasOnboarding.Api.Storage;

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
