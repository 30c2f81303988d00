using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tests.Tenants;

/// <summary>
/// An import that fails at a step of its own (after the data is written, while its users are made, at activation)
/// is undone by the registration's compensation: no tenant, journal, child database, group or user is left, and a
/// retry succeeds.
/// </summary>
public sealed class ImportFaultTests : IClassFixture<FaultyEmbeddedApp>
{
    private readonly FaultyEmbeddedApp _app;
    private readonly FaultPlan _plan;

    public ImportFaultTests(FaultyEmbeddedApp app)
    {
        _app = app;
        _plan = app.EnableFaults();
    }

    [Fact]
    public async Task AnImportThatFailsHalfWayLeavesNothingBehindAndARetrySucceeds()
    {
        _plan.Disarm();
        using var tenant = await DataPlaneTenant.OnboardAsync(_app);
        var product = await tenant.StockAsync("F-" + Guid.NewGuid().ToString("N")[..6], 4.20m, 9);
        using (var order = await tenant.User.PostAsJsonAsync("/order", new { orderName = "F", orderProducts = new[] { new { productId = product, quantity = 2 } } }))
        {
            await order.ShouldBe(HttpStatusCode.Created);
        }

        var viewer = "viewer-" + Guid.NewGuid().ToString("N")[..10];
        await _app.AddUserAsync(tenant.Tenant.AdminTokens.IdToken, viewer);
        await (await tenant.Admin.DeleteAsync($"/user/{viewer}")).ShouldBe(HttpStatusCode.OK);
        using var system = _app.Client((await _app.SystemAdminAsync()).IdToken);
        var bundle = await (await system.GetAsync($"/tenant/{tenant.TenantId}/export")).Content.ReadAsStringAsync();
        var userNames = (await system.GetFromJsonAsync<JsonElement>($"/users?tenantId={tenant.TenantId}")).GetProperty("items").EnumerateArray()
            .Select(user => user.GetProperty("userName").GetString()!).Where(userName => !userName.StartsWith("tenant-admin-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, userNames.Count);
        await _app.PurgeNowAsync(tenant.TenantId);

        (string Call, FaultTiming Timing)[] faults =
        [
            (nameof(IUserDirectory.CreateGroupAsync), FaultTiming.Before),
            (nameof(IUserDirectory.SetUserEnabledAsync), FaultTiming.Before),
            (nameof(IUserDirectory.SetUserEnabledAsync), FaultTiming.After),
            (nameof(ITenantCatalog.SetTenantStatusAsync), FaultTiming.Before),
        ];
        foreach (var (call, timing) in faults)
        {
            while (_plan.TenantIdsSeen.TryDequeue(out _))
            {
            }

            _plan.Arm(call, timing);
            var failed = await system.PostAsync("/tenants/import", new StringContent(bundle, Encoding.UTF8, "application/x-ndjson"));

            await failed.ShouldBeProblem(HttpStatusCode.InternalServerError);
            var newId = Assert.Single(_plan.TenantIdsSeen.Distinct());
            await AssertNothingLeftAsync(newId, tenant.Tenant.TenantName, userNames, $"{call} {timing}");
        }

        _plan.Disarm();
        var retry = await system.PostAsync("/tenants/import", new StringContent(bundle, Encoding.UTF8, "application/x-ndjson"));
        await retry.ShouldBe(HttpStatusCode.Created);
    }

    private async Task AssertNothingLeftAsync(string tenantId, string tenantName, List<string> userNames, string fault)
    {
        var catalog = _app.Services.GetRequiredService<ITenantCatalog>();
        var directory = _app.Services.GetRequiredService<IUserDirectory>();
        Assert.True(await catalog.GetTenantAsync(tenantId, default) is null, fault);
        Assert.Empty((await catalog.ListTenantsAsync(10, null, tenantName, null, default)).Items);
        Assert.DoesNotContain(await catalog.ListJournalsAsync(default), journal => journal.TenantId == tenantId);
        Assert.Empty(Directory.GetFiles(_app.DataDirectory, $"tenant_{tenantId}*"));
        foreach (var userName in userNames.Append("tenant-admin-" + tenantId))
        {
            Assert.True(await directory.GetUserAsync(UserPool.Tenant, userName, default) is null, $"{fault}: {userName} is left");
            Assert.True(await catalog.GetTenantUserAsync(userName, default) is null, $"{fault}: {userName}'s mapping is left");
        }

        var missingGroup = await Assert.ThrowsAsync<DirectoryException>(() => directory.ListUsersInGroupAsync(UserPool.Tenant, tenantId, 10, null, default));
        Assert.Equal(DirectoryError.GroupNotFound, missingGroup.Error);
    }
}
