using System.Text;

namespace SaasOnboarding.Identity.Tests.Cognito;

/// <summary>An exported tenant, removed and imported again on cognito-local: its users are made again in the pool.</summary>
public sealed class CognitoTenantImportTests(CognitoLocalApp app) : IClassFixture<CognitoLocalApp>
{
    [Fact]
    public async Task AnImportMakesTheUsersAgainInCognitoWithTemporaryPasswords()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        var product = await tenant.StockAsync("C-" + Guid.NewGuid().ToString("N")[..6], 12.30m, 5);
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        var users = await system.GetFromJsonAsync<JsonElement>($"/users?tenantId={tenant.TenantId}");
        var clerk = users.GetProperty("items").EnumerateArray().Select(user => user.GetProperty("userName").GetString()!).Single(userName => userName.StartsWith("clerk-", StringComparison.Ordinal));
        var export = await system.GetAsync($"/tenant/{tenant.TenantId}/export");
        await export.ShouldBe(HttpStatusCode.OK);
        var bundle = await export.Content.ReadAsStringAsync();
        await app.PurgeNowAsync(tenant.TenantId);

        var import = await system.PostAsync("/tenants/import", new StringContent(bundle, Encoding.UTF8, "application/x-ndjson"));

        await import.ShouldBe(HttpStatusCode.Created);
        var newId = (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tenantId").GetString()!;
        var imported = (await system.GetFromJsonAsync<JsonElement>($"/users?tenantId={newId}")).GetProperty("items").EnumerateArray()
            .ToDictionary(user => user.GetProperty("userName").GetString()!, user => user.GetProperty("status").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["tenant-admin-" + newId] = "FORCE_CHANGE_PASSWORD", [clerk] = "FORCE_CHANGE_PASSWORD" }, imported);
        var clerkTokens = await app.FirstSignInAsync(clerk);
        using var clerkClient = app.Client(clerkTokens.IdToken);
        var read = await clerkClient.GetFromJsonAsync<JsonElement>($"/product/{product}");
        Assert.Equal("12.30", read.GetProperty("price").GetRawText());
    }
}
