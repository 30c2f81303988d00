namespace SaasOnboarding.Api.Tests.Tenancy;

/// <summary>Each tenant has its own data-plane budget, sized by its tier.</summary>
public sealed class TenantRateLimitTests(TenantRateLimitTests.App app) : IClassFixture<TenantRateLimitTests.App>
{
    private readonly App _app = app;

    [Fact]
    public async Task TenantBeyondItsTierBudgetGets429WhileAnotherTenantIsServed()
    {
        var basic = await _app.OnboardAsync(tier: "Basic");
        var premium = await _app.OnboardAsync(tier: "Premium");
        using var basicClient = _app.Client(basic.AdminTokens.IdToken);
        using var premiumClient = _app.Client(premium.AdminTokens.IdToken);

        Assert.Equal(4, await CountServedAsync(basicClient, 12));
        var refused = await basicClient.GetAsync("/products");
        await refused.ShouldBeProblem(HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused.Headers.RetryAfter);

        // The basic tenant's burst did not spend the premium tenant's budget, which is larger.
        Assert.Equal(8, await CountServedAsync(premiumClient, 12));

        // The shared services are not part of the data-plane budget.
        await (await basicClient.GetAsync($"/tenant/{basic.TenantId}")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RaisingTheTierRaisesTheBudgetAtOnce()
    {
        var tenant = await _app.OnboardAsync(tier: "Basic");
        using var client = _app.Client(tenant.AdminTokens.IdToken);
        Assert.Equal(4, await CountServedAsync(client, 6));

        var system = await _app.SystemAdminAsync();
        using var systemClient = _app.Client(system.IdToken);
        await (await systemClient.PutAsJsonAsync($"/tenant/{tenant.TenantId}", new { tenantTier = "Platinum" })).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(10, await CountServedAsync(client, 12));
    }

    private static async Task<int> CountServedAsync(HttpClient client, int attempts)
    {
        var served = 0;
        for (var i = 0; i < attempts; i++)
        {
            var response = await client.GetAsync("/products");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                served++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            }
        }

        return served;
    }

    /// <summary>Small budgets per tier; each test spends those of tenants of its own.</summary>
    public sealed class App() : AppFactory(null, new Dictionary<string, string?>
    {
        ["RateLimits:TenantPermits:Basic"] = "4",
        ["RateLimits:TenantPermits:Standard"] = "6",
        ["RateLimits:TenantPermits:Premium"] = "8",
        ["RateLimits:TenantPermits:Platinum"] = "10",
        ["RateLimits:TenantWindow"] = "00:10:00",
    });
}
