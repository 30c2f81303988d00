using SaasOnboarding.Api.Auth;

namespace SaasOnboarding.Api.Tests.Auth;

/// <summary>
/// A user of a deactivated company who signs in with the right password is told the company is deactivated (403,
/// a problem type of its own); a wrong password, and a user disabled on its own, get the usual 401, so a stranger
/// learns nothing about the account.
/// </summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class DeactivatedCompanySignInTests(EmbeddedApp app)
{
    [Fact]
    public async Task OnlyTheRightPasswordOfADeactivatedCompanysUserHearsThatTheCompanyIsDeactivated()
    {
        var tenant = await app.OnboardAndSignInAsync();
        var loner = "loner-" + tenant.TenantId[..8];
        await app.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, loner);
        using var admin = app.Client(tenant.AdminTokens.IdToken);
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        using var anonymous = app.CreateClient();
        Task<HttpResponseMessage> SignInAsync(string userName, string password) =>
            anonymous.PostAsJsonAsync("/auth/signin", new { userName, password, pool = "tenant" });

        // A user disabled while its company is active: the usual refusal, right password or not.
        await (await admin.DeleteAsync($"/user/{loner}")).ShouldBe(HttpStatusCode.OK);
        var disabled = await (await SignInAsync(loner, ApiClient.NewPassword)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        Assert.False(disabled.TryGetProperty("type", out var type) && type.GetString() == AuthApi.TenantDeactivatedType);

        await (await system.DeleteAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);
        var problem = await (await SignInAsync(tenant.AdminUserName, ApiClient.NewPassword)).ShouldBeProblem(HttpStatusCode.Forbidden);
        Assert.Equal(AuthApi.TenantDeactivatedType, problem.GetProperty("type").GetString());
        Assert.Equal("Your company account is deactivated", problem.GetProperty("title").GetString());
        var wrong = await (await SignInAsync(tenant.AdminUserName, "Wr0ng-Passw0rd!")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        Assert.DoesNotContain("deactivated", wrong.GetRawText(), StringComparison.OrdinalIgnoreCase);

        // Reactivated, the company's users sign in again.
        await (await system.PutAsync($"/tenant/activation/{tenant.TenantId}", null)).ShouldBe(HttpStatusCode.OK);
        await (await SignInAsync(tenant.AdminUserName, ApiClient.NewPassword)).ShouldBe(HttpStatusCode.OK);
    }
}
