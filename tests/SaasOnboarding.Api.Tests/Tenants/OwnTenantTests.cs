namespace SaasOnboarding.Api.Tests.Tenants;

/// <summary>
/// <c>GET /tenant</c>: a tenant's user reads its own company's name and plan for the page header, and nothing else
/// of the tenant; every other tenant route stays closed to it.
/// </summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class OwnTenantTests(EmbeddedApp app)
{
    [Fact]
    public async Task ATenantUserReadsItsOwnTenantsNameAndPlanAndNothingElseOfAnyTenant()
    {
        var tenant = await app.OnboardAndSignInAsync("Own " + Guid.NewGuid().ToString("N")[..10], "Premium");
        var other = await app.OnboardAndSignInAsync();
        var userName = "own-" + tenant.TenantId[..8];
        var tokens = await app.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, userName);
        using var user = app.Client(tokens.IdToken);

        var own = await user.GetFromJsonAsync<JsonElement>("/tenant");

        Assert.Equal(["id", "tenantName", "tenantTier"], own.EnumerateObject().Select(property => property.Name));
        Assert.Equal(tenant.TenantId, own.GetProperty("id").GetString());
        Assert.Equal(tenant.TenantName, own.GetProperty("tenantName").GetString());
        Assert.Equal("Premium", own.GetProperty("tenantTier").GetString());
        await (await user.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await user.GetAsync($"/tenant/{other.TenantId}")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await user.GetAsync($"/tenant/{tenant.TenantId}/export")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await user.GetAsync("/tenants")).ShouldBeProblem(HttpStatusCode.Forbidden);

        // Another tenant's admin reads its own tenant through the same route, never this one.
        using var otherAdmin = app.Client(other.AdminTokens.IdToken);
        Assert.Equal(other.TenantId, (await otherAdmin.GetFromJsonAsync<JsonElement>("/tenant")).GetProperty("id").GetString());
    }
}
