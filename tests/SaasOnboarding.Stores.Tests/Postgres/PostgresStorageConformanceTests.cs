using Microsoft.Extensions.Logging.Abstractions;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Postgres;

namespace SaasOnboarding.Stores.Tests.Postgres;

/// <summary>The conformance suite on PostgreSQL, plus what is particular to it.</summary>
public sealed class PostgresStorageConformanceTests(PostgresStorageFixture fixture)
    : StorageConformanceTests(fixture), IClassFixture<PostgresStorageFixture>
{
    [Fact]
    public async Task APageTokenWhoseKeysAreNotACreationKeyIsRefusedNotAServerError()
    {
        var database = Databases.Open(await NewChildAsync());

        await Assert.ThrowsAsync<InvalidPageTokenException>(() => database.ListProductsAsync(5, PageTokens.Encode("not a time", "x"), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => database.ListOrdersAsync(5, PageTokens.Encode("2026-13-45", "x"), CancellationToken.None));
    }

    [Fact]
    public async Task ASchemaMadeBeforeTheFoldedSkuIndexStillLetsOneOfConcurrentCaseVariantsWin()
    {
        var tenantId = await NewChildAsync();
        var schema = TenantIds.DatabaseName(tenantId);
        await using (var connection = await fixture.Database.DataSource.OpenConnectionAsync())
        await using (var command = new Npgsql.NpgsqlCommand($"SET ROLE {schema}; DROP INDEX {schema}.product_sku_folded; RESET ROLE;", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        string[] skus = ["OLD-1", "old-1", "Old-1", "oLD-1", "OlD-1", "oLd-1"];
        using var start = new Barrier(skus.Length);
        var writes = await Task.WhenAll(skus.Select(sku => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return Databases.Open(tenantId).CreateProductAsync(Draft(sku), CancellationToken.None).GetAwaiter().GetResult();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)));

        Assert.Equal(1, writes.Count(write => write.Outcome == WriteOutcome.Done));
        Assert.Single((await Databases.Open(tenantId).ListProductsAsync(10, null, CancellationToken.None)).Items);
    }

    [Fact]
    public async Task AWriteAnswersTheVersionAFollowingReadAnswersToTheMicrosecond()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var created = await CreateProductAsync(tenantId, Draft("US-1"));
        var updated = (await database.UpdateProductAsync(created.Id, Draft("US-1", name: "Again"), created.Version, CancellationToken.None)).Product!;

        var read = (await database.GetProductAsync(created.Id, CancellationToken.None))!;

        Assert.Equal(updated.Version, read.Version);
        Assert.Equal(updated.UpdatedAt, read.UpdatedAt);
        Assert.Equal(0, read.UpdatedAt.UtcTicks % TimeSpan.TicksPerMicrosecond);
    }
}
