using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tests.Scaling;

/// <summary>
/// The tenant pool's group quota (10,000 in Cognito), here a quota of <see cref="Quota"/> groups that a directory over
/// the real local one enforces (<see cref="GroupQuotaDirectory"/>). With a group per tenant the registration past the
/// quota is refused with a problem and leaves nothing; without, registrations go past it and every feature that lists
/// a tenant's users reads them from the catalog's mappings.
/// </summary>
public sealed class GroupQuotaTests : IDisposable
{
    private const int Quota = 2;

    private readonly string _directory = Directory.CreateTempSubdirectory("saas-group-quota-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task WithAGroupPerTenantTheRegistrationPastTheQuotaIsRefusedWithAProblemAndLeavesNothing()
    {
        using var app = App(groupPerTenant: true);
        for (var i = 0; i < Quota; i++)
        {
            await app.RegisterAsync("Within quota " + i);
        }

        using var client = app.CreateClient();
        var refused = await client.PostAsJsonAsync("/registration", new { tenantName = "Past the quota", tenantEmail = "owner@example.com", tenantTier = "Basic" });

        var problem = await refused.ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Identity provider quota reached", problem.GetProperty("title").GetString());
        Assert.Contains("Identity:GroupPerTenant", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var catalog = app.Services.GetRequiredService<ITenantCatalog>();
        Assert.Empty((await catalog.ListTenantsAsync(10, null, "Past the quota", TenantStatus.Provisioning, default)).Items);
        Assert.Empty((await catalog.ListTenantsAsync(10, null, "Past the quota", null, default)).Items);
        Assert.Empty(await catalog.ListJournalsAsync(default));
        Assert.Equal(Quota, Directory.GetFiles(_directory, "tenant_*.db").Length);
        var directory = app.Services.GetRequiredService<IUserDirectory>();
        Assert.Equal(Quota, (await directory.ListUsersAsync(UserPool.Tenant, 60, null, default)).Items.Count);
        Assert.Equal(Quota, ((GroupQuotaDirectory)directory).Groups);
    }

    [Fact]
    public async Task WithoutGroupsRegistrationsGoPastTheQuotaAndUsersBulkChangesExportImportAndPurgeWorkFromTheCatalog()
    {
        using var app = App(groupPerTenant: false);
        var tenants = new List<OnboardedTenant>();
        for (var i = 0; i < Quota + 2; i++)
        {
            tenants.Add(await app.OnboardAsync("Past quota " + i));
        }

        var directory = app.Services.GetRequiredService<IUserDirectory>();
        Assert.Equal(0, ((GroupQuotaDirectory)directory).Groups);
        var tenant = tenants[^1];
        var neighbour = tenants[0];
        await Assert.ThrowsAsync<DirectoryException>(() => directory.ListUsersInGroupAsync(UserPool.Tenant, tenant.TenantId, 10, null, default));
        var clerk = "clerk-" + tenant.TenantId[..8];
        var keeper = "keeper-" + tenant.TenantId[..8];
        await app.AddUserAsync(tenant.AdminTokens.IdToken, clerk);
        await app.AddUserAsync(tenant.AdminTokens.IdToken, keeper, "TenantAdmin");
        using var admin = app.Client(tenant.AdminTokens.IdToken);
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        string[] users = [.. new[] { tenant.AdminUserName, clerk, keeper }.Order(StringComparer.Ordinal)];

        // Listed from the mappings, page by page, by the tenant's admin and by provider staff; another tenant's apart.
        Assert.Equal(users, await NamesAsync(admin, "/users?limit=100"));
        Assert.Equal(users, await NamesAsync(system, $"/users?limit=100&tenantId={tenant.TenantId}"));
        var first = await system.GetFromJsonAsync<JsonElement>($"/users?limit=2&tenantId={tenant.TenantId}");
        var second = await system.GetFromJsonAsync<JsonElement>($"/users?limit=2&tenantId={tenant.TenantId}&nextToken={Uri.EscapeDataString(first.GetProperty("nextToken").GetString()!)}");
        Assert.Equal(users, Names(first).Concat(Names(second)).ToArray());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextToken").ValueKind);
        Assert.Equal([neighbour.AdminUserName], await NamesAsync(system, $"/users?limit=100&tenantId={neighbour.TenantId}"));
        await (await system.GetAsync($"/users?tenantId={TenantIds.New()}")).ShouldBeProblem(HttpStatusCode.NotFound);

        // The last-admin rule reads the tenant's users too: with two admins one may be disabled.
        await (await admin.DeleteAsync($"/user/{keeper}")).ShouldBe(HttpStatusCode.OK);

        // Bulk disable and enable, deactivation and activation reach every user.
        var disabled = await (await system.PutAsync($"/users/disable/{tenant.TenantId}", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(users, disabled.GetProperty("userNames").EnumerateArray().Select(name => name.GetString()!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(users.Select(_ => false), await EnabledAsync(directory, users));
        await (await system.PutAsync($"/users/enable/{tenant.TenantId}", null)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(users.Select(_ => true), await EnabledAsync(directory, users));
        await (await system.DeleteAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(users.Select(_ => false), await EnabledAsync(directory, users));
        await (await system.PutAsync($"/tenant/activation/{tenant.TenantId}", null)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(users.Select(_ => true), await EnabledAsync(directory, users));

        // The export names every user; after the purge removed them, the import makes them again, with no group.
        var bundle = await (await system.GetAsync($"/tenant/{tenant.TenantId}/export")).Content.ReadAsStringAsync();
        Assert.Equal(users.Length, bundle.Split('\n').Count(line => line.Contains("\"type\":\"user\"", StringComparison.Ordinal)));
        await app.PurgeNowAsync(tenant.TenantId);
        var catalog = app.Services.GetRequiredService<ITenantCatalog>();
        foreach (var userName in users)
        {
            Assert.Null(await directory.GetUserAsync(UserPool.Tenant, userName, default));
            Assert.Null(await catalog.GetTenantUserAsync(userName, default));
        }

        Assert.NotNull(await directory.GetUserAsync(UserPool.Tenant, neighbour.AdminUserName, default));
        var imported = await system.PostAsync("/tenants/import", new StringContent(bundle, Encoding.UTF8, "application/x-ndjson"));
        await imported.ShouldBe(HttpStatusCode.Created);
        var importedId = (await imported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tenantId").GetString()!;
        var importedUsers = await NamesAsync(system, $"/users?limit=100&tenantId={importedId}");
        Assert.Equal([.. new[] { clerk, keeper, "tenant-admin-" + importedId }.Order(StringComparer.Ordinal)], importedUsers);
        Assert.Equal(0, ((GroupQuotaDirectory)directory).Groups);
    }

    [Fact]
    public void AGroupPerTenantSettingThatIsNotABooleanStopsTheStart()
    {
        var message = StartupFailures.MessageOf(() => new AppFactory(_directory, new Dictionary<string, string?> { ["Identity:GroupPerTenant"] = "sometimes" }));

        Assert.Contains("Identity:GroupPerTenant is 'sometimes'; it must be true or false.", message, StringComparison.Ordinal);
    }

    private AppFactory App(bool groupPerTenant) => new(
        _directory,
        new Dictionary<string, string?> { ["Identity:GroupPerTenant"] = groupPerTenant ? "true" : "false" },
        services => GroupQuotaDirectory.Install(services, Quota));

    private static async Task<bool[]> EnabledAsync(IUserDirectory directory, string[] userNames) =>
        await Task.WhenAll(userNames.Select(async userName => (await directory.GetUserAsync(UserPool.Tenant, userName, default))!.Enabled));

    private static string[] Names(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(user => user.GetProperty("userName").GetString()!)];

    private static async Task<string[]> NamesAsync(HttpClient client, string path) =>
        [.. Names(await client.GetFromJsonAsync<JsonElement>(path)).Order(StringComparer.Ordinal)];
}
