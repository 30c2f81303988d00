using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Api.Tests.Storage.Embedded;

/// <summary>The conformance suite on SQLite files in a temporary directory, plus what is particular to files.</summary>
public sealed class SqliteTenantDatabaseTests : TenantDatabaseConformanceTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dataplane-" + Guid.NewGuid().ToString("N"));

    protected override Task<ITenantDatabases> CreateDatabasesAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult<ITenantDatabases>(new SqliteTenantDatabases(_directory));
    }

    protected override Task DisposeDatabasesAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_tenants_rows_are_written_to_its_own_file_only()
    {
        var tenantA = await NewTenantAsync();
        var tenantB = await NewTenantAsync();
        await StockAsync(tenantA, "FILE-A", 1m, 1);

        Assert.Equal(1, await SqliteFiles.CountRowsAsync(Path.Combine(_directory, $"tenant_{tenantA.TenantId}.db"), "product", "FILE-A"));
        Assert.Equal(0, await SqliteFiles.CountRowsAsync(Path.Combine(_directory, $"tenant_{tenantB.TenantId}.db"), "product", "FILE-A"));
    }

    [Fact]
    public async Task A_tenant_whose_file_was_removed_gets_an_error_not_a_fresh_empty_file()
    {
        var database = await NewTenantAsync();
        await Databases.DeleteAsync(database.TenantId, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => database.ListProductsAsync(5, null, CancellationToken.None));
        Assert.False(await Databases.ExistsAsync(database.TenantId, CancellationToken.None));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("0.01", 1L)]
    [InlineData("10.5", 1050L)]
    [InlineData("19.99", 1999L)]
    public void Prices_convert_to_cents_exactly(string price, long cents)
    {
        var value = decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(cents, SqliteTenantDatabase.Cents(value));
        Assert.Equal(value, SqliteTenantDatabase.FromCents(cents));
    }

    [Theory]
    [InlineData("0.001")]
    [InlineData("-0.01")]
    public void Prices_that_are_negative_or_finer_than_a_cent_are_refused(string price) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SqliteTenantDatabase.Cents(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture)));
}
