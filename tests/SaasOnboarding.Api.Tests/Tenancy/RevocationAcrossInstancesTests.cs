using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tests.Tenancy;

/// <summary>
/// Two instances of the app on one PostgreSQL catalog (and one local identity directory), each caching tenant and
/// caller state for an hour: a role change, a disable and a deactivation made through one are applied by the other at
/// its very next request: a request that reads no tenant data reads the tenant's access revision first, and a read of
/// tenant data reads it in the tenant database's own round trip.
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

    [Fact]
    public async Task ARevisionMovedByTheOtherInstanceIsSeenByTheNextTenantReadWithoutASeparateRevisionRead()
    {
        var revisionReads = 0;
        using var one = Instance();
        using var two = Instance(services => CountRevisionReads(services, () => Interlocked.Increment(ref revisionReads)));
        var tenant = await one.OnboardAsync();
        var userName = "reader-" + tenant.TenantId[..8];
        var otherName = "other-" + tenant.TenantId[..8];
        var user = await one.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        await one.AddUserAsync(tenant.AdminTokens.IdToken, otherName);
        using var adminOnOne = one.Client(tenant.AdminTokens.IdToken);
        using var adminOnTwo = two.Client(tenant.AdminTokens.IdToken);
        using var userOnTwo = two.Client(user.IdToken);

        // The first read on instance two reads the revision first and caches the user and the tenant at it.
        await (await userOnTwo.GetAsync("/products")).ShouldBe(HttpStatusCode.OK);
        var separateReads = revisionReads;
        Assert.True(separateReads > 0, "the hook counts the separate revision reads");
        await (await userOnTwo.GetAsync("/products")).ShouldBe(HttpStatusCode.OK);

        // Another user's role moves the revision without changing this caller's standing: the reads stand.
        await (await adminOnOne.PutAsJsonAsync($"/user/{otherName}", new { userRole = "TenantAdmin" })).ShouldBe(HttpStatusCode.OK);
        await (await userOnTwo.GetAsync("/orders")).ShouldBe(HttpStatusCode.OK);
        await (await userOnTwo.GetAsync("/products")).ShouldBe(HttpStatusCode.OK);

        // A disable on instance one: the next read on instance two, a product listing, is refused.
        await (await adminOnOne.DeleteAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);
        await (await userOnTwo.GetAsync("/products")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        Assert.Equal(separateReads, revisionReads);

        // A deactivation on instance one: the admin's next read on instance two, an order listing, is refused.
        await (await adminOnTwo.GetAsync("/orders")).ShouldBe(HttpStatusCode.OK);
        separateReads = revisionReads;
        using var staffOnOne = one.Client((await one.TokensForAsync("admin", "operations")).IdToken);
        await (await staffOnOne.DeleteAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);
        await (await adminOnTwo.GetAsync("/orders")).ShouldBeProblem(HttpStatusCode.Forbidden);
        Assert.Equal(separateReads, revisionReads);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private AppFactory Instance(Action<IServiceCollection>? services = null) => new(
        _directory,
        new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:Postgres:ConnectionString"] = _database.ConnectionString,
            ["Tenancy:StatusCacheDuration"] = "01:00:00",
        },
        services);

    /// <summary>Calls <paramref name="counted"/> at each read of an access revision through the catalog, the separate one.</summary>
    private static void CountRevisionReads(IServiceCollection services, Action counted)
    {
        var original = services.Last(descriptor => descriptor.ServiceType == typeof(ITenantCatalog));
        services.Remove(original);
        services.AddSingleton(provider => PortHook.Wrap((ITenantCatalog)ActivatorUtilities.CreateInstance(provider, original.ImplementationType!), (method, _, call) =>
        {
            if (method == nameof(ITenantCatalog.GetAccessRevisionAsync))
            {
                counted();
            }

            return call();
        }));
    }
}
