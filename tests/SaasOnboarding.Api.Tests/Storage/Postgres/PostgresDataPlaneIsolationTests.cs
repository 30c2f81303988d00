using Npgsql;
using SaasOnboarding.Api.Tests.Infrastructure;
using SaasOnboarding.Api.Tests.Products;

namespace SaasOnboarding.Api.Tests.Storage.Postgres;

/// <summary>One tenant's products and orders, through the real pipeline on <c>Storage:Provider=Postgres</c>.</summary>
public sealed class PostgresDataPlaneIsolationTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    [Fact]
    public async Task Another_tenant_gets_404_for_a_tenants_product_and_order_and_changes_nothing()
    {
        using var tenantA = await DataPlaneTenant.OnboardAsync(app);
        using var tenantB = await DataPlaneTenant.OnboardAsync(app);
        var product = await tenantA.StockAsync("PG-SECRET", 5m, 10);
        var placed = await tenantA.User.PostAsJsonAsync("/order", new { orderName = "A's order", orderProducts = new[] { new { productId = product, quantity = 2 } } });
        await placed.ShouldBe(HttpStatusCode.Created);
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        await (await tenantB.User.GetAsync($"/product/{product}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.Admin.PutAsJsonAsync($"/product/{product}", new { name = "Stolen", sku = "PG-SECRET", price = 0m, quantity = 0 })).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.Admin.DeleteAsync($"/product/{product}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.User.PostAsJsonAsync("/order", new { orderName = "Theft", orderProducts = new[] { new { productId = product, quantity = 1 } } }))
            .ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.User.GetAsync($"/order/{orderId}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.User.PutAsJsonAsync($"/order/{orderId}", new { orderStatus = "cancelled" })).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenantB.Admin.DeleteAsync($"/order/{orderId}")).ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.Empty(await DataPlaneTenant.ListAllAsync(tenantB.User, "/products"));
        Assert.Empty(await DataPlaneTenant.ListAllAsync(tenantB.User, "/orders"));

        var productInA = await tenantA.User.GetFromJsonAsync<JsonElement>($"/product/{product}");
        Assert.Equal(("Product PG-SECRET", 8, 5m), (productInA.GetProperty("name").GetString(), productInA.GetProperty("quantity").GetInt32(), productInA.GetProperty("price").GetDecimal()));
        Assert.Equal("processing", (await tenantA.User.GetFromJsonAsync<JsonElement>($"/order/{orderId}")).GetProperty("status").GetString());

        // The rows are in A's schema and nowhere else.
        Assert.Equal(
            "1 1 0 0",
            await ScalarAsync(
                $"""
                SELECT (SELECT count(*) FROM tenant_{tenantA.TenantId}.product WHERE sku = 'PG-SECRET') || ' '
                    || (SELECT count(*) FROM tenant_{tenantA.TenantId}.customer_order WHERE id = @order) || ' '
                    || (SELECT count(*) FROM tenant_{tenantB.TenantId}.product) || ' '
                    || (SELECT count(*) FROM tenant_{tenantB.TenantId}.customer_order)
                """,
                orderId!));
    }

    private async Task<string> ScalarAsync(string sql, string order)
    {
        await using var command = app.Database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter("order", order));
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
