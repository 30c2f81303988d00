using System.Net.Http.Headers;
using System.Text;

namespace SaasOnboarding.Api.Tests.Products;

/// <summary>
/// Bounds, exact prices, SKUs ignoring case, forward-only order status, and ETag/If-Match on products and orders,
/// through the real pipeline. Subclasses pick the store.
/// </summary>
public abstract class DataPlaneHardeningTests<TApp>(TApp app)
    where TApp : AppFactory
{
    private const int MaxStock = 1_000_000_000;

    protected TApp App { get; } = app;

    private static object Line(string productId, int quantity) => new { productId, quantity };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static object Product(string sku, int quantity = 5, string name = "Widget") =>
        new { name, sku, price = 2.50m, quantity, backorderedLimit = 0 };

    // ---- 1. bounds ----

    [Fact]
    public async Task NumbersBeyondTheirBoundsAnswer400NamingTheFieldAndStoreNothing()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(App);
        var stocked = await tenant.StockAsync("IN-1", 1m, 5);

        await (await tenant.Admin.PostAsJsonAsync("/product", new { name = "N", sku = "Q-1", price = 1m, quantity = MaxStock + 1 })).ShouldNameFields("quantity");
        await (await tenant.Admin.PostAsJsonAsync("/product", new { name = "N", sku = "Q-1", price = 1m, quantity = 1, backorderedLimit = MaxStock + 1 })).ShouldNameFields("backorderedLimit");
        await (await tenant.Admin.PostAsJsonAsync("/product", new { name = "N", sku = "Q-1", price = 1_000_000_000.01m, quantity = 1 })).ShouldNameFields("price");
        await (await tenant.Admin.PutAsJsonAsync($"/product/{stocked}", new { name = "N", sku = "IN-1", price = 1m, quantity = int.MaxValue })).ShouldNameFields("quantity");
        await (await tenant.User.PostAsJsonAsync("/order", new { orderName = "Big", orderProducts = new[] { Line(stocked, MaxStock + 1) } }))
            .ShouldNameFields("orderProducts[0].quantity");

        Assert.Equal(["IN-1"], (await DataPlaneTenant.ListAllAsync(tenant.Admin, "/products")).Select(product => product.GetProperty("sku").GetString()));
        Assert.Equal(5, await tenant.QuantityOfAsync(stocked));
        Assert.Empty(await DataPlaneTenant.ListAllAsync(tenant.User, "/orders"));

        // The bounds themselves are allowed.
        await (await tenant.Admin.PostAsJsonAsync("/product", new { name = "N", sku = "MAX-1", price = 1_000_000_000m, quantity = MaxStock, backorderedLimit = MaxStock })).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task ReturningStockPastTheBoundAnswers409ChangesNothingAndEveryReadStillWorks()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(App);
        var product = await tenant.StockAsync("FULL-1", 1m, 2);
        var placed = await tenant.User.PostAsJsonAsync("/order", new { orderName = "Two", orderProducts = new[] { Line(product, 2) } });
        await placed.ShouldBe(HttpStatusCode.Created);
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await (await tenant.Admin.PutAsJsonAsync($"/product/{product}", Product("FULL-1", MaxStock))).ShouldBe(HttpStatusCode.OK);

        var cancel = await tenant.User.PutAsJsonAsync($"/order/{orderId}", new { orderName = "Renamed", orderStatus = "cancelled" });
        var delete = await tenant.Admin.DeleteAsync($"/order/{orderId}");

        var problem = await cancel.ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Equal("Stock limit exceeded", problem.GetProperty("title").GetString());
        Assert.Equal(product, problem.GetProperty("productId").GetString());
        await delete.ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Equal(MaxStock, await tenant.QuantityOfAsync(product));
        var order = await tenant.User.GetFromJsonAsync<JsonElement>($"/order/{orderId}");
        Assert.Equal(("processing", "Two"), (order.GetProperty("status").GetString(), order.GetProperty("orderName").GetString()));
        Assert.Single(await DataPlaneTenant.ListAllAsync(tenant.User, "/products"));
        await (await tenant.User.PostAsJsonAsync("/order", new { orderName = "More", orderProducts = new[] { Line(product, 1) } })).ShouldBe(HttpStatusCode.Created);
    }

    // ---- 2. prices as written ----

    [Theory]
    [InlineData("19.9900000000000000000000000001")]
    [InlineData("1e-30")]
    [InlineData("0.0000000000000000000000000000001")]
    [InlineData("1e400")]
    [InlineData("10.005")]
    public async Task APriceADecimalWouldRoundIsRefusedNamingPrice(string price)
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(App);
        var stocked = await tenant.StockAsync("KEEP-1", 1.25m, 5);

        var created = await tenant.Admin.PostAsync("/product", Json($$"""{"name":"N","sku":"P-1","price":{{price}},"quantity":1}"""));
        var updated = await tenant.Admin.PutAsync($"/product/{stocked}", Json($$"""{"name":"N","sku":"KEEP-1","price":{{price}},"quantity":1}"""));

        await created.ShouldNameFields("price");
        await updated.ShouldNameFields("price");
        var products = await DataPlaneTenant.ListAllAsync(tenant.Admin, "/products");
        Assert.Equal(("KEEP-1", "1.25"), (Assert.Single(products).GetProperty("sku").GetString(), products[0].GetProperty("price").GetRawText()));
    }

    [Theory]
    [InlineData("1.50", "1.50")]
    [InlineData("1.5e1", "15.00")]
    [InlineData("100E-2", "1.00")]
    [InlineData("19.990000000000000000000000000000000", "19.99")]
    [InlineData("1e9", "1000000000.00")]
    public async Task APriceWrittenExactlyInAnyNotationIsKept(string price, string stored)
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(App);

        var created = await tenant.Admin.PostAsync("/product", Json($$"""{"name":"N","sku":"P-1","price":{{price}},"quantity":1}"""));

        await created.ShouldBe(HttpStatusCode.Created);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(stored, (await tenant.User.GetFromJsonAsync<JsonElement>($"/product/{id}")).GetProperty("price").GetRawText());
    }

    // ---- 3. SKUs ignoring case ----

    [Fact]
    public async Task ASkuThatDiffersOnlyInCaseAnswers409AndKeepsTheFirst()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(App);
        var first = await tenant.StockAsync("ABC-1", 1m, 1);
        var other = await tenant.StockAsync("XYZ-1", 1m, 1);

        var created = await tenant.Admin.PostAsJsonAsync("/product", Product("abc-1"));
        var renamed = await tenant.Admin.PutAsJsonAsync($"/product/{other}", Product("Abc-1"));

        Assert.Equal("abc-1", (await created.ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("sku").GetString());
        Assert.Equal("SKU already in use", (await renamed.ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("title").GetString());
        var products = await DataPlaneTenant.ListAllAsync(tenant.Admin, "/products");
        Assert.Equal([(first, "ABC-1"), (other, "XYZ-1")], products.Select(product => (product.GetProperty("id").GetString(), product.GetProperty("sku").GetString())));
    }

    // ---- 4. order status moves forward only ----

    [Theory]
    [InlineData(new[] { "shipped", "delivered" }, "cancelled")]
    [InlineData(new[] { "shipped", "delivered" }, "processing")]
    [InlineData(new[] { "shipped" }, "processing")]
    [InlineData(new string[0], "delivered")]
    [InlineData(new[] { "cancelled" }, "shipped")]
    public async Task AMoveBackwardsOrOutOfAFinalStatusAnswers409AndChangesNothing(string[] path, string refused)
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(App);
        var product = await tenant.StockAsync("S-1", 1m, 10);
        var placed = await tenant.User.PostAsJsonAsync("/order", new { orderName = "Order", orderProducts = new[] { Line(product, 3) } });
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        foreach (var status in path)
        {
            await (await tenant.User.PutAsJsonAsync($"/order/{orderId}", new { orderStatus = status })).ShouldBe(HttpStatusCode.OK);
        }

        var stock = await tenant.QuantityOfAsync(product);
        var current = path.Length == 0 ? "processing" : path[^1];

        var move = await tenant.User.PutAsJsonAsync($"/order/{orderId}", new { orderName = "Renamed", orderStatus = refused });

        var problem = await move.ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Equal("Order status change not allowed", problem.GetProperty("title").GetString());
        Assert.Equal("orderStatus", problem.GetProperty("field").GetString());
        Assert.Equal(current, problem.GetProperty("orderStatus").GetString());
        Assert.Contains($"is {current}; it cannot become {refused}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var order = await tenant.User.GetFromJsonAsync<JsonElement>($"/order/{orderId}");
        Assert.Equal((current, "Order"), (order.GetProperty("status").GetString(), order.GetProperty("orderName").GetString()));
        Assert.Equal(stock, await tenant.QuantityOfAsync(product));

        // Setting the status it has is no move.
        await (await tenant.User.PutAsJsonAsync($"/order/{orderId}", new { orderStatus = current })).ShouldBe(HttpStatusCode.OK);
    }

    // ---- 5. ETags and If-Match ----

    [Fact]
    public async Task AProductAnswersAnETagThatAFollowingGETRepeatsAndAStaleIfMatchChangesNothing()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(App);
        var created = await tenant.Admin.PostAsJsonAsync("/product", Product("TAG-1", name: "First"));
        await created.ShouldBe(HttpStatusCode.Created);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var first = ETag(created);
        Assert.Equal(first, ETag(await tenant.User.GetAsync($"/product/{id}")));

        var fresh = await Send(tenant.Admin, HttpMethod.Put, $"/product/{id}", first, Product("TAG-1", name: "Second"));
        await fresh.ShouldBe(HttpStatusCode.OK);
        var second = ETag(fresh);
        Assert.NotEqual(first, second);
        Assert.Equal(second, ETag(await tenant.User.GetAsync($"/product/{id}")));

        await (await Send(tenant.Admin, HttpMethod.Put, $"/product/{id}", first, Product("TAG-1", name: "Stale"))).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        await (await Send(tenant.Admin, HttpMethod.Delete, $"/product/{id}", first)).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        await (await Send(tenant.Admin, HttpMethod.Put, $"/product/{id}", "W/" + second, Product("TAG-1", name: "Weak"))).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        var read = await tenant.User.GetAsync($"/product/{id}");
        Assert.Equal(("Second", second), ((await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString(), ETag(read)));

        // An order taking stock changes the product, and so its tag.
        await (await tenant.User.PostAsJsonAsync("/order", new { orderName = "One", orderProducts = new[] { Line(id!, 1) } })).ShouldBe(HttpStatusCode.Created);
        var third = ETag(await tenant.User.GetAsync($"/product/{id}"));
        Assert.NotEqual(second, third);
        await (await Send(tenant.Admin, HttpMethod.Delete, $"/product/{id}", second)).ShouldBeProblem(HttpStatusCode.PreconditionFailed);

        // Without If-Match, or with *, writes are unconditional; a list of tags matches if one does.
        await (await tenant.Admin.PutAsJsonAsync($"/product/{id}", Product("TAG-1", name: "Plain"))).ShouldBe(HttpStatusCode.OK);
        await (await Send(tenant.Admin, HttpMethod.Put, $"/product/{id}", "*", Product("TAG-1", name: "Any"))).ShouldBe(HttpStatusCode.OK);
        var current = ETag(await tenant.User.GetAsync($"/product/{id}"));
        await (await Send(tenant.Admin, HttpMethod.Delete, $"/product/{id}", $"{first}, {current}")).ShouldBe(HttpStatusCode.NoContent);
        await (await Send(tenant.Admin, HttpMethod.Delete, $"/product/{id}", current)).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnOrderAnswersAnETagThatAFollowingGETRepeatsAndAStaleIfMatchChangesNothing()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(App);
        var product = await tenant.StockAsync("O-1", 1m, 10);
        var placed = await tenant.User.PostAsJsonAsync("/order", new { orderName = "First", orderProducts = new[] { Line(product, 4) } });
        await placed.ShouldBe(HttpStatusCode.Created);
        var id = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var first = ETag(placed);
        Assert.Equal(first, ETag(await tenant.User.GetAsync($"/order/{id}")));

        var fresh = await Send(tenant.User, HttpMethod.Put, $"/order/{id}", first, new { orderName = "Second" });
        await fresh.ShouldBe(HttpStatusCode.OK);
        var second = ETag(fresh);
        Assert.NotEqual(first, second);
        Assert.Equal(second, ETag(await tenant.User.GetAsync($"/order/{id}")));

        await (await Send(tenant.User, HttpMethod.Put, $"/order/{id}", first, new { orderStatus = "cancelled" })).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        await (await Send(tenant.Admin, HttpMethod.Delete, $"/order/{id}", first)).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        var order = await tenant.User.GetFromJsonAsync<JsonElement>($"/order/{id}");
        Assert.Equal(("processing", "Second"), (order.GetProperty("status").GetString(), order.GetProperty("orderName").GetString()));
        Assert.Equal(6, await tenant.QuantityOfAsync(product));

        await (await Send(tenant.Admin, HttpMethod.Delete, $"/order/{id}", second)).ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(10, await tenant.QuantityOfAsync(product));
    }

    [Fact]
    public async Task TwoWritersWithTheSameTagRaceAndExactlyOneWins()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(App);
        var product = await tenant.StockAsync("RACE-1", 1m, 10);
        var placed = await tenant.User.PostAsJsonAsync("/order", new { orderName = "Race", orderProducts = new[] { Line(product, 1) } });
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        for (var round = 0; round < 4; round++)
        {
            var productTag = ETag(await tenant.User.GetAsync($"/product/{product}"));
            var orderTag = ETag(await tenant.User.GetAsync($"/order/{orderId}"));

            var answers = await Task.WhenAll(
                Send(tenant.Admin, HttpMethod.Put, $"/product/{product}", productTag, Product("RACE-1", 10, $"A{round}")),
                Send(tenant.Admin, HttpMethod.Put, $"/product/{product}", productTag, Product("RACE-1", 10, $"B{round}")),
                Send(tenant.User, HttpMethod.Put, $"/order/{orderId}", orderTag, new { orderName = $"A{round}" }),
                Send(tenant.User, HttpMethod.Put, $"/order/{orderId}", orderTag, new { orderName = $"B{round}" }));

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed], answers[..2].Select(answer => answer.StatusCode).Order());
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed], answers[2..].Select(answer => answer.StatusCode).Order());

            // The winner's tag is the one a read answers now.
            var winner = answers[..2].Single(answer => answer.StatusCode == HttpStatusCode.OK);
            Assert.Equal(ETag(winner), ETag(await tenant.User.GetAsync($"/product/{product}")));
        }
    }

    private static string ETag(HttpResponseMessage response)
    {
        Assert.True(response.Headers.ETag is not null, $"No ETag on {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} ({(int)response.StatusCode}).");
        Assert.False(response.Headers.ETag!.IsWeak);
        return response.Headers.ETag.Tag;
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string ifMatch, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }
}

/// <summary>On SQLite files (the embedded default).</summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class EmbeddedDataPlaneHardeningTests(EmbeddedApp app) : DataPlaneHardeningTests<EmbeddedApp>(app)
{
    [Fact]
    public async Task TheExactlyReadPriceIsStillADecimalNumberInTheOpenAPIDocument()
    {
        using var client = App.CreateClient();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var price = document.GetProperty("components").GetProperty("schemas").GetProperty("ProductRequest").GetProperty("properties").GetProperty("price");

        Assert.Contains("number", price.GetProperty("type").EnumerateArray().Select(type => type.GetString()));
        Assert.Equal("decimal", price.GetProperty("format").GetString());
    }
}

/// <summary>On PostgreSQL, which keeps microseconds: tags come from the values as stored.</summary>
[Collection(SharedPostgresApp.Name)]
public sealed class PostgresDataPlaneHardeningTests(PostgresApp app) : DataPlaneHardeningTests<PostgresApp>(app);
