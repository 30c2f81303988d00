namespace SaasOnboarding.Api.Tests.Tenants;

/// <summary>
/// <c>GET /tenants</c> as the provider console uses it: a search by a part of the name, the admin email or the id, a
/// filter by plan, the sort orders, the total of every page, and page tokens bound to the listing they came from.
/// </summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class TenantListTests(EmbeddedApp app)
{
    [Fact]
    public async Task TenantsAreFoundByNameEmailOrIdFilteredByPlanSortedAndCounted()
    {
        var marker = "list" + Guid.NewGuid().ToString("N")[..10];
        var basic = await app.RegisterAsync($"Basic {marker}", "Basic");
        var premium = await app.RegisterAsync($"Premium {marker}", "Premium");
        var mailed = await app.RegisterAsync("Mailed " + Guid.NewGuid().ToString("N")[..10], "Premium", $"owner.{marker}@example.com");
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);

        async Task<(string[] Ids, int Total, string? Next)> ListAsync(string query)
        {
            var page = await system.GetFromJsonAsync<JsonElement>("/tenants?" + query);
            return ([.. page.GetProperty("items").EnumerateArray().Select(tenant => tenant.GetProperty("id").GetString()!)],
                page.GetProperty("total").GetInt32(),
                page.GetProperty("nextToken").GetString());
        }

        var all = await ListAsync($"search={marker.ToUpperInvariant()}");
        Assert.Equal([basic.TenantId, mailed.TenantId, premium.TenantId], all.Ids);
        Assert.Equal(3, all.Total);
        Assert.Equal([premium.TenantId, mailed.TenantId, basic.TenantId], (await ListAsync($"search={marker}&sort=-name")).Ids);
        Assert.Equal([mailed.TenantId, premium.TenantId, basic.TenantId], (await ListAsync($"search={marker}&sort=-created")).Ids);
        Assert.Equal([basic.TenantId, mailed.TenantId, premium.TenantId], (await ListAsync($"search={marker}&sort=tier")).Ids);
        Assert.Equal([mailed.TenantId, premium.TenantId], (await ListAsync($"search={marker}&tier=premium")).Ids);
        Assert.Equal([mailed.TenantId], (await ListAsync($"search=owner.{marker}@EXAMPLE")).Ids);
        Assert.Equal([premium.TenantId], (await ListAsync($"search={premium.TenantId}")).Ids);

        // The total counts every page; the token belongs to its listing only.
        var first = await ListAsync($"search={marker}&limit=1");
        Assert.Equal(3, first.Total);
        var next = Uri.EscapeDataString(first.Next!);
        Assert.Equal([mailed.TenantId], (await ListAsync($"search={marker}&limit=1&nextToken={next}")).Ids);
        await (await system.GetAsync($"/tenants?search={marker}&limit=1&sort=created&nextToken={next}")).ShouldNameFields("nextToken");
        await (await system.GetAsync($"/tenants?search={marker}&limit=1&tier=Basic&nextToken={next}")).ShouldNameFields("nextToken");

        // The filter's old name is refused, not ignored: an older client never takes every tenant for its search.
        await (await system.GetAsync($"/tenants?name={marker}")).ShouldNameFields("name");
    }
}
