namespace SaasOnboarding.Api.Tests.Users;

/// <summary>
/// <c>GET /users</c> filters by role and by status as the consoles show it: invited (has not signed in yet), active,
/// disabled; a filter word it does not know answers 400 naming the parameter.
/// </summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class UserListFilterTests(EmbeddedApp app)
{
    [Fact]
    public async Task UsersAreFilteredByRoleAndByInvitedActiveOrDisabled()
    {
        var tenant = await app.OnboardAndSignInAsync();
        var suffix = tenant.TenantId[..8];
        var invited = "invited-" + suffix;
        var active = "active-" + suffix;
        var disabled = "disabled-" + suffix;
        await app.AddUserAsync(tenant.AdminTokens.IdToken, invited);
        await app.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, active);
        await app.AddUserAsync(tenant.AdminTokens.IdToken, disabled);
        using var admin = app.Client(tenant.AdminTokens.IdToken);
        await (await admin.DeleteAsync($"/user/{disabled}")).ShouldBe(HttpStatusCode.OK);
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);

        async Task<string[]> NamesAsync(HttpClient client, string query) =>
            [.. (await client.GetFromJsonAsync<JsonElement>("/users?limit=100&" + query)).GetProperty("items").EnumerateArray()
                .Select(user => user.GetProperty("userName").GetString()!).Order(StringComparer.Ordinal)];

        var tenantQuery = "tenantId=" + tenant.TenantId;
        Assert.Equal([invited], await NamesAsync(system, tenantQuery + "&status=Invited"));
        Assert.Equal(new[] { active, tenant.AdminUserName }.Order(StringComparer.Ordinal), await NamesAsync(system, tenantQuery + "&status=active"));
        Assert.Equal([disabled], await NamesAsync(system, tenantQuery + "&status=Disabled"));
        Assert.Equal([tenant.AdminUserName], await NamesAsync(system, tenantQuery + "&role=TenantAdmin"));
        Assert.Equal([active], await NamesAsync(system, tenantQuery + "&role=TenantUser&status=Active"));

        // A tenant admin filters its own tenant's users the same way.
        Assert.Equal([invited], await NamesAsync(admin, "status=Invited"));

        await (await system.GetAsync("/users?status=1")).ShouldNameFields("status");
        await (await system.GetAsync("/users?status=FORCE_CHANGE_PASSWORD")).ShouldNameFields("status");
        await (await system.GetAsync("/users?role=SystemAdmin")).ShouldNameFields("role");
    }
}
