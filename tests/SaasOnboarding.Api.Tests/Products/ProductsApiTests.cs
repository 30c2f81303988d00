namespace SaasOnboarding.Api.Tests.Products;

/// <summary>The product service through the real pipeline: real tokens, real SQLite files.</summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class ProductsApiTests(EmbeddedApp app)
{
    [Fact]
    public async Task ATenantAdminStocksAProductAndEveryTenantUserReadsIt()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);

        var created = await tenant.Admin.PostAsJsonAsync("/product", new { name = "Widget", description = "Blue", sku = "W-1", price = 10.5m, quantity = 2, backorderedLimit = 3 });

        await created.ShouldBe(HttpStatusCode.Created);
        var product = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = product.GetProperty("id").GetString();
        Assert.Equal($"/product/{id}", created.Headers.Location?.OriginalString);
        var read = await tenant.User.GetFromJsonAsync<JsonElement>($"/product/{id}");
        Assert.Equal("Widget", read.GetProperty("name").GetString());
        Assert.Equal("W-1", read.GetProperty("sku").GetString());
        Assert.Equal("10.50", read.GetProperty("price").GetRawText());
        Assert.Equal(2, read.GetProperty("quantity").GetInt32());
        Assert.Equal(3, read.GetProperty("backorderedLimit").GetInt32());
        Assert.True(read.GetProperty("backordered").GetBoolean());
        Assert.True(read.TryGetProperty("createdAt", out _) && read.TryGetProperty("updatedAt", out _));
    }

    [Fact]
    public async Task ATenantAdminUpdatesAndDeletesAProduct()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        var id = await tenant.StockAsync("U-1", 1m, 1, backorderedLimit: 5);

        var updated = await tenant.Admin.PutAsJsonAsync($"/product/{id}", new { name = "Renamed", sku = "U-2", price = 2.25m, quantity = 9, backorderedLimit = 5 });
        await updated.ShouldBe(HttpStatusCode.OK);
        var body = await updated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Renamed", "U-2", 2.25m, 9, false), (body.GetProperty("name").GetString(), body.GetProperty("sku").GetString(), body.GetProperty("price").GetDecimal(), body.GetProperty("quantity").GetInt32(), body.GetProperty("backordered").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("description").ValueKind);

        await (await tenant.Admin.DeleteAsync($"/product/{id}")).ShouldBe(HttpStatusCode.NoContent);
        await (await tenant.User.GetAsync($"/product/{id}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await tenant.Admin.DeleteAsync($"/product/{id}")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ATenantUserMayNotCreateUpdateOrDeleteProducts()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        var id = await tenant.StockAsync("RO-1", 1m, 1);
        var fields = new { name = "Mine", sku = "RO-2", price = 1m, quantity = 1 };

        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.User.PostAsJsonAsync("/product", fields)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.User.PutAsJsonAsync($"/product/{id}", fields)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.User.DeleteAsync($"/product/{id}")).StatusCode);

        var products = await DataPlaneTenant.ListAllAsync(tenant.User, "/products");
        var product = Assert.Single(products);
        Assert.Equal("RO-1", product.GetProperty("sku").GetString());
    }

    [Fact]
    public async Task ASystemAdminHasNoTenantAndIsRefusedTheDataPlane()
    {
        var system = await app.SystemAdminAsync();
        using var client = app.Client(system.IdToken);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/products")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/orders")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/product", new { name = "X", sku = "X", price = 1m, quantity = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/order", new { orderName = "X", orderProducts = new[] { new { productId = "x", quantity = 1 } } })).StatusCode);
    }

    [Fact]
    public async Task AnonymousCallersAreRefused()
    {
        using var client = app.CreateClient();

        await (await client.GetAsync("/products")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await client.GetAsync("/orders")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ADeactivatedTenantIsRefusedTheDataPlane()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        await tenant.StockAsync("D-1", 1m, 1);
        var system = await app.SystemAdminAsync();
        using var systemClient = app.Client(system.IdToken);

        await (await systemClient.DeleteAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);

        await (await tenant.User.GetAsync("/products")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await tenant.Admin.PostAsJsonAsync("/product", new { name = "Late", sku = "D-2", price = 1m, quantity = 1 })).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task BadProductFieldsAreNamedAndNothingIsStored()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);

        await (await tenant.Admin.PostAsJsonAsync("/product", new { name = "Fine", sku = "P-1", price = 10.005m, quantity = 1 })).ShouldNameFields("price");
        await (await tenant.Admin.PostAsJsonAsync("/product", new { name = "Fine", sku = "P-1", price = -1m, quantity = -1, backorderedLimit = -1 }))
            .ShouldNameFields("price", "quantity", "backorderedLimit");
        await (await tenant.Admin.PostAsJsonAsync("/product", new { description = "No name" })).ShouldNameFields("name", "sku", "price", "quantity");
        await (await tenant.Admin.PostAsJsonAsync("/product", new { name = "Fine", sku = "P-1", price = "ten", quantity = 1 })).ShouldNameFields("price");
        await (await tenant.Admin.PostAsJsonAsync("/product", new { name = "Fine", sku = "P-1", price = 1m, quantity = 1, tenantId = "someone-else" })).ShouldNameFields("tenantId");

        Assert.Empty(await DataPlaneTenant.ListAllAsync(tenant.Admin, "/products"));
    }

    [Fact]
    public async Task ASkuUsedTwiceInATenantAnswers409AndKeepsTheFirst()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        var first = await tenant.StockAsync("DUP", 1m, 1);
        var second = await tenant.StockAsync("OTHER", 2m, 1);

        var duplicate = await tenant.Admin.PostAsJsonAsync("/product", new { name = "Again", sku = "DUP", price = 3m, quantity = 3 });
        var problem = await duplicate.ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Equal("DUP", problem.GetProperty("sku").GetString());
        await (await tenant.Admin.PutAsJsonAsync($"/product/{second}", new { name = "Other", sku = "DUP", price = 2m, quantity = 1 })).ShouldBeProblem(HttpStatusCode.Conflict);

        var products = await DataPlaneTenant.ListAllAsync(tenant.Admin, "/products");
        Assert.Equal([first, second], products.Select(product => product.GetProperty("id").GetString()));
        Assert.Equal(["DUP", "OTHER"], products.Select(product => product.GetProperty("sku").GetString()));
    }

    [Fact]
    public async Task ProductsPageWithNextTokensAndBadPagingIsNamed()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await tenant.StockAsync($"PG-{i}", i, i));
        }

        var first = await tenant.User.GetFromJsonAsync<JsonElement>("/products?limit=2");
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        Assert.Equal(ids, (await DataPlaneTenant.ListAllAsync(tenant.User, "/products", limit: 2)).Select(product => product.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, (await tenant.User.GetFromJsonAsync<JsonElement>("/products")).GetProperty("nextToken").ValueKind);

        await (await tenant.User.GetAsync("/products?limit=0")).ShouldNameFields("limit");
        await (await tenant.User.GetAsync("/products?limit=101")).ShouldNameFields("limit");
        await (await tenant.User.GetAsync("/products?nextToken=garbage")).ShouldNameFields("nextToken");
    }

    [Fact]
    public async Task ProductsAreSearchedByAPartOfTheNameOrSkuInTheCallersTenantOnly()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        using var other = await DataPlaneTenant.OnboardAsync(app);
        var blue = await tenant.StockAsync("BLUE-1", 1m, 1);
        await tenant.StockAsync("RED-1", 1m, 1);
        var bluer = await tenant.StockAsync("X-BLUE", 1m, 1);
        await other.StockAsync("BLUE-1", 1m, 1);

        var found = await DataPlaneTenant.ListAllAsync(tenant.User, "/products?search=%20blue%20", limit: 1);

        // "Product BLUE-1" by its name and SKU, "Product X-BLUE" likewise; the other tenant's BLUE-1 never.
        Assert.Equal([blue, bluer], found.Select(product => product.GetProperty("id").GetString()));
        Assert.Empty((await tenant.User.GetFromJsonAsync<JsonElement>("/products?search=green")).GetProperty("items").EnumerateArray());
        var page = await tenant.User.GetFromJsonAsync<JsonElement>("/products?search=blue&limit=1");
        var token = Uri.EscapeDataString(page.GetProperty("nextToken").GetString()!);
        await (await tenant.User.GetAsync($"/products?limit=1&nextToken={token}")).ShouldNameFields("nextToken");
        await (await tenant.User.GetAsync($"/orders?limit=1&nextToken={token}")).ShouldNameFields("nextToken");
        await (await tenant.User.GetAsync("/products?search=" + new string('a', 201))).ShouldNameFields("search");
        await (await tenant.User.GetAsync("/products?search=bell%07")).ShouldNameFields("search");
    }

    [Fact]
    public async Task TheOpenapiDocumentDescribesTheDataPlane()
    {
        using var client = app.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/products", "/product", "/product/{id}", "/orders", "/order", "/order/{id}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"The OpenAPI document has no {path}.");
        }

        var placeOrder = paths.GetProperty("/order").GetProperty("post");
        Assert.Equal("Place an order", placeOrder.GetProperty("summary").GetString());
        Assert.True(placeOrder.GetProperty("responses").TryGetProperty("409", out _));
        Assert.True(placeOrder.GetProperty("responses").TryGetProperty("201", out _));
        Assert.Equal("CreateOrder", placeOrder.GetProperty("operationId").GetString());
        Assert.Contains("TenantAdmin", paths.GetProperty("/product").GetProperty("post").GetProperty("description").GetString(), StringComparison.Ordinal);

        // Money is described as decimal, not as a binary float.
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.Equal("decimal", schemas.GetProperty("ProductResponse").GetProperty("properties").GetProperty("price").GetProperty("format").GetString());
        Assert.Equal("decimal", schemas.GetProperty("OrderResponse").GetProperty("properties").GetProperty("total").GetProperty("format").GetString());
        Assert.Equal(["name", "price", "quantity", "sku"], schemas.GetProperty("ProductRequest").GetProperty("required").EnumerateArray().Select(field => field.GetString()).Order(StringComparer.Ordinal));
    }
}
