using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Tests.Tenancy;

/// <summary>
/// The operator's <c>Tenancy:StatusCacheDuration</c> decides how long another instance's change to a tenant or a
/// user may go unseen; zero means every request reads the catalog and the directory.
/// </summary>
public sealed class TenantAccessTests
{
    [Fact]
    public async Task WithAZeroDurationEveryRequestSeesTheCatalogAsItIsNow()
    {
        using var app = new AppFactory(null, new Dictionary<string, string?> { ["Tenancy:StatusCacheDuration"] = "00:00:00" });
        Assert.Equal(TimeSpan.Zero, app.Services.GetRequiredService<IOptions<TenancyOptions>>().Value.StatusCacheDuration);
        var (tenant, userName, admin, client) = await SeenOnceAsync(app, "uncached-");
        using var adminClient = admin;
        using var userClient = client;

        // Changed behind this instance's back (as another instance would), with nothing evicted.
        var catalog = app.Services.GetRequiredService<ITenantCatalog>();
        await catalog.RemoveTenantUserAsync(userName, default);
        await (await client.GetAsync($"/user/{userName}")).ShouldBeProblem(HttpStatusCode.Unauthorized);

        await catalog.SetTenantStatusAsync(tenant.TenantId, TenantStatus.Inactive, DateTimeOffset.UtcNow, expectedUpdatedAt: null, default);
        await (await admin.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBeProblem(HttpStatusCode.Forbidden);

        // A tenant the catalog does not hold has no state.
        Assert.Null(await app.Services.GetRequiredService<TenantAccess>().GetTenantAsync(TenantIds.New(), 0, default));
    }

    [Fact]
    public async Task WithinTheConfiguredDurationAChangeMadeElsewhereIsNotSeenUntilItsEntryIsEvicted()
    {
        using var app = new AppFactory(null, new Dictionary<string, string?> { ["Tenancy:StatusCacheDuration"] = "01:00:00" });
        Assert.Equal(TimeSpan.FromHours(1), app.Services.GetRequiredService<IOptions<TenancyOptions>>().Value.StatusCacheDuration);
        var (tenant, userName, admin, client) = await SeenOnceAsync(app, "cached-");
        using var adminClient = admin;
        using var userClient = client;

        var catalog = app.Services.GetRequiredService<ITenantCatalog>();
        var access = app.Services.GetRequiredService<TenantAccess>();
        await catalog.RemoveTenantUserAsync(userName, default);
        await catalog.SetTenantStatusAsync(tenant.TenantId, TenantStatus.Inactive, DateTimeOffset.UtcNow, expectedUpdatedAt: null, default);

        // Remembered for the hour the operator set.
        await (await client.GetAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);
        await (await admin.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);

        access.ForgetUser(userName);
        await (await client.GetAsync($"/user/{userName}")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await admin.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);

        access.ForgetTenant(tenant.TenantId);
        await (await admin.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBeProblem(HttpStatusCode.Forbidden);
        Assert.Null(await access.GetTenantAsync(TenantIds.New(), 0, default));
    }

    [Fact]
    public async Task AChangeMadeElsewhereIsSeenOnceTheDurationHasPassed()
    {
        using var app = new AppFactory(null, new Dictionary<string, string?> { ["Tenancy:StatusCacheDuration"] = "00:00:00.2" });
        var tenant = await app.OnboardAsync();
        using var admin = app.Client(tenant.AdminTokens.IdToken);
        await (await admin.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);

        await app.Services.GetRequiredService<ITenantCatalog>()
            .SetTenantStatusAsync(tenant.TenantId, TenantStatus.Inactive, DateTimeOffset.UtcNow, expectedUpdatedAt: null, default);

        // Nothing is evicted: the entry expires by itself, a fraction of a second later.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var status = HttpStatusCode.OK;
        while (status == HttpStatusCode.OK && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
            status = (await admin.GetAsync($"/tenant/{tenant.TenantId}")).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task AStaffUserAndATenantUserOfTheSameNameAreCheckedApart()
    {
        using var app = new AppFactory(null, new Dictionary<string, string?> { ["Tenancy:StatusCacheDuration"] = "01:00:00" });
        var tenant = await app.OnboardAsync();
        var userName = "twin-" + tenant.TenantId[..8];
        var tenantUser = await app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        await app.Services.GetRequiredService<IUserDirectory>().CreateUserAsync(
            UserPool.Operations, new NewDirectoryUser(userName, userName + "@example.com", Roles.SystemAdminsTenantId, Roles.SystemAdmin), default);
        using var staff = app.Client((await app.TokensForAsync(userName, "operations")).IdToken);
        using var user = app.Client(tenantUser.IdToken);

        await (await staff.GetAsync("/tenants")).ShouldBe(HttpStatusCode.OK);
        await (await user.GetAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);
        await (await user.GetAsync("/tenants")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await staff.GetAsync("/products")).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    /// <summary>
    /// A tenant and a user of it, each read once through the app (so an instance that caches has them cached): the
    /// tenant's admin client and the user's client.
    /// </summary>
    private static async Task<(OnboardedTenant Tenant, string UserName, HttpClient Admin, HttpClient User)> SeenOnceAsync(AppFactory app, string userPrefix)
    {
        var tenant = await app.OnboardAsync();
        var userName = userPrefix + tenant.TenantId[..8];
        var user = await app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        var admin = app.Client(tenant.AdminTokens.IdToken);
        var client = app.Client(user.IdToken);
        await (await admin.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);
        await (await client.GetAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);
        return (tenant, userName, admin, client);
    }
}
