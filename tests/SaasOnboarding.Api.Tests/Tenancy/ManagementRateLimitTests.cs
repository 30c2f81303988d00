namespace SaasOnboarding.Api.Tests.Tenancy;

/// <summary>Tenant and user management is limited per caller and per tenant, like the data plane is per tenant.</summary>
public sealed class ManagementRateLimitTests : IDisposable
{
    private readonly AppFactory _app = new(null, new Dictionary<string, string?>
    {
        ["RateLimits:ManagementCallerPermits"] = "4",
        ["RateLimits:ManagementTenantPermits"] = "6",
        ["RateLimits:ManagementWindow"] = "01:00:00",
    });

    [Fact]
    public async Task ACallerAndThenItsTenantRunOutOfManagementCallsWhileOthersAreServed()
    {
        var tenant = await _app.OnboardAsync();
        using var first = _app.Client(tenant.AdminTokens.IdToken);

        // One management call (creating the second admin), then three more: the first admin's four.
        var secondTokens = await _app.AddUserAsync(tenant.AdminTokens.IdToken, "second-" + tenant.TenantId[..8], role: "TenantAdmin");
        Assert.Equal(3, await CountServedAsync(first, "/users", 3));
        var refused = await first.PostAsJsonAsync("/user", new { userName = "one-too-many", userEmail = "x@example.com", userRole = "TenantAdmin" });
        await refused.ShouldBeProblem(HttpStatusCode.TooManyRequests);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After");

        // The second admin has a budget of its own, but the tenant's (six calls) runs out after two.
        using var second = _app.Client(secondTokens.IdToken);
        Assert.Equal(2, await CountServedAsync(second, $"/tenant/{tenant.TenantId}", 4));

        // The refused call created nobody; the data plane and provider staff are not part of the tenant's budget.
        await (await second.GetAsync("/products")).ShouldBe(HttpStatusCode.OK);
        var system = await _app.SystemAdminAsync();
        using var staff = _app.Client(system.IdToken);
        await (await staff.GetAsync("/user/one-too-many")).ShouldBe(HttpStatusCode.NotFound);
        Assert.Equal(3, await CountServedAsync(staff, "/tenants", 3));
    }

    [Theory]
    [InlineData("Window", "00:00:00")]
    [InlineData("TenantWindow", "00:00:00")]
    [InlineData("TenantWindow", "-00:00:01")]
    [InlineData("ManagementWindow", "-01:00:00")]
    [InlineData("ManagementWindow", "2.00:00:00")]
    public void AWindowThatIsNotBetweenASecondAndADayStopsTheStartNamingIt(string window, string value)
    {
        var message = StartupFailures.MessageOf(() => new AppFactory(null, new Dictionary<string, string?> { ["RateLimits:" + window] = value }));

        Assert.Contains($"RateLimits:{window} must be between 00:00:01 and 1.00:00:00.", message, StringComparison.Ordinal);
    }

    public void Dispose() => _app.Dispose();

    private static async Task<int> CountServedAsync(HttpClient client, string path, int attempts)
    {
        var served = 0;
        for (var i = 0; i < attempts; i++)
        {
            var response = await client.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                served++;
            }
            else
            {
                await response.ShouldBeProblem(HttpStatusCode.TooManyRequests);
            }
        }

        return served;
    }
}
