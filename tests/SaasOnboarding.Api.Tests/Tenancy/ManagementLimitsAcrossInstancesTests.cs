namespace SaasOnboarding.Api.Tests.Tenancy;

/// <summary>
/// Two instances of the app on one PostgreSQL catalog (and one local identity directory): a caller's and a tenant's
/// management budgets are counted in the store, so that calls spread over both instances spend one budget, not two.
/// </summary>
public sealed class ManagementLimitsAcrossInstancesTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("saas-management-limits-").FullName;

    public Task InitializeAsync() => _database.InitializeAsync();

    [Fact]
    public async Task ACallersAndATenantsManagementCallsSpreadOverTwoInstancesSpendOneBudget()
    {
        using var one = Instance();
        using var two = Instance();
        var tenant = await one.OnboardAsync();
        using var firstOnOne = one.Client(tenant.AdminTokens.IdToken);
        using var firstOnTwo = two.Client(tenant.AdminTokens.IdToken);

        // The caller's four calls, alternating between the instances: each instance alone would grant four.
        var servedToCaller = 0;
        for (var i = 0; i < 8; i++)
        {
            servedToCaller += await ServedAsync(i % 2 == 0 ? firstOnOne : firstOnTwo, "/users");
        }

        Assert.Equal(4, servedToCaller);

        // Provider staff have no tenant; a second caller of the tenant finds the tenant's six calls spent but two.
        using var staffOnTwo = two.Client((await two.TokensForAsync("admin", "operations")).IdToken);
        var created = await staffOnTwo.PostAsJsonAsync("/user", new { userName = "second-" + tenant.TenantId[..8], userEmail = "s@example.com", userRole = "TenantAdmin", tenantId = tenant.TenantId });
        await created.ShouldBe(HttpStatusCode.Created);
        var secondTokens = await one.TokensForAsync("second-" + tenant.TenantId[..8]);
        using var secondOnOne = one.Client(secondTokens.IdToken);
        using var secondOnTwo = two.Client(secondTokens.IdToken);
        var servedToTenant = 0;
        for (var i = 0; i < 6; i++)
        {
            servedToTenant += await ServedAsync(i % 2 == 0 ? secondOnTwo : secondOnOne, $"/tenant/{tenant.TenantId}");
        }

        Assert.Equal(2, servedToTenant);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<int> ServedAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return 1;
        }

        await response.ShouldBeProblem(HttpStatusCode.TooManyRequests);
        return 0;
    }

    private AppFactory Instance() => new(_directory, new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:Postgres:ConnectionString"] = _database.ConnectionString,
        ["RateLimits:ManagementCallerPermits"] = "4",
        ["RateLimits:ManagementTenantPermits"] = "6",
        ["RateLimits:ManagementWindow"] = "01:00:00",
    });
}
