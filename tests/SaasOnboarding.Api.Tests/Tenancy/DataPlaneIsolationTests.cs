using SaasOnboarding.Api.Tests.Infrastructure;
using SaasOnboarding.Api.Tests.Onboarding;
using SaasOnboarding.Api.Tests.Products;
using SaasOnboarding.Api.Tests.Storage.Embedded;

namespace SaasOnboarding.Api.Tests.Tenancy;

/// <summary>One tenant's products and orders, seen (or rather not seen) by another, through the real pipeline.</summary>
public sealed class DataPlaneIsolationTests(EmbeddedApp app) : IClassFixture<EmbeddedApp>
{
    [Fact]
    public async Task Another_tenant_gets_404_for_a_tenants_product_and_order_ids_and_changes_nothing()
    {
        using var tenantA = await DataPlaneTenant.OnboardAsync(app);
        using var tenantB = await DataPlaneTenant.OnboardAsync(app);
        var product = await tenantA.StockAsync("A-SECRET", 5m, 10);
        var order = await tenantA.User.PostAsJsonAsync("/order", new { orderName = "A's order", orderProducts = new[] { new { productId = product, quantity = 2 } } });
        await order.ShouldBe(HttpStatusCode.Created);
        var orderId = (await order.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        await (await tenantB.User.GetAsync($"/product/{product}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.Admin.PutAsJsonAsync($"/product/{product}", new { name = "Stolen", sku = "A-SECRET", price = 0m, quantity = 0 })).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.Admin.DeleteAsync($"/product/{product}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.User.PostAsJsonAsync("/order", new { orderName = "Theft", orderProducts = new[] { new { productId = product, quantity = 1 } } }))
            .ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.User.GetAsync($"/order/{orderId}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.User.PutAsJsonAsync($"/order/{orderId}", new { orderStatus = "cancelled" })).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.Admin.DeleteAsync($"/order/{orderId}")).ShouldBeProblem(HttpStatusCode.NotFound);

        var productInA = await tenantA.User.GetFromJsonAsync<JsonElement>($"/product/{product}");
        Assert.Equal(("Product A-SECRET", 8, 5m), (productInA.GetProperty("name").GetString(), productInA.GetProperty("quantity").GetInt32(), productInA.GetProperty("price").GetDecimal()));
        Assert.Equal("processing", (await tenantA.User.GetFromJsonAsync<JsonElement>($"/order/{orderId}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Listings_show_only_the_callers_tenant()
    {
        using var tenantA = await DataPlaneTenant.OnboardAsync(app);
        using var tenantB = await DataPlaneTenant.OnboardAsync(app);
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

    [Fact]
    public async Task A_tenants_rows_exist_only_in_its_own_database_file()
    {
        using var tenantA = await DataPlaneTenant.OnboardAsync(app);
        using var tenantB = await DataPlaneTenant.OnboardAsync(app);
        var product = await tenantA.StockAsync("FILE-A", 1m, 5);
        await (await tenantA.User.PostAsJsonAsync("/order", new { orderName = "Order in A's file", orderProducts = new[] { new { productId = product, quantity = 1 } } }))
            .ShouldBe(HttpStatusCode.Created);

        var fileOfA = Path.Combine(app.DataDirectory, $"tenant_{tenantA.TenantId}.db");
        var fileOfB = Path.Combine(app.DataDirectory, $"tenant_{tenantB.TenantId}.db");
        Assert.Equal(1, await SqliteFiles.CountRowsAsync(fileOfA, "product", "FILE-A"));
        Assert.Equal(1, await SqliteFiles.CountRowsAsync(fileOfA, "customer_order", "Order in A's file"));
        Assert.Equal(0, await SqliteFiles.CountRowsAsync(fileOfB, "product", "FILE-A"));
        Assert.Equal(0, await SqliteFiles.CountRowsAsync(fileOfB, "customer_order", "Order in A's file"));

        // Nor did anything land in the parent database or any other file beside the tenants' own.
        foreach (var other in Directory.EnumerateFiles(app.DataDirectory, "tenant_*.db").Where(path => path != fileOfA))
        {
            Assert.Equal(0, await SqliteFiles.CountRowsAsync(other, "product", "FILE-A"));
        }
    }
}
