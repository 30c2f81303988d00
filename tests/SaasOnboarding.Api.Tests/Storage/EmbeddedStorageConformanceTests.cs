using Microsoft.Data.Sqlite;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Embedded;
using SaasOnboarding.Api.Tests.Storage.Embedded;

namespace SaasOnboarding.Api.Tests.Storage;

/// <summary>The embedded SQLite store in a temporary directory.</summary>
public sealed class EmbeddedStorageFixture : IStorageFixture, IAsyncLifetime
{
    public EmbeddedStorageFixture()
    {
        Catalog = new SqliteTenantCatalog(Directory);
        Databases = new SqliteTenantDatabases(Directory);
    }

    /// <summary>Where the catalog and the tenants' files are.</summary>
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "saas-storage-" + Guid.NewGuid().ToString("N"));

    public ITenantCatalog Catalog { get; }

    public ITenantDatabases Databases { get; }

    public Task InitializeAsync() => Catalog.InitializeAsync(CancellationToken.None);

    public Task DisposeAsync()
    {
        ((IDisposable)Databases).Dispose();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The conformance suite on SQLite files, plus what is particular to files.</summary>
public sealed class EmbeddedStorageConformanceTests(EmbeddedStorageFixture fixture)
    : StorageConformanceTests(fixture), IClassFixture<EmbeddedStorageFixture>
{
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
        Assert.False(await Databases.ExistsAsync(tenantId, CancellationToken.None));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("0.01", 1L)]
    [InlineData("10.5", 1050L)]
    [InlineData("19.99", 1999L)]
    public void PricesConvertToCentsExactly(string price, long cents)
    {
        var value = decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(cents, SqliteTenantDatabase.Cents(value));
        Assert.Equal(value, SqliteTenantDatabase.FromCents(cents));
    }

    [Theory]
    [InlineData("0.001")]
    [InlineData("-0.01")]
    public void PricesThatAreNegativeOrFinerThanACentAreRefused(string price) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SqliteTenantDatabase.Cents(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture)));
}
