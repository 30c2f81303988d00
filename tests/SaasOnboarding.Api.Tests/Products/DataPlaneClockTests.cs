using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Postgres;

namespace SaasOnboarding.Api.Tests.Products;

/// <summary>Products and orders are stamped with the app's clock (its <see cref="TimeProvider"/>), not the wall clock.</summary>
public sealed class DataPlaneClockTests
{
    [Fact]
    public async Task TheEmbeddedStoreStampsProductsAndOrdersWithTheAppsClock()
    {
        // The clock stands still while the onboarding's password hashes move the wall clock on.
        var clock = new ManualClock();
        using var app = new AppFactory(null, null, services => services.AddSingleton<TimeProvider>(clock));
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        var productId = await tenant.StockAsync("CLOCK-1", 1m, 5);
        var order = await tenant.User.PostAsJsonAsync("/order", new { orderName = "Clocked", orderProducts = new[] { new { productId, quantity = 1 } } });
        await order.ShouldBe(HttpStatusCode.Created);

        var product = await tenant.Admin.GetFromJsonAsync<JsonElement>($"/product/{productId}");
        var expected = Microseconds(clock.GetUtcNow());
        Assert.Equal(expected, product.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(expected, (await order.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("creationDate").GetDateTimeOffset());
    }

    [Fact]
    public async Task ThePostgresStoreStampsProductsWithTheClockItIsGiven()
    {
        var clock = new ManualClock();
        clock.Advance(TimeSpan.FromDays(-3));
        await using var database = new PostgresTestDatabase();
        await database.InitializeAsync();
        var databases = new PostgresTenantDatabases(database.DataSource, NullLogger<PostgresTenantDatabases>.Instance, clock);
        var tenantId = TenantIds.New();
        await databases.CreateAsync(tenantId, CancellationToken.None);

        var write = await databases.Open(tenantId).CreateProductAsync(new ProductDraft("Pen", null, "PEN-1", 1m, 1, 0), CancellationToken.None);

        Assert.Equal(Microseconds(clock.GetUtcNow()), write.Product!.CreatedAt);
    }

    private static DateTimeOffset Microseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}
