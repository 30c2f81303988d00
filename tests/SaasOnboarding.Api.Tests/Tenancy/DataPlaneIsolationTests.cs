namespace SaasOnboarding.Api.Tests.Tenancy;

/// <summary>
/// One tenant's products and orders, seen (or rather not seen) by another, through the real pipeline. Subclasses
/// pick the store and say how to look into it directly, past the app.
/// </summary>
public abstract class DataPlaneIsolationTests<TApp>(TApp app)
    where TApp : AppFactory
{
    protected TApp App { get; } = app;

    /// <summary>
    /// Asserts, in the store itself, that <paramref name="owner"/>'s database holds the product with
    /// <paramref name="sku"/> and the order, and that <paramref name="other"/>'s (and any other) holds neither.
    /// </summary>
    protected abstract Task AssertRowsOnlyInOwnDatabaseAsync(DataPlaneTenant owner, DataPlaneTenant other, string sku, string orderName, string orderId);

    [Fact]
    public async Task AnotherTenantGets404ForATenantsProductAndOrderIdsAndChangesNothing()
    {
        using var tenantA = await DataPlaneTenant.OnboardAsync(App);
        using var tenantB = await DataPlaneTenant.OnboardAsync(App);
        var product = await tenantA.StockAsync("A-SECRET", 5m, 10);
        var order = await tenantA.User.PostAsJsonAsync("/order", new { orderName = "A's order", orderProducts = new[] { new { productId = product, quantity = 2 } } });
        await order.ShouldBe(HttpStatusCode.Created);
        var orderId = (await order.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        await (await tenantB.User.GetAsync($"/product/{product}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.Admin.PutAsJsonAsync($"/product/{product}", new { name = "Stolen", sku = "A-SECRET", price = 0m, quantity = 0 })).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.Admin.DeleteAsync($"/product/{product}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.User.PostAsJsonAsync("/order", new { orderName = "Theft", orderProducts = new[] { new { productId = product, quantity = 1 } } }))
            .ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.User.GetAsync($"/order/{orderId}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.User.PutAsJsonAsync($"/order/{orderId}", new { orderStatus = "cancelled" })).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.Admin.DeleteAsync($"/order/{orderId}")).ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.Empty(await DataPlaneTenant.ListAllAsync(tenantB.User, "/products"));
        Assert.Empty(await DataPlaneTenant.ListAllAsync(tenantB.User, "/orders"));

        var productInA = await tenantA.User.GetFromJsonAsync<JsonElement>($"/product/{product}");
        Assert.Equal(("Product A-SECRET", 8, 5m), (productInA.GetProperty("name").GetString(), productInA.GetProperty("quantity").GetInt32(), productInA.GetProperty("price").GetDecimal()));
        Assert.Equal("processing", (await tenantA.User.GetFromJsonAsync<JsonElement>($"/order/{orderId}")).GetProperty("status").GetString());
        await AssertRowsOnlyInOwnDatabaseAsync(tenantA, tenantB, "A-SECRET", "A's order", orderId);
    }

    [Fact]
    public async Task ListingsShowOnlyTheCallersTenant()
    {
        using var tenantA = await DataPlaneTenant.OnboardAsync(App);
        using var tenantB = await DataPlaneTenant.OnboardAsync(App);
        var productA = await tenantA.StockAsync("ONLY-A", 1m, 5);
        var productB = await tenantB.StockAsync("ONLY-B", 1m, 5);
        await (await tenantA.User.PostAsJsonAsync("/order", new { orderName = "From A", orderProducts = new[] { new { productId = productA, quantity = 1 } } })).ShouldBe(HttpStatusCode.Created);
        await (await tenantB.User.PostAsJsonAsync("/order", new { orderName = "From B", orderProducts = new[] { new { productId = productB, quantity = 1 } } })).ShouldBe(HttpStatusCode.Created);

        var productsOfB = await DataPlaneTenant.ListAllAsync(tenantB.User, "/products");
        var ordersOfB = await DataPlaneTenant.ListAllAsync(tenantB.User, "/orders");

        Assert.Equal(["ONLY-B"], productsOfB.Select(product => product.GetProperty("sku").GetString()));
        Assert.Equal(["From B"], ordersOfB.Select(order => order.GetProperty("orderName").GetString()));
        Assert.Equal(["ONLY-A"], (await DataPlaneTenant.ListAllAsync(tenantA.Admin, "/products")).Select(product => product.GetProperty("sku").GetString()));
    }
}

/// <summary>On SQLite, a tenant's database is a file of its own.</summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class EmbeddedDataPlaneIsolationTests(EmbeddedApp app) : SqliteFileIsolationTests<EmbeddedApp>(app);

/// <summary>The same, against the app published with Native AOT.</summary>
[Collection(SharedAotApp.Name)]
public sealed class AotDataPlaneIsolationTests(AotApp app) : SqliteFileIsolationTests<AotApp>(app);

/// <summary>The embedded store's isolation, looked at in its files.</summary>
public abstract class SqliteFileIsolationTests<TApp>(TApp app) : DataPlaneIsolationTests<TApp>(app)
    where TApp : AppFactory
{
    protected override async Task AssertRowsOnlyInOwnDatabaseAsync(DataPlaneTenant owner, DataPlaneTenant other, string sku, string orderName, string orderId)
    {
        var fileOfOwner = Path.Combine(App.DataDirectory, $"tenant_{owner.TenantId}.db");
        var fileOfOther = Path.Combine(App.DataDirectory, $"tenant_{other.TenantId}.db");
        Assert.Equal(1, await SqliteFiles.CountRowsAsync(fileOfOwner, "product", sku));
        Assert.Equal(1, await SqliteFiles.CountRowsAsync(fileOfOwner, "customer_order", orderName));
        Assert.Equal(0, await SqliteFiles.CountRowsAsync(fileOfOther, "product", sku));
        Assert.Equal(0, await SqliteFiles.CountRowsAsync(fileOfOther, "customer_order", orderName));

        // Nor did anything land in any other tenant's file.
        foreach (var path in Directory.EnumerateFiles(App.DataDirectory, "tenant_*.db").Where(path => path != fileOfOwner))
        {
            Assert.Equal(0, await SqliteFiles.CountRowsAsync(path, "product", sku));
        }
    }
}
