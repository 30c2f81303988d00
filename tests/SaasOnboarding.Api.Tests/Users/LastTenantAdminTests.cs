namespace SaasOnboarding.Api.Tests.Users;

/// <summary>
/// A tenant always keeps an enabled TenantAdmin: demoting or disabling the last one answers 409 and changes
/// nothing, whoever asks; the provider can still deactivate the whole tenant.
/// </summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class LastTenantAdminTests(EmbeddedApp app)
{
    [Fact]
    public async Task TheLastAdminCannotBeDemotedOrDisabledByItselfOrByTheProvider()
    {
        var tenant = await app.OnboardAsync();
        using var admin = app.Client(tenant.AdminTokens.IdToken);
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);

        foreach (var client in new[] { admin, system })
        {
            var demoted = await client.PutAsJsonAsync($"/user/{tenant.AdminUserName}", new { userRole = "TenantUser", userEmail = "changed@example.com" });
            var problem = await demoted.ShouldBeProblem(HttpStatusCode.Conflict);
            Assert.Contains("last enabled TenantAdmin", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            await (await client.DeleteAsync($"/user/{tenant.AdminUserName}")).ShouldBeProblem(HttpStatusCode.Conflict);
        }

        // Nothing changed, not even the email sent with the refused role change; the admin still acts as one.
        var user = await system.GetFromJsonAsync<JsonElement>($"/user/{tenant.AdminUserName}");
        Assert.Equal(("TenantAdmin", true, "owner@example.com"), (user.GetProperty("userRole").GetString(), user.GetProperty("enabled").GetBoolean(), user.GetProperty("email").GetString()));
        await (await admin.GetAsync("/users")).ShouldBe(HttpStatusCode.OK);

        // Changing only its email is fine.
        await (await admin.PutAsJsonAsync($"/user/{tenant.AdminUserName}", new { userEmail = "new-owner@example.com" })).ShouldBe(HttpStatusCode.OK);

        // The provider still deactivates the tenant, and disables all its users.
        await (await system.PutAsync($"/users/disable/{tenant.TenantId}", null)).ShouldBe(HttpStatusCode.OK);
        await (await system.PutAsync($"/users/enable/{tenant.TenantId}", null)).ShouldBe(HttpStatusCode.OK);
        await (await system.DeleteAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnAdminCanBeDemotedOrDisabledWhileAnotherEnabledAdminRemains()
    {
        var tenant = await app.OnboardAsync();
        var second = "second-" + tenant.TenantId[..8];
        var third = "third-" + tenant.TenantId[..8];
        await app.AddUserAsync(tenant.AdminTokens.IdToken, second, "TenantAdmin");
        await app.AddUserAsync(tenant.AdminTokens.IdToken, third, "TenantAdmin");
        using var admin = app.Client(tenant.AdminTokens.IdToken);

        await (await admin.PutAsJsonAsync($"/user/{second}", new { userRole = "TenantUser" })).ShouldBe(HttpStatusCode.OK);
        await (await admin.DeleteAsync($"/user/{third}")).ShouldBe(HttpStatusCode.OK);

        // A demoted or a disabled admin does not count: the first admin is now the last.
        await (await admin.DeleteAsync($"/user/{tenant.AdminUserName}")).ShouldBeProblem(HttpStatusCode.Conflict);
        await (await admin.PutAsJsonAsync($"/user/{tenant.AdminUserName}", new { userRole = "TenantUser" })).ShouldBeProblem(HttpStatusCode.Conflict);

        // Demoting a plain user, or disabling one, is never refused.
        await (await admin.PutAsJsonAsync($"/user/{second}", new { userRole = "TenantUser" })).ShouldBe(HttpStatusCode.OK);
        await (await admin.DeleteAsync($"/user/{second}")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TwoAdminsDemotingEachOtherAtOnceLeaveOneAdmin()
    {
        for (var round = 0; round < 5; round++)
        {
            var tenant = await app.OnboardAsync();
            var other = "peer-" + tenant.TenantId[..8];
            var otherTokens = await app.AddUserAsync(tenant.AdminTokens.IdToken, other, "TenantAdmin");
            using var first = app.Client(tenant.AdminTokens.IdToken);
            using var second = app.Client(otherTokens.IdToken);

            using var start = new SemaphoreSlim(0, 2);
            async Task<HttpStatusCode> DemoteAsync(HttpClient client, string userName)
            {
                await start.WaitAsync();
                using var response = await client.PutAsJsonAsync($"/user/{userName}", new { userRole = "TenantUser" });
                return response.StatusCode;
            }

            var demotions = new[] { DemoteAsync(first, other), DemoteAsync(second, tenant.AdminUserName) };
            start.Release(2);
            var statuses = await Task.WhenAll(demotions);

            // One demotion wins; the other is refused (409 as the last admin, or 403 when its caller was
            // demoted before its request was authorized).
            Assert.Single(statuses, status => status == HttpStatusCode.OK);
            Assert.Single(statuses, status => status is HttpStatusCode.Conflict or HttpStatusCode.Forbidden);
            using var system = app.Client((await app.SystemAdminAsync()).IdToken);
            var users = await system.GetFromJsonAsync<JsonElement>($"/users?tenantId={tenant.TenantId}");
            Assert.Single(users.GetProperty("items").EnumerateArray(), user => user.GetProperty("userRole").GetString() == "TenantAdmin" && user.GetProperty("enabled").GetBoolean());
        }
    }
}
