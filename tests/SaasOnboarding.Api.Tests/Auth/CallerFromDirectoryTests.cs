using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Tests.Auth;

/// <summary>
/// A request acts with what the directory holds now, not with what the token said at sign-in: a changed role
/// applies at the next request, and a staff user who was disabled or removed loses its live tokens. Subclasses
/// pick the identity provider.
/// </summary>
public abstract class CallerFromDirectoryTests<TApp>(TApp app)
    where TApp : AppFactory
{
    protected TApp App { get; } = app;

    [Fact]
    public async Task ADemotedAdminsLiveTokenLosesAdminRightsAtItsNextRequest()
    {
        var tenant = await App.OnboardAndSignInAsync();
        var deputyName = "deputy-" + tenant.TenantId[..8];
        var deputy = await App.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, deputyName, "TenantAdmin");
        using var deputyClient = App.Client(deputy.IdToken);
        await (await deputyClient.GetAsync("/users")).ShouldBe(HttpStatusCode.OK);

        using var adminClient = App.Client(tenant.AdminTokens.IdToken);
        await (await adminClient.PutAsJsonAsync($"/user/{deputyName}", new { userRole = "TenantUser" })).ShouldBe(HttpStatusCode.OK);

        // The same token, still unexpired: no admin route, no new admin; still a user of its tenant.
        await (await deputyClient.GetAsync("/users")).ShouldBeProblem(HttpStatusCode.Forbidden);
        var sneaky = await deputyClient.PostAsJsonAsync("/user", new { userName = "sneaky-" + tenant.TenantId[..8], userEmail = "s@example.com", userRole = "TenantAdmin" });
        await sneaky.ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await deputyClient.PutAsJsonAsync($"/user/{tenant.AdminUserName}", new { userRole = "TenantUser" })).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await deputyClient.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await deputyClient.GetAsync("/products")).ShouldBe(HttpStatusCode.OK);
        await (await deputyClient.GetAsync($"/user/{deputyName}")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task APromotedUsersLiveTokenGainsAdminRightsAtItsNextRequest()
    {
        var tenant = await App.OnboardAndSignInAsync();
        var clerkName = "clerk-" + tenant.TenantId[..8];
        var clerk = await App.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, clerkName);
        using var clerkClient = App.Client(clerk.IdToken);
        await (await clerkClient.GetAsync("/users")).ShouldBeProblem(HttpStatusCode.Forbidden);

        using var adminClient = App.Client(tenant.AdminTokens.IdToken);
        await (await adminClient.PutAsJsonAsync($"/user/{clerkName}", new { userRole = "TenantAdmin" })).ShouldBe(HttpStatusCode.OK);

        await (await clerkClient.GetAsync("/users")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ADisabledOrRemovedStaffUsersLiveTokenIsRefused()
    {
        var directory = App.Services.GetRequiredService<IUserDirectory>();
        var access = App.Services.GetRequiredService<TenantAccess>();
        var first = "staff-" + Guid.NewGuid().ToString("N")[..8];
        var second = "staff-" + Guid.NewGuid().ToString("N")[..8];
        using var disabledClient = App.Client((await StaffSignInAsync(first)).IdToken);
        using var removedClient = App.Client((await StaffSignInAsync(second)).IdToken);
        await (await disabledClient.GetAsync("/tenants")).ShouldBe(HttpStatusCode.OK);
        await (await removedClient.GetAsync("/tenants")).ShouldBe(HttpStatusCode.OK);

        // No route manages staff: the change is made in the directory, and seen once the cached state expires
        // (Tenancy:StatusCacheDuration); forgetting the entries stands for that wait.
        await directory.SetUserEnabledAsync(UserPool.Operations, first, false, default);
        await directory.DeleteUserAsync(UserPool.Operations, second, default);
        access.ForgetUser(UserPool.Operations, first);
        access.ForgetUser(UserPool.Operations, second);

        var refused = await disabledClient.GetAsync("/tenants");
        await refused.ShouldBeProblem(HttpStatusCode.Unauthorized);
        // RFC 6750: a token that was valid but whose user may no longer act is an invalid token, like a forged one.
        var challenge = Assert.Single(refused.Headers.WwwAuthenticate).Parameter;
        Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
        Assert.Contains("error_description=\"The token's user is disabled or no longer belongs to its tenant.\"", challenge, StringComparison.Ordinal);
        await (await removedClient.GetAsync("/tenants")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        // An anonymous route still serves the request: the revoked token only stops what needs a user.
        await (await disabledClient.GetAsync("/health")).ShouldBe(HttpStatusCode.OK);

        // Re-enabled, the same token works again: the check is made at each request, not once.
        await directory.SetUserEnabledAsync(UserPool.Operations, first, true, default);
        access.ForgetUser(UserPool.Operations, first);
        await (await disabledClient.GetAsync("/tenants")).ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>A new SystemAdmin in the operations pool, signed in.</summary>
    protected abstract Task<Tokens> StaffSignInAsync(string userName);

    protected static NewDirectoryUser Staff(string userName) =>
        new(userName, userName + "@example.com", Roles.SystemAdminsTenantId, Roles.SystemAdmin);
}

[Collection(SharedEmbeddedApp.Name)]
public sealed class EmbeddedCallerFromDirectoryTests(EmbeddedApp app) : CallerFromDirectoryTests<EmbeddedApp>(app)
{
    [Fact]
    public async Task AStaffUserTheDirectoryDoesNotHoldIsRefusedWhateverItsTokenSays()
    {
        var key = App.Services.GetRequiredService<SaasOnboarding.Api.Identity.Local.LocalSigningKey>();
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = "http://localhost:5080/local-idp/local_operations",
            Audience = "local-operations-client",
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object>
            {
                ["cognito:username"] = "ghost-" + Guid.NewGuid().ToString("N")[..8],
                ["token_use"] = "id",
                ["custom:tenantId"] = Roles.SystemAdminsTenantId,
                ["custom:userRole"] = Roles.SystemAdmin,
            },
            SigningCredentials = key.For(UserPool.Operations).Credentials,
        });
        using var client = App.Client(token);
        await (await client.GetAsync("/tenants")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    /// <summary>Most tests use minted tokens: they are honoured only while the directory holds their user, enabled.</summary>
    [Fact]
    public async Task AMintedTokenIsRefusedOnceItsUserIsDisabledAndNoneIsMintedForAUserTheDirectoryDoesNotHold()
    {
        var tenant = await App.OnboardAsync();
        var userName = "minted-" + tenant.TenantId[..8];
        using var client = App.Client((await App.AddUserAsync(tenant.AdminTokens.IdToken, userName)).IdToken);
        await (await client.GetAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);

        using var admin = App.Client(tenant.AdminTokens.IdToken);
        await (await admin.DeleteAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);

        await (await client.GetAsync($"/user/{userName}")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await Assert.ThrowsAsync<InvalidOperationException>(() => App.TokensForAsync(userName));
        await Assert.ThrowsAsync<InvalidOperationException>(() => App.TokensForAsync("nobody-" + tenant.TenantId[..8]));
        await Assert.ThrowsAsync<InvalidOperationException>(() => App.TokensForAsync(tenant.AdminUserName, "operations"));
    }

    protected override async Task<Tokens> StaffSignInAsync(string userName)
    {
        await App.Services.GetRequiredService<IUserDirectory>().CreateUserAsync(UserPool.Operations, Staff(userName), default);
        return await App.FirstSignInAsync(userName, "operations");
    }
}

[Collection(SharedCognitoLocalApp.Name)]
public sealed class CognitoLocalCallerFromDirectoryTests(CognitoLocalApp app) : CallerFromDirectoryTests<CognitoLocalApp>(app)
{
    protected override async Task<Tokens> StaffSignInAsync(string userName)
    {
        await App.Services.GetRequiredService<IUserDirectory>().CreateUserAsync(UserPool.Operations, Staff(userName), default);
        const string password = "Staff-Passw0rd!";
        await App.Cognito.SetPasswordAsync(UserPool.Operations, userName, password, permanent: true);
        return await App.SignInAsync(userName, password, "operations");
    }
}
