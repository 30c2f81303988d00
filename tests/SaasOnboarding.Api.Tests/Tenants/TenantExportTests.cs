using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tests.Tenants;

/// <summary>
/// Export and import through the HTTP API: a tenant exported, removed and imported reads back the same, and a bundle
/// the app does not understand creates nothing. Subclasses pick the store.
/// </summary>
public abstract class TenantExportTests<TApp>(TApp app)
    where TApp : AppFactory
{
    private const string NdJson = "application/x-ndjson";

    protected TApp App { get; } = app;

    /// <summary>The names of the child databases the app's store holds now (its files, its database's schemas).</summary>
    protected abstract Task<IReadOnlySet<string>> ChildDatabasesAsync();

    [Fact]
    public async Task AnExportedTenantRemovedAndImportedReadsBackTheSameAndItsUsersGetTemporaryPasswords()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(App);
        var pen = await tenant.StockAsync("PEN-" + Guid.NewGuid().ToString("N")[..6], 10.50m, 40, backorderedLimit: 5);
        var pad = await tenant.StockAsync("PAD-" + Guid.NewGuid().ToString("N")[..6], 0.10m, 7);
        var ink = await tenant.StockAsync("INK-" + Guid.NewGuid().ToString("N")[..6], 999999999.99m, 3);
        var shipped = await PlaceAsync(tenant.User, "Shipped", (pen, 2), (pad, 3));
        await (await tenant.Admin.PutAsJsonAsync($"/order/{shipped}", new { orderStatus = "shipped" })).ShouldBe(HttpStatusCode.OK);
        var cancelled = await PlaceAsync(tenant.User, "Cancelled", (ink, 1));
        await (await tenant.Admin.PutAsJsonAsync($"/order/{cancelled}", new { orderStatus = "cancelled" })).ShouldBe(HttpStatusCode.OK);
        await PlaceAsync(tenant.User, "Processing", (pen, 1), (ink, 2), (pen, 4));
        var viewer = "viewer-" + Guid.NewGuid().ToString("N")[..10];
        await App.AddUserAsync(tenant.Tenant.AdminTokens.IdToken, viewer);
        await (await tenant.Admin.DeleteAsync($"/user/{viewer}")).ShouldBe(HttpStatusCode.OK);
        var clerk = await ClerkNameAsync(tenant);
        var products = await DataPlaneTenant.ListAllAsync(tenant.Admin, "/products");
        var orders = await DataPlaneTenant.ListAllAsync(tenant.Admin, "/orders");
        using var system = App.Client((await App.SystemAdminAsync()).IdToken);

        // The admin's address is its own now, not the tenant's: the import gives the new admin the bundle's.
        await (await system.PutAsJsonAsync($"/user/{tenant.Tenant.AdminUserName}", new { userEmail = "owner@example.org" })).ShouldBe(HttpStatusCode.OK);

        // Offboarding disables every user with the tenant; the export still keeps each user's own standing.
        await (await system.PostAsync($"/tenant/{tenant.TenantId}/offboarding", null)).ShouldBe(HttpStatusCode.OK);

        var export = await system.GetAsync($"/tenant/{tenant.TenantId}/export");

        await export.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(NdJson, export.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", export.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"tenant-{tenant.TenantId}-export.jsonl", export.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Contains("no-store", export.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
        var bundle = await export.Content.ReadAsStringAsync();
        var lines = Lines(bundle);
        Assert.Equal("saas-onboarding-export", lines[0]["format"]!.GetValue<string>());
        Assert.Equal(1, lines[0]["version"]!.GetValue<int>());
        Assert.Equal(tenant.TenantId, lines[0]["tenantId"]!.GetValue<string>());
        Assert.Equal("tenant", lines[1]["type"]!.GetValue<string>());
        // Users carry no password material: these fields and no others.
        var userLines = lines.Where(line => line["type"]?.GetValue<string>() == "user").ToList();
        Assert.Equal(3, userLines.Count);
        Assert.All(userLines, user => Assert.Equal(
            ["createdAt", "email", "enabled", "status", "type", "userName", "userRole"], user.Select(field => field.Key).Order(StringComparer.Ordinal)));
        Assert.Contains("\"price\":10.50,", bundle, StringComparison.Ordinal);
        Assert.Contains("\"price\":0.10,", bundle, StringComparison.Ordinal);
        Assert.Equal("""{"type":"end","users":3,"products":3,"orders":3}""", bundle.TrimEnd('\n').Split('\n')[^1]);

        await App.PurgeNowAsync(tenant.TenantId);
        Assert.Equal(HttpStatusCode.NotFound, (await system.GetAsync($"/tenant/{tenant.TenantId}")).StatusCode);

        var import = await system.PostAsync("/tenants/import", new StringContent(bundle, Encoding.UTF8, NdJson));

        await import.ShouldBe(HttpStatusCode.Created);
        var imported = await import.Content.ReadFromJsonAsync<JsonElement>();
        var newId = imported.GetProperty("tenantId").GetString()!;
        Assert.NotEqual(tenant.TenantId, newId);
        Assert.Equal($"/tenant/{newId}", import.Headers.Location?.OriginalString);
        Assert.Equal((3, 3, 3), (imported.GetProperty("users").GetInt32(), imported.GetProperty("products").GetInt32(), imported.GetProperty("orders").GetInt32()));
        var newTenant = await system.GetFromJsonAsync<JsonElement>($"/tenant/{newId}");
        Assert.Equal(tenant.Tenant.TenantName, newTenant.GetProperty("tenantName").GetString());
        Assert.Equal("+1 555 0100", newTenant.GetProperty("tenantPhone").GetString());
        Assert.True(newTenant.GetProperty("isActive").GetBoolean());
        Assert.Contains(App.Logs.Lines, line => line.Contains($"Registered tenant {newId} on tier {newTenant.GetProperty("tenantTier").GetString()} (import)", StringComparison.Ordinal));

        // The users again, each with a new temporary password that the provider mailed and the answer does not carry.
        var admin = "tenant-admin-" + newId;
        Assert.Equal(admin, imported.GetProperty("tenantAdminUserName").GetString());
        var users = (await system.GetFromJsonAsync<JsonElement>($"/users?tenantId={newId}")).GetProperty("items").EnumerateArray()
            .ToDictionary(user => user.GetProperty("userName").GetString()!, user => (Enabled: user.GetProperty("enabled").GetBoolean(), Status: user.GetProperty("status").GetString()));
        Assert.Equal(new[] { admin, clerk, viewer }.Order(StringComparer.Ordinal), users.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((true, "FORCE_CHANGE_PASSWORD"), users[admin]);
        Assert.Equal((true, "FORCE_CHANGE_PASSWORD"), users[clerk]);
        Assert.False(users[viewer].Enabled);
        var adminPassword = await App.TemporaryPasswordAsync(admin);
        Assert.DoesNotContain(adminPassword, await import.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(App.Logs.Lines, line => line.Contains(adminPassword, StringComparison.Ordinal));
        Assert.Equal("owner@example.org", (await system.GetFromJsonAsync<JsonElement>($"/user/{admin}")).GetProperty("email").GetString());
        var adminTokens = await App.FirstSignInAsync(admin);

        // The other users are the tenant's: their tokens are served.
        using (var clerkClient = App.Client((await App.FirstSignInAsync(clerk)).IdToken))
        {
            await (await clerkClient.GetAsync("/products")).ShouldBe(HttpStatusCode.OK);
        }

        // Every product and order reads back the same: ids, fields, stock, dates, lines and statuses.
        using var newAdmin = App.Client(adminTokens.IdToken);
        Assert.Equal(products.Select(product => product.GetRawText()), (await DataPlaneTenant.ListAllAsync(newAdmin, "/products")).Select(product => product.GetRawText()));
        Assert.Equal(orders.Select(order => order.GetRawText()), (await DataPlaneTenant.ListAllAsync(newAdmin, "/orders")).Select(order => order.GetRawText()));
        Assert.Equal(40 - 2 - 1 - 4, (await newAdmin.GetFromJsonAsync<JsonElement>($"/product/{pen}")).GetProperty("quantity").GetInt32());
        Assert.Equal("shipped", (await newAdmin.GetFromJsonAsync<JsonElement>($"/order/{shipped}")).GetProperty("status").GetString());

        // And it is a tenant like any other: its orders take stock.
        await PlaceAsync(newAdmin, "After import", (pad, 4));
        Assert.Equal(0, (await newAdmin.GetFromJsonAsync<JsonElement>($"/product/{pad}")).GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task ABundleTheAppDoesNotUnderstandIsRefusedNamingTheLineAndFieldAndCreatesNothing()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(App);
        var first = await tenant.StockAsync("A-" + Guid.NewGuid().ToString("N")[..6], 1.25m, 10);
        await tenant.StockAsync("B-" + Guid.NewGuid().ToString("N")[..6], 2m, 10);
        await PlaceAsync(tenant.User, "One", (first, 1));
        using var system = App.Client((await App.SystemAdminAsync()).IdToken);
        var clerk = await ClerkNameAsync(tenant);
        var bundle = await (await system.GetAsync($"/tenant/{tenant.TenantId}/export")).Content.ReadAsStringAsync();
        var name = "Refused " + Guid.NewGuid().ToString("N")[..10];
        var lines = Lines(bundle);
        lines[1]["tenantName"] = name;

        // The bundle's users are still there under their names; a refused import must not even look at them.
        await RemoveUserForReimportAsync(clerk);
        var productLines = Enumerable.Range(0, lines.Count).Where(i => lines[i]["type"]?.GetValue<string>() == "product").ToList();
        var orderLine = lines.FindIndex(line => line["type"]?.GetValue<string>() == "order");
        var cases = new (string Case, Func<List<string>, List<string>> Change, int Line, string Field)[]
        {
            ("unknown version", text => Set(text, 0, "version", JsonValue.Create(2)), 1, "version"),
            ("no format", text => Set(text, 0, "format", null), 1, "format"),
            ("not JSON", text => Replace(text, 2, "{\"type\":\"user\","), 3, "body"),
            ("not an object", text => Replace(text, 2, "[1,2]"), 3, "body"),
            ("unknown type", text => Replace(text, orderLine, """{"type":"invoice","id":"1"}"""), orderLine + 1, "type"),
            ("unknown field", text => Set(text, productLines[0], "colour", JsonValue.Create("red")), productLines[0] + 1, "colour"),
            ("price not exact", text => Set(text, productLines[0], "price", JsonNode.Parse("10.005")), productLines[0] + 1, "price"),
            ("negative stock", text => Set(text, productLines[1], "quantity", JsonValue.Create(-1)), productLines[1] + 1, "quantity"),
            ("SKU twice", text => Set(text, productLines[1], "sku", JsonValue.Create(lines[productLines[0]]["sku"]!.GetValue<string>().ToLowerInvariant())), productLines[1] + 1, "sku"),
            ("order status unknown, after valid products", text => Set(text, orderLine, "status", JsonValue.Create("lost")), orderLine + 1, "status"),
            ("order line price missing", text => RemoveLinePrice(text, orderLine), orderLine + 1, "orderProducts[0].price"),
            ("cut short", text => [.. text.Take(text.Count - 1)], lines.Count, "type"),
            ("end count wrong", text => Set(text, text.Count - 1, "products", JsonValue.Create(3)), lines.Count, "products"),
        };
        var before = await ChildDatabasesAsync();
        var catalog = App.Services.GetRequiredService<ITenantCatalog>();
        var directory = App.Services.GetRequiredService<IUserDirectory>();

        foreach (var (@case, change, line, field) in cases)
        {
            var body = string.Join('\n', change(Texts(lines))) + "\n";
            var response = await system.PostAsync("/tenants/import", new StringContent(body, Encoding.UTF8, NdJson));

            var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest);
            Assert.True(line == problem.GetProperty("line").GetInt32(), $"{@case}: {problem}");
            Assert.True(field == problem.GetProperty("field").GetString(), $"{@case}: {problem}");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{@case}: {problem}");
        }

        var unsupported = await system.PostAsync("/tenants/import", new StringContent(bundle, Encoding.UTF8, "application/json"));
        await unsupported.ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);

        Assert.Empty((await catalog.ListTenantsAsync(10, null, name, null, default)).Items);
        Assert.DoesNotContain(await catalog.ListJournalsAsync(default), journal => journal.TenantName == name);
        Assert.Equal(before, await ChildDatabasesAsync());
        Assert.Null(await directory.GetUserAsync(UserPool.Tenant, clerk, default));
    }

    [Fact]
    public async Task AnImportOfATakenTenantNameOrUserNameAnswers409AndCreatesNothing()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(App);
        await tenant.StockAsync("T-" + Guid.NewGuid().ToString("N")[..6], 3m, 1);
        using var system = App.Client((await App.SystemAdminAsync()).IdToken);
        var bundle = await (await system.GetAsync($"/tenant/{tenant.TenantId}/export")).Content.ReadAsStringAsync();
        var clerk = await ClerkNameAsync(tenant);
        var before = await ChildDatabasesAsync();

        // The clerk still exists: its name is taken.
        var userTaken = await system.PostAsync("/tenants/import", new StringContent(bundle, Encoding.UTF8, NdJson));
        var problem = await userTaken.ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Equal("userName", problem.GetProperty("field").GetString());

        // Without the clerk, the tenant's own name is taken.
        await RemoveUserForReimportAsync(clerk);
        var nameTaken = await system.PostAsync("/tenants/import", new StringContent(bundle, Encoding.UTF8, NdJson));
        problem = await nameTaken.ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Equal("tenantName", problem.GetProperty("field").GetString());

        Assert.Equal(before, await ChildDatabasesAsync());
        Assert.Null(await App.Services.GetRequiredService<IUserDirectory>().GetUserAsync(UserPool.Tenant, clerk, default));
        Assert.Single((await App.Services.GetRequiredService<ITenantCatalog>().ListTenantsAsync(10, null, tenant.Tenant.TenantName, null, default)).Items);
    }

    [Fact]
    public async Task AnEmptyTenantExportsItsRecordItsAdminAndZeroCounts()
    {
        var tenant = await App.OnboardAsync();
        using var admin = App.Client(tenant.AdminTokens.IdToken);

        var export = await admin.GetAsync($"/tenant/{tenant.TenantId}/export");

        await export.ShouldBe(HttpStatusCode.OK);
        var lines = Lines(await export.Content.ReadAsStringAsync());
        Assert.Equal(4, lines.Count);
        Assert.Equal(tenant.TenantId, lines[1]["id"]!.GetValue<string>());
        Assert.Equal(tenant.AdminUserName, lines[2]["userName"]!.GetValue<string>());
        Assert.Equal("TenantAdmin", lines[2]["userRole"]!.GetValue<string>());
        Assert.Equal("""{"type":"end","users":1,"products":0,"orders":0}""", lines[3].ToJsonString());
    }

    [Fact]
    public async Task AnInactiveTenantStillExportsAndOnlyItsOwnAdminOrTheProviderMayDownloadIt()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(App);
        var other = await App.OnboardAsync();
        using var otherAdmin = App.Client(other.AdminTokens.IdToken);
        using var system = App.Client((await App.SystemAdminAsync()).IdToken);

        Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.GetAsync($"/tenant/{tenant.TenantId}/export")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.User.GetAsync($"/tenant/{tenant.TenantId}/export")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.Admin.PostAsync("/tenants/import", new StringContent("", Encoding.UTF8, NdJson))).StatusCode);

        await (await system.DeleteAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);
        var export = await system.GetAsync($"/tenant/{tenant.TenantId}/export");
        await export.ShouldBe(HttpStatusCode.OK);
        Assert.False(Lines(await export.Content.ReadAsStringAsync())[1]["isActive"]!.GetValue<bool>());
    }

    private async Task RemoveUserForReimportAsync(string userName)
    {
        await App.Services.GetRequiredService<IUserDirectory>().DeleteUserAsync(UserPool.Tenant, userName, default);
        await App.Services.GetRequiredService<ITenantCatalog>().RemoveTenantUserAsync(userName, default);
    }

    private static async Task<string> ClerkNameAsync(DataPlaneTenant tenant) =>
        (await tenant.Admin.GetFromJsonAsync<JsonElement>("/users?limit=100")).GetProperty("items").EnumerateArray()
            .Select(user => user.GetProperty("userName").GetString()!)
            .Single(userName => userName.StartsWith("clerk-", StringComparison.Ordinal));

    private static async Task<string> PlaceAsync(HttpClient client, string name, params (string ProductId, int Quantity)[] lines)
    {
        var response = await client.PostAsJsonAsync("/order", new { orderName = name, orderProducts = lines.Select(line => new { productId = line.ProductId, quantity = line.Quantity }) });
        await response.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static List<JsonObject> Lines(string bundle) =>
        [.. bundle.TrimEnd('\n').Split('\n').Select(line => JsonNode.Parse(line)!.AsObject())];

    private static List<string> Texts(List<JsonObject> lines) => [.. lines.Select(line => line.ToJsonString())];

    private static List<string> Set(List<string> text, int index, string field, JsonNode? value)
    {
        var line = JsonNode.Parse(text[index])!.AsObject();
        line[field] = value;
        text[index] = line.ToJsonString();
        return text;
    }

    private static List<string> Replace(List<string> text, int index, string line)
    {
        text[index] = line;
        return text;
    }

    private static List<string> RemoveLinePrice(List<string> text, int index)
    {
        var line = JsonNode.Parse(text[index])!.AsObject();
        line["orderProducts"]![0]!.AsObject().Remove("price");
        text[index] = line.ToJsonString();
        return text;
    }
}

[Collection(SharedEmbeddedApp.Name)]
public sealed class EmbeddedTenantExportTests(EmbeddedApp app) : TenantExportTests<EmbeddedApp>(app)
{
    protected override Task<IReadOnlySet<string>> ChildDatabasesAsync() =>
        Task.FromResult<IReadOnlySet<string>>(Directory.GetFiles(App.DataDirectory, "tenant_*").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal)!);
}

[Collection(SharedPostgresApp.Name)]
public sealed class PostgresTenantExportTests(PostgresApp app) : TenantExportTests<PostgresApp>(app)
{
    protected override async Task<IReadOnlySet<string>> ChildDatabasesAsync()
    {
        // The schemas of this test database only: roles are the server's, which other test processes share.
        await using var command = App.Database.DataSource.CreateCommand("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'");
        await using var reader = await command.ExecuteReaderAsync();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
