namespace SaasOnboarding.Api.Tests.Tenancy;

/// <summary>
/// Two instances of the app on one PostgreSQL catalog (and one local identity directory), each caching tenant and
/// caller state for an hour: a role change, a disable and a deactivation made through one are applied by the other at
/// its very next request, because each request reads the tenant's access revision first.
/// </summary>
public sealed class RevocationAcrossInstancesTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("saas-revocation-").FullName;

    public Task InitializeAsync() => _database.InitializeAsync();

    [Fact]
    public async Task AChangeMadeOnOneInstanceIsAppliedByTheOtherAtItsNextRequest()
    {
        using var one = Instance();
        using var two = Instance();
        var tenant = await one.OnboardAsync();
        var userName = "moved-" + tenant.TenantId[..8];
        var user = await one.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        using var adminOnOne = one.Client(tenant.AdminTokens.IdToken);
        using var adminOnTwo = two.Client(tenant.AdminTokens.IdToken);
        using var userOnTwo = two.Client(user.IdToken);

        // Instance two reads, and caches for an hour, the user as a TenantUser and the tenant as active.
        await (await userOnTwo.GetAsync("/users")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await adminOnTwo.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);

        await (await adminOnOne.PutAsJsonAsync($"/user/{userName}", new { userRole = "TenantAdmin" })).ShouldBe(HttpStatusCode.OK);
        await (await userOnTwo.GetAsync("/users")).ShouldBe(HttpStatusCode.OK);

        await (await adminOnOne.DeleteAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);
        await (await userOnTwo.GetAsync($"/user/{userName}")).ShouldBeProblem(HttpStatusCode.Unauthorized);

        using var staffOnOne = one.Client((await one.TokensForAsync("admin", "operations")).IdToken);
        await (await staffOnOne.DeleteAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);
        await (await adminOnTwo.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private AppFactory Instance() => new(_directory, new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:Postgres:ConnectionString"] = _database.ConnectionString,
        ["Tenancy:StatusCacheDuration"] = "01:00:00",
    });
}
