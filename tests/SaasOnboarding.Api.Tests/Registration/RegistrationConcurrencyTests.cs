using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tests.Registration;

[Collection(LoadTests.Name)]
public sealed class RegistrationConcurrencyTests(EmbeddedApp app) : IClassFixture<EmbeddedApp>
{
    [Fact]
    public async Task FiftyParallelRegistrationsOfOneNameMakeExactlyOneTenant()
    {
        var name = "Race " + Guid.NewGuid().ToString("N")[..8];
        using var client = app.CreateClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            client.PostAsJsonAsync("/registration", new { tenantName = i % 2 == 0 ? name : name.ToUpperInvariant(), tenantEmail = $"r{i}@example.com", tenantTier = "Basic" })));

        Assert.Single(responses, response => response.StatusCode == HttpStatusCode.Created);
        Assert.Equal(49, responses.Count(response => response.StatusCode == HttpStatusCode.Conflict));
        var winner = await responses.Single(response => response.StatusCode == HttpStatusCode.Created).Content.ReadFromJsonAsync<Registered>();
        await AssertCompleteAsync(winner!.TenantId);

        var catalog = app.Services.GetRequiredService<ITenantCatalog>();
        Assert.Empty(await catalog.ListJournalsAsync(default));
        var system = await app.SystemAdminAsync();
        using var systemClient = app.Client(system.IdToken);
        var named = await systemClient.GetFromJsonAsync<JsonElement>($"/tenants?search={Uri.EscapeDataString(name)}");
        Assert.Single(named.GetProperty("items").EnumerateArray());
        Assert.Single(Directory.GetFiles(app.DataDirectory, "tenant_*.db"), file => file.Contains(winner.TenantId, StringComparison.Ordinal));
        TestFigures.Write("parallel-one-name", new { requests = 50, created = 1, conflicts = 49 });
    }

    [Fact]
    public async Task TwoHundredParallelRegistrationsOfDistinctNamesAllComplete()
    {
        var prefix = "Crowd " + Guid.NewGuid().ToString("N")[..6];
        using var client = app.CreateClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            client.PostAsJsonAsync("/registration", new { tenantName = $"{prefix} {i}", tenantEmail = $"c{i}@example.com", tenantTier = "Standard" })));

        foreach (var response in responses)
        {
            await response.ShouldBe(HttpStatusCode.Created);
        }

        var tenantIds = new List<string>();
        foreach (var response in responses)
        {
            tenantIds.Add((await response.Content.ReadFromJsonAsync<Registered>())!.TenantId);
        }

        Assert.Equal(200, tenantIds.Distinct().Count());
        foreach (var tenantId in tenantIds)
        {
            await AssertCompleteAsync(tenantId);
        }

        Assert.Empty(await app.Services.GetRequiredService<ITenantCatalog>().ListJournalsAsync(default));
        TestFigures.Write("parallel-distinct", new { requests = 200, created = 200, complete = 200 });
    }

    private async Task AssertCompleteAsync(string tenantId)
    {
        var catalog = app.Services.GetRequiredService<ITenantCatalog>();
        var directory = app.Services.GetRequiredService<IUserDirectory>();
        var admin = "tenant-admin-" + tenantId;
        Assert.Equal(TenantStatus.Active, (await catalog.GetTenantAsync(tenantId, default))?.Status);
        Assert.True(File.Exists(Path.Combine(app.DataDirectory, $"tenant_{tenantId}.db")));
        Assert.Equal(tenantId, (await catalog.GetTenantUserAsync(admin, default))?.TenantId);
        var user = await directory.GetUserAsync(UserPool.Tenant, admin, default);
        Assert.Equal("TenantAdmin", user?.UserRole);
        var members = await directory.ListUsersInGroupAsync(UserPool.Tenant, tenantId, 10, null, default);
        Assert.Equal(admin, Assert.Single(members.Items).UserName);
    }
}
