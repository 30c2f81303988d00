using Microsoft.Data.Sqlite;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Stores.Tests;

/// <summary>The conformance suite on SQLite files, plus what is particular to files.</summary>
public sealed class EmbeddedStorageConformanceTests(EmbeddedStorageFixture fixture)
    : StorageConformanceTests(fixture), IClassFixture<EmbeddedStorageFixture>
{
    protected override bool KeepsAccessRevisions => false;

    [Fact]
    public async Task ATenantsRowsAreWrittenToItsOwnFileOnly()
    {
        var tenantA = await NewChildAsync();
        var tenantB = await NewChildAsync();
        await CreateProductAsync(tenantA, Draft("FILE-A"));

        Assert.Equal(1, await SqliteFiles.CountRowsAsync(Path.Combine(fixture.Directory, $"tenant_{tenantA}.db"), "product", "FILE-A"));
        Assert.Equal(0, await SqliteFiles.CountRowsAsync(Path.Combine(fixture.Directory, $"tenant_{tenantB}.db"), "product", "FILE-A"));
    }

    [Fact]
    public async Task ATenantWhoseFileWasRemovedGetsAnErrorNotAFreshEmptyFile()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        await Databases.DeleteAsync(tenantId, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => database.ListProductsAsync(5, null, CancellationToken.None));
        Assert.False(File.Exists(FileOf(tenantId)));
    }

    [Fact]
    public async Task AFileMadeBeforeTheFoldedSkuIndexStillRefusesSkusThatDifferOnlyInCase()
    {
        var tenantId = await NewChildAsync();
        await SqliteFiles.ExecuteAsync(FileOf(tenantId), "DROP INDEX product_sku_folded");
        var database = Databases.Open(tenantId);
        var first = await CreateProductAsync(tenantId, Draft("OLD-1"));
        var other = await CreateProductAsync(tenantId, Draft("OTHER-1"));

        Assert.Equal(WriteOutcome.Conflict, (await database.CreateProductAsync(Draft("old-1"), CancellationToken.None)).Outcome);
        Assert.Equal(WriteOutcome.Conflict, (await database.UpdateProductAsync(other.Id, Draft("Old-1"), null, CancellationToken.None)).Outcome);
        Assert.Equal(WriteOutcome.Done, (await database.UpdateProductAsync(first.Id, Draft("old-1"), null, CancellationToken.None)).Outcome);
        Assert.Equal(1, await SqliteFiles.CountRowsAsync(FileOf(tenantId), "product", "old-1"));
    }

    [Fact]
    public async Task AStockStoredBeyondThe32BitRangeReadsAndNeverGrows()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var product = await CreateProductAsync(tenantId, Draft("BIG-1", quantity: 5));
        var order = (await database.CreateOrderAsync("Order", [new(product.Id, 2)], CancellationToken.None)).Order!;

        // What an overflow of the stock sum used to leave in the file.
        await SqliteFiles.ExecuteAsync(FileOf(tenantId), "UPDATE product SET quantity = 3000000000, backordered_limit = 3000000001");

        var stored = (await database.GetProductAsync(product.Id, CancellationToken.None))!;
        Assert.Equal((3_000_000_000L, 3_000_000_001L, true), (stored.Quantity, stored.BackorderedLimit, stored.Backordered));
        Assert.Equal(3_000_000_000L, Assert.Single((await database.ListProductsAsync(10, null, CancellationToken.None)).Items).Quantity);
        Assert.NotNull((await database.CreateOrderAsync("Another", [new(product.Id, 1)], CancellationToken.None)).Order);
        Assert.Equal(WriteOutcome.BoundExceeded, (await database.UpdateOrderAsync(order.Id, null, OrderStatus.Cancelled, null, CancellationToken.None)).Outcome);
        Assert.Equal(2_999_999_999L, (await database.GetProductAsync(product.Id, CancellationToken.None))!.Quantity);
    }

    private string FileOf(string tenantId) => Path.Combine(fixture.Directory, $"tenant_{tenantId}.db");
}
