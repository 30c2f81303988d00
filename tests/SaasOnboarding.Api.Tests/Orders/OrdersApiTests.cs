namespace SaasOnboarding.Api.Tests.Orders;

/// <summary>The order service through the real pipeline: real tokens, real SQLite files.</summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class OrdersApiTests(EmbeddedApp app)
{
    private static object Line(string productId, int quantity) => new { productId, quantity };

    private static async Task<JsonElement> PlaceAsync(HttpClient client, string name, params object[] lines)
    {
        var response = await client.PostAsJsonAsync("/order", new { orderName = name, orderProducts = lines });
        await response.ShouldBe(HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task ATenantUserOrdersWhatTheAdminStockedAndStockAndTotalsAddUp()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        var widget = await tenant.StockAsync("W", 10.25m, 5);
        var gadget = await tenant.StockAsync("G", 0.10m, 3);

        // The client's price is ignored: lines are priced from the product.
        var response = await tenant.User.PostAsJsonAsync("/order", new
        {
            orderName = "First",
            orderProducts = new object[] { new { productId = widget, quantity = 2, price = 0.01m }, Line(gadget, 3) },
        });

        await response.ShouldBe(HttpStatusCode.Created);
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/order/{order.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        Assert.Equal("processing", order.GetProperty("status").GetString());
        Assert.Equal("20.80", order.GetProperty("total").GetRawText());
        var lines = order.GetProperty("orderProducts").EnumerateArray().ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal((widget, "Product W", "W", "About W", 2, 10.25m), (
            lines[0].GetProperty("productId").GetString(),
            lines[0].GetProperty("productName").GetString(),
            lines[0].GetProperty("productSku").GetString(),
            lines[0].GetProperty("productDescription").GetString(),
            lines[0].GetProperty("quantity").GetInt32(),
            lines[0].GetProperty("price").GetDecimal()));
        Assert.Equal("0.10", lines[1].GetProperty("price").GetRawText());
        Assert.Equal(3, await tenant.QuantityOfAsync(widget));
        Assert.Equal(0, await tenant.QuantityOfAsync(gadget));

        var reread = await tenant.Admin.GetFromJsonAsync<JsonElement>($"/order/{order.GetProperty("id").GetString()}");
        Assert.Equal(order.GetProperty("total").GetDecimal(), reread.GetProperty("total").GetDecimal());
        Assert.Equal(order.GetProperty("creationDate").GetDateTimeOffset(), reread.GetProperty("creationDate").GetDateTimeOffset());
    }

    [Fact]
    public async Task AnOrderOverStockAnswers409NamingTheProductAndChangesNothing()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        var plenty = await tenant.StockAsync("PLENTY", 1m, 10);
        var scarce = await tenant.StockAsync("SCARCE", 1m, 1);

        var response = await tenant.User.PostAsJsonAsync("/order", new { orderName = "Too much", orderProducts = new[] { Line(plenty, 4), Line(scarce, 2) } });

        var problem = await response.ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Equal("Insufficient stock", problem.GetProperty("title").GetString());
        Assert.Equal(scarce, problem.GetProperty("productId").GetString());
        Assert.Equal(1, problem.GetProperty("available").GetInt32());
        Assert.Equal(10, await tenant.QuantityOfAsync(plenty));
        Assert.Equal(1, await tenant.QuantityOfAsync(scarce));
        Assert.Empty(await DataPlaneTenant.ListAllAsync(tenant.User, "/orders"));
    }

    [Fact]
    public async Task AnOrderForAnUnknownProductAnswers404AndChangesNothing()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        var real = await tenant.StockAsync("REAL", 1m, 5);
        var unknown = Guid.NewGuid().ToString("N");

        var problem = await (await tenant.User.PostAsJsonAsync("/order", new { orderName = "Ghost", orderProducts = new[] { Line(real, 1), Line(unknown, 1) } }))
            .ShouldBeProblem(HttpStatusCode.NotFound);

        Assert.Equal(unknown, problem.GetProperty("productId").GetString());
        Assert.Equal(5, await tenant.QuantityOfAsync(real));
        Assert.Empty(await DataPlaneTenant.ListAllAsync(tenant.User, "/orders"));
    }

    [Fact]
    public async Task BadOrderFieldsAreNamedAndNothingIsStored()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        var product = await tenant.StockAsync("B", 1m, 5);

        await (await tenant.User.PostAsJsonAsync("/order", new { orderName = "Empty", orderProducts = Array.Empty<object>() })).ShouldNameFields("orderProducts");
        await (await tenant.User.PostAsJsonAsync("/order", new { orderProducts = new[] { Line(product, 0) } })).ShouldNameFields("orderName", "orderProducts[0].quantity");
        await (await tenant.User.PostAsJsonAsync("/order", new { orderName = "No id", orderProducts = new[] { new { quantity = 1 } } })).ShouldNameFields("orderProducts[0].productId");

        Assert.Equal(5, await tenant.QuantityOfAsync(product));
        Assert.Empty(await DataPlaneTenant.ListAllAsync(tenant.User, "/orders"));
    }

    [Fact]
    public async Task CancellingReturnsTheStockOnceAndACancelledOrderStaysCancelled()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        var product = await tenant.StockAsync("C", 2m, 5);
        var order = await PlaceAsync(tenant.User, "To cancel", Line(product, 3));
        var id = order.GetProperty("id").GetString();
        Assert.Equal(2, await tenant.QuantityOfAsync(product));

        var cancelled = await tenant.User.PutAsJsonAsync($"/order/{id}", new { orderStatus = "cancelled" });
        await cancelled.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("cancelled", (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        await (await tenant.User.PutAsJsonAsync($"/order/{id}", new { orderStatus = "cancelled" })).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(5, await tenant.QuantityOfAsync(product));

        var revived = await tenant.User.PutAsJsonAsync($"/order/{id}", new { orderName = "Revived", orderStatus = "processing" });
        var problem = await revived.ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Equal("cancelled", problem.GetProperty("orderStatus").GetString());
        var reread = await tenant.User.GetFromJsonAsync<JsonElement>($"/order/{id}");
        Assert.Equal(("cancelled", "To cancel"), (reread.GetProperty("status").GetString(), reread.GetProperty("orderName").GetString()));
        Assert.Equal(5, await tenant.QuantityOfAsync(product));
    }

    [Fact]
    public async Task AnUpdateRenamesAndMovesStatusAndAcceptsTheLinesOnlyUnchanged()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        var product = await tenant.StockAsync("S", 1m, 5);
        var order = await PlaceAsync(tenant.User, "Original", Line(product, 2));
        var id = order.GetProperty("id").GetString();

        var shipped = await tenant.User.PutAsJsonAsync($"/order/{id}", new { orderName = "Shipped", orderStatus = "shipped", orderProducts = new[] { Line(product, 2) } });
        await shipped.ShouldBe(HttpStatusCode.OK);
        var body = await shipped.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Shipped", "shipped"), (body.GetProperty("orderName").GetString(), body.GetProperty("status").GetString()));

        await (await tenant.User.PutAsJsonAsync($"/order/{id}", new { orderName = "More", orderProducts = new[] { Line(product, 3) } })).ShouldNameFields("orderProducts");
        await (await tenant.User.PutAsJsonAsync($"/order/{id}", new { orderStatus = "lost" })).ShouldNameFields("orderStatus");
        await (await tenant.User.PutAsJsonAsync($"/order/{Guid.NewGuid():N}", new { orderStatus = "shipped" })).ShouldBeProblem(HttpStatusCode.NotFound);

        var reread = await tenant.User.GetFromJsonAsync<JsonElement>($"/order/{id}");
        Assert.Equal(("Shipped", "shipped", 2), (reread.GetProperty("orderName").GetString(), reread.GetProperty("status").GetString(), reread.GetProperty("orderProducts")[0].GetProperty("quantity").GetInt32()));
        Assert.Equal(3, await tenant.QuantityOfAsync(product));
    }

    [Fact]
    public async Task OnlyATenantAdminDeletesAnOrderAndAProcessingOrderReturnsItsStock()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        var product = await tenant.StockAsync("DEL", 1m, 5);
        var id = (await PlaceAsync(tenant.User, "Doomed", Line(product, 4))).GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.User.DeleteAsync($"/order/{id}")).StatusCode);
        Assert.Equal(1, await tenant.QuantityOfAsync(product));

        await (await tenant.Admin.DeleteAsync($"/order/{id}")).ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(5, await tenant.QuantityOfAsync(product));
        await (await tenant.User.GetAsync($"/order/{id}")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OrdersPageNewestFirstWithNextTokens()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        var product = await tenant.StockAsync("PG", 1m, 100);
        var ids = new List<string?>();
        for (var i = 1; i <= 5; i++)
        {
            ids.Add((await PlaceAsync(tenant.User, $"Order {i}", Line(product, i))).GetProperty("id").GetString());
        }

        var listed = await DataPlaneTenant.ListAllAsync(tenant.User, "/orders", limit: 2);

        Assert.Equal(Enumerable.Reverse(ids), listed.Select(order => order.GetProperty("id").GetString()));
        Assert.Equal([5m, 4m, 3m, 2m, 1m], listed.Select(order => order.GetProperty("total").GetDecimal()));
        await (await tenant.User.GetAsync("/orders?limit=0")).ShouldNameFields("limit");
        await (await tenant.User.GetAsync("/orders?nextToken=garbage")).ShouldNameFields("nextToken");
    }

    [Fact]
    public async Task OrdersAreSearchedByNameOrProductAndFilteredByStatusWithTokensBoundToTheSearch()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        using var other = await DataPlaneTenant.OnboardAsync(app);
        var pen = await tenant.StockAsync("PEN-9", 1m, 100);
        var pad = await tenant.StockAsync("PAD-9", 1m, 100);
        var first = (await PlaceAsync(tenant.User, "Pens for school", Line(pad, 1))).GetProperty("id").GetString();
        var second = (await PlaceAsync(tenant.User, "Office", Line(pen, 1))).GetProperty("id").GetString();
        var third = (await PlaceAsync(tenant.User, "Paper", Line(pad, 1))).GetProperty("id").GetString();
        await (await tenant.User.PutAsJsonAsync($"/order/{second}", new { orderStatus = "shipped" })).ShouldBe(HttpStatusCode.OK);
        await PlaceAsync(other.User, "Pens too", Line(await other.StockAsync("PEN-9", 1m, 10), 1));

        static async Task<List<string?>> Ids(HttpClient client, string path) =>
            [.. (await DataPlaneTenant.ListAllAsync(client, path, limit: 1)).Select(order => order.GetProperty("id").GetString())];

        // "pen": an order's name, or the SKU of a product on a line ("Product PEN-9"), newest first; never another tenant's.
        Assert.Equal([second, first], await Ids(tenant.User, "/orders?search=PEN"));
        Assert.Equal([second], await Ids(tenant.User, "/orders?status=Shipped&search=pen"));
        Assert.Equal([third, first], await Ids(tenant.User, "/orders?status=processing"));
        var page = await tenant.User.GetFromJsonAsync<JsonElement>("/orders?search=pen&limit=1");
        var token = Uri.EscapeDataString(page.GetProperty("nextToken").GetString()!);
        await (await tenant.User.GetAsync($"/orders?search=pen&limit=1&nextToken={token}")).ShouldBe(HttpStatusCode.OK);
        await (await tenant.User.GetAsync($"/orders?search=pens&limit=1&nextToken={token}")).ShouldNameFields("nextToken");
        await (await tenant.User.GetAsync($"/orders?search=pen&status=processing&limit=1&nextToken={token}")).ShouldNameFields("nextToken");
        await (await tenant.User.GetAsync($"/products?search=pen&limit=1&nextToken={token}")).ShouldNameFields("nextToken");
        await (await tenant.User.GetAsync("/orders?status=lost")).ShouldNameFields("status");
        await (await tenant.User.GetAsync("/orders?status=")).ShouldNameFields("status");
        await (await tenant.User.GetAsync("/orders?search=" + new string('a', 201))).ShouldNameFields("search");
    }

    [Fact]
    public async Task ParallelOrdersOverHttpForScarceStockSellExactlyTheStock()
    {
        const int stock = 5;
        const int buyers = 20;
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        var product = await tenant.StockAsync("HOT", 3m, stock);

        var responses = await Task.WhenAll(Enumerable.Range(0, buyers).Select(buyer =>
            tenant.User.PostAsJsonAsync("/order", new { orderName = $"Buyer {buyer}", orderProducts = new[] { Line(product, 1) } })));

        Assert.Equal(stock, responses.Count(response => response.StatusCode == HttpStatusCode.Created));
        Assert.Equal(buyers - stock, responses.Count(response => response.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(0, await tenant.QuantityOfAsync(product));
        Assert.Equal(stock, (await DataPlaneTenant.ListAllAsync(tenant.User, "/orders")).Count);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
