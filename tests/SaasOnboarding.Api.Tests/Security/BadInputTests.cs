using System.Text;

namespace SaasOnboarding.Api.Tests.Security;

/// <summary>
/// Every JSON route against hostile and odd input: each answer is either 4xx problem details (and nothing changed)
/// or a success that stored the string exactly as sent (or, for a route that answers the same whatever it is sent,
/// such as forgot-password, a success without a body that changed nothing).
/// </summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class BadInputTests(EmbeddedApp app)
{
    private static readonly string[] OddStrings =
    [
        "Café ☕ 🎉 naïve",
        "שלום עולם مرحبا",
        "'; DROP TABLE tenant; --",
        "Robert') OR 1=1 --",
        "tenant.all().forEach(.delete())",
        "${7*7} {{7*7}} <script>alert(1)</script>",
        "bell\u0007 null\u0000 escape\u001b",
        new string('x', 100 * 1024),
    ];

    [Fact]
    public async Task EveryJsonRouteRefusesOrStoresVerbatimAndNothingElseChanges()
    {
        var world = await SetUpAsync();
        var tried = 0;
        var refused = 0;
        foreach (var route in Routes(world))
        {
            foreach (var (label, body) in Variants(route))
            {
                var before = await SnapshotAsync(world);
                using var client = app.Client(route.Token);
                using var request = new HttpRequestMessage(route.Method, route.Path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                tried++;
                var status = (int)response.StatusCode;
                if (status is >= 400 and < 500)
                {
                    refused++;
                    Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{route.Method} {route.Path} {label}: {status} without problem details");
                    using var problem = JsonDocument.Parse(text);
                    Assert.True(problem.RootElement.TryGetProperty("title", out _), $"{label}: {text}");
                    Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
                    Assert.Equal(before, await SnapshotAsync(world));
                }
                else if (route.AnswersNothing)
                {
                    Assert.True(status is 202 or 204 && label.StartsWith("odd:", StringComparison.Ordinal), $"{route.Method} {route.Path} {label}: {status} {text[..Math.Min(400, text.Length)]}");
                    Assert.Equal(before, await SnapshotAsync(world));
                }
                else
                {
                    Assert.True(status is >= 200 and < 300, $"{route.Method} {route.Path} {label}: {status} {text[..Math.Min(400, text.Length)]}");
                    if (label == "missing fields" && route.Method == HttpMethod.Put)
                    {
                        // Updates take only the fields sent: an empty one changes nothing.
                        continue;
                    }

                    Assert.True(label.StartsWith("odd:", StringComparison.Ordinal), $"{route.Method} {route.Path} {label} was accepted: {text}");
                    var sent = label["odd:".Length..].Split('=', 2)[1];
                    if (response.Headers.Location is { } location)
                    {
                        // Read back what was stored (registration answers only the new ids; the provider can read it).
                        using var reader = app.Client(route.Token ?? world.SystemToken);
                        text += await reader.GetStringAsync(location);
                        text = "[" + text.Replace("}{", "},{", StringComparison.Ordinal) + "]";
                    }

                    using var stored = JsonDocument.Parse(text);
                    Assert.True(Strings(stored.RootElement).Contains(sent), $"{route.Method} {route.Path} {label[..Math.Min(60, label.Length)]} did not answer the value verbatim: {text[..Math.Min(400, text.Length)]}");
                }
            }
        }

        TestFigures.Write("bad-input", new { requests = tried, refused, storedVerbatim = tried - refused, routes = Routes(world).Count });
    }

    [Fact]
    public async Task AnUnknownTenantsSortOrPlanOrAnOverlongSearchAnswersProblemDetailsNamingIt()
    {
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);

        await (await system.GetAsync("/tenants?sort=size")).ShouldNameFields("sort");
        await (await system.GetAsync("/tenants?sort=")).ShouldNameFields("sort");
        await (await system.GetAsync("/tenants?tier=Gold")).ShouldNameFields("tier");
        await (await system.GetAsync("/tenants?search=" + new string('a', 257))).ShouldNameFields("search");
    }

    [Fact]
    public async Task AnUnknownOrderStatusOrAnOverlongOrControlCharacterSearchOfProductsOrOrdersAnswersProblemDetailsNamingIt()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);

        await (await tenant.User.GetAsync("/orders?status=open")).ShouldNameFields("status");
        await (await tenant.User.GetAsync("/orders?search=" + new string('a', 201) + "&status=lost")).ShouldNameFields("search", "status");
        await (await tenant.User.GetAsync("/products?search=" + new string('a', 201))).ShouldNameFields("search");
        await (await tenant.User.GetAsync("/products?search=null%00byte")).ShouldNameFields("search");
        foreach (var odd in OddStrings.Where(text => text.Length < 200 && !text.Any(char.IsControl)))
        {
            await (await tenant.User.GetAsync("/products?search=" + Uri.EscapeDataString(odd))).ShouldBe(HttpStatusCode.OK);
            await (await tenant.User.GetAsync("/orders?search=" + Uri.EscapeDataString(odd))).ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task MassAssignmentIsImpossible()
    {
        var world = await SetUpAsync();
        using var admin = app.Client(world.AdminToken);
        foreach (var extra in new[] { "\"isActive\":false", $"\"id\":\"{new string('a', 32)}\"", "\"tenantId\":\"00000000000000000000000000000000\"", "\"status\":\"Inactive\"" })
        {
            var response = await admin.PutAsync($"/tenant/{world.TenantId}", new StringContent("{\"tenantAddress\":\"x\"," + extra + "}", Encoding.UTF8, "application/json"));
            await response.ShouldBeProblem(HttpStatusCode.BadRequest);
        }

        var self = await admin.PostAsJsonAsync("/user", new { userName = "mass-" + world.TenantId[..6], userEmail = "m@example.com", userRole = "SystemAdmin" });
        await self.ShouldNameFields("userRole");
        var promote = await admin.PutAsJsonAsync($"/user/{world.UserName}", new { userRole = "SystemAdmin" });
        await promote.ShouldNameFields("userRole");

        var tenant = await admin.GetFromJsonAsync<JsonElement>($"/tenant/{world.TenantId}");
        Assert.True(tenant.GetProperty("isActive").GetBoolean());
        Assert.Equal(world.TenantId, tenant.GetProperty("id").GetString());
        var user = await admin.GetFromJsonAsync<JsonElement>($"/user/{world.UserName}");
        Assert.Equal("TenantUser", user.GetProperty("userRole").GetString());
    }

    [Fact]
    public async Task AFieldSentTwiceInAnyCaseIsRefusedNamingIt()
    {
        using var client = app.CreateClient();
        var body = "{\"tenantName\":\"Twice Co\",\"TenantName\":\"Other Co\",\"tenantEmail\":\"t@example.com\",\"tenantTier\":\"Basic\"}";
        var response = await client.PostAsync("/registration", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await response.ShouldNameFields("tenantName");
        Assert.Contains("more than once", problem.GetProperty("errors").GetProperty("tenantName")[0].GetString(), StringComparison.Ordinal);
    }

    private static HashSet<string> Strings(JsonElement element)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    found.Add(value.GetString()!);
                    break;
                case JsonValueKind.Object:
                    foreach (var property in value.EnumerateObject())
                    {
                        Walk(property.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in value.EnumerateArray())
                    {
                        Walk(item);
                    }

                    break;
            }
        }

        Walk(element);
        return found;
    }

    private async Task<World> SetUpAsync()
    {
        var tenant = await app.OnboardAsync();
        var userName = "victim-" + tenant.TenantId[..8];
        var user = await app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        using var admin = app.Client(tenant.AdminTokens.IdToken);
        var product = await admin.PostAsJsonAsync("/product", new { name = "Pen", sku = "PEN-" + tenant.TenantId[..6], price = 1.5m, quantity = 1000, backorderedLimit = 1 });
        await product.ShouldBe(HttpStatusCode.Created);
        var productId = (await product.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var order = await admin.PostAsJsonAsync("/order", new { orderName = "One", orderProducts = new[] { new { productId, quantity = 1 } } });
        await order.ShouldBe(HttpStatusCode.Created);
        var orderId = (await order.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var system = await app.SystemAdminAsync();
        return new World(tenant.TenantId, userName, productId, orderId, tenant.AdminTokens.IdToken, system.IdToken, user.IdToken);
    }

    private static List<Route> Routes(World world) =>
    [
        new(HttpMethod.Post, "/registration", null, new() { ["tenantName"] = "Odd Co", ["tenantEmail"] = "o@example.com", ["tenantTier"] = "Basic", ["tenantAddress"] = "1 Road", ["tenantPhone"] = "+1 555" }),
        new(HttpMethod.Post, "/auth/signin", null, new() { ["userName"] = "nobody", ["password"] = "Wrong-Passw0rd!" }),
        new(HttpMethod.Post, "/auth/new-password", null, new() { ["userName"] = "nobody", ["session"] = "s", ["newPassword"] = "N3w-Passw0rd!" }),
        new(HttpMethod.Post, "/auth/refresh", null, new() { ["refreshToken"] = "r" }),
        new(HttpMethod.Post, "/auth/forgot-password", null, new() { ["userName"] = "nobody" }) { AnswersNothing = true },
        new(HttpMethod.Post, "/auth/confirm-forgot-password", null, new() { ["userName"] = "nobody", ["code"] = "123456", ["newPassword"] = "N3w-Passw0rd!" }),
        new(HttpMethod.Post, "/auth/change-password", world.UserToken, new() { ["previousPassword"] = "Wrong-Passw0rd!", ["newPassword"] = "N3w-Passw0rd!" }),
        new(HttpMethod.Post, "/auth/mfa", null, new() { ["userName"] = "nobody", ["session"] = "s", ["code"] = "123456" }),
        new(HttpMethod.Post, "/auth/mfa/setup", null, new() { ["userName"] = "nobody", ["password"] = "Wrong-Passw0rd!" }),
        new(HttpMethod.Post, "/auth/mfa/setup/verify", null, new() { ["userName"] = "nobody", ["session"] = "s", ["code"] = "123456" }),
        new(HttpMethod.Post, "/auth/mfa/disable", world.UserToken, new() { ["password"] = "Wrong-Passw0rd!", ["code"] = "123456" }),
        new(HttpMethod.Put, $"/tenant/{world.TenantId}", world.AdminToken, new() { ["tenantName"] = "Renamed", ["tenantAddress"] = "2 Road", ["tenantPhone"] = "+1 556", ["tenantEmail"] = "n@example.com" }),
        new(HttpMethod.Post, "/user", world.AdminToken, new() { ["userName"] = "odd-user", ["userEmail"] = "u@example.com", ["userRole"] = "TenantUser" }),
        new(HttpMethod.Put, $"/user/{world.UserName}", world.AdminToken, new() { ["userEmail"] = "e@example.com", ["userRole"] = "TenantUser" }),
        new(HttpMethod.Post, "/product", world.AdminToken, new() { ["name"] = "Ink", ["sku"] = "INK", ["description"] = "Blue", ["price"] = 2.5m, ["quantity"] = 10, ["backorderedLimit"] = 1 }),
        new(HttpMethod.Put, $"/product/{world.ProductId}", world.AdminToken, new() { ["name"] = "Pen", ["sku"] = "PEN-X", ["description"] = "Black", ["price"] = 1.5m, ["quantity"] = 1000, ["backorderedLimit"] = 1 }),
        new(HttpMethod.Post, "/order", world.AdminToken, new() { ["orderName"] = "Two", ["orderProducts"] = new[] { new Dictionary<string, object> { ["productId"] = world.ProductId, ["quantity"] = 1 } } }),
        new(HttpMethod.Put, $"/order/{world.OrderId}", world.AdminToken, new() { ["orderName"] = "Renamed" }),
    ];

    /// <summary>Label and raw body. "odd:field=value" variants may succeed, and then must store value verbatim.</summary>
    private static IEnumerable<(string Label, string Body)> Variants(Route route)
    {
        var valid = route.Body;
        yield return ("malformed", "{\"" + valid.Keys.First() + "\": ");
        yield return ("not an object", "[1, 2, 3]");
        yield return ("missing fields", "{}");

        // The first field twice, as sent and with a capital first letter: a second copy of a field is refused however
        // it is spelled, never "the last one wins".
        var first = valid.Keys.First();
        var rest = JsonSerializer.Serialize(valid)[1..];
        yield return ("same field twice", "{" + JsonSerializer.Serialize(first) + ":" + JsonSerializer.Serialize(valid[first]) + "," + rest);
        yield return ("same field twice in another case", "{" + JsonSerializer.Serialize(char.ToUpperInvariant(first[0]) + first[1..]) + ":" + JsonSerializer.Serialize(valid[first]) + "," + rest);
        yield return ("extra field", JsonSerializer.Serialize(new Dictionary<string, object>(valid) { ["isAdmin"] = true }));
        yield return ("one megabyte", JsonSerializer.Serialize(new Dictionary<string, object>(valid) { [valid.Keys.First()] = new string('m', 1024 * 1024) }));
        foreach (var field in valid.Keys)
        {
            yield return ($"wrong type {field}", JsonSerializer.Serialize(new Dictionary<string, object>(valid) { [field] = valid[field] is string ? 12345 : "twelve" }));
            yield return ($"object for {field}", JsonSerializer.Serialize(new Dictionary<string, object>(valid) { [field] = new { nested = true } }));
            if (valid[field] is not string)
            {
                continue;
            }

            foreach (var odd in OddStrings)
            {
                yield return ($"odd:{field}={odd}", JsonSerializer.Serialize(new Dictionary<string, object>(valid) { [field] = odd }));
            }
        }
    }

    private async Task<string> SnapshotAsync(World world)
    {
        using var admin = app.Client(world.AdminToken);
        using var system = app.Client(world.SystemToken);
        var parts = new[]
        {
            await admin.GetStringAsync($"/tenant/{world.TenantId}"),
            await admin.GetStringAsync("/users?limit=100"),
            await admin.GetStringAsync("/products?limit=100"),
            await admin.GetStringAsync("/orders?limit=100"),
            await system.GetStringAsync("/tenants?limit=100"),
        };
        return string.Join("\n", parts);
    }

    private sealed record World(string TenantId, string UserName, string ProductId, string OrderId, string AdminToken, string SystemToken, string UserToken);

    private sealed record Route(HttpMethod Method, string Path, string? Token, Dictionary<string, object> Body)
    {
        /// <summary>The route answers 202 or 204 without a body whatever it is sent, so that it tells nothing.</summary>
        public bool AnswersNothing { get; init; }
    }
}
