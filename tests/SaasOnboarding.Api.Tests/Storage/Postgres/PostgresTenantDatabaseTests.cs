using Microsoft.Extensions.Logging.Abstractions;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Postgres;

namespace SaasOnboarding.Api.Tests.Storage.Postgres;

/// <summary>The data-plane conformance suite on PostgreSQL, plus what is particular to it.</summary>
public sealed class PostgresTenantDatabaseTests(PostgresTestDatabase database)
    : TenantDatabaseConformanceTests, IClassFixture<PostgresTestDatabase>
{
    protected override Task<ITenantDatabases> CreateDatabasesAsync() =>
        Task.FromResult<ITenantDatabases>(new PostgresTenantDatabases(database.DataSource, NullLogger<PostgresTenantDatabases>.Instance));

    [Fact]
    public async Task A_page_token_whose_keys_are_not_a_creation_key_is_refused_not_a_server_error()
    {
        var tenant = await NewTenantAsync();

        await Assert.ThrowsAsync<InvalidPageTokenException>(() => tenant.ListProductsAsync(5, PageTokens.Encode("not a time", "x"), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => tenant.ListOrdersAsync(5, PageTokens.Encode("2026-13-45", "x"), CancellationToken.None));
    }

    [Fact]
    public async Task Money_keeps_two_decimals_exactly()
    {
        var tenant = await NewTenantAsync();
        var product = await StockAsync(tenant, "CENTS", 0.10m, quantity: 30);

        var order = (await tenant.CreateOrderAsync("Thirty dimes", [new OrderLineRequest(product.Id, 30)], CancellationToken.None)).Order!;

        Assert.Equal("3.00", order.Total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("0.10", (await tenant.GetOrderAsync(order.Id, CancellationToken.None))!.OrderProducts[0].Price.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
