using Microsoft.IdentityModel.Tokens;
using SaasOnboarding.Api.Tests.Infrastructure;
using SaasOnboarding.Api.Tests.Onboarding;

namespace SaasOnboarding.Api.Tests.Auth;

/// <summary>
/// The tokens most tests use are minted (<see cref="AppFactory.TokensForAsync"/>, with the benchmark's minter): they
/// must be the tokens a sign-in answers, apart from what differs between any two sign-ins, and be honoured only for a
/// user the directory holds.
/// </summary>
public sealed class MintedTokenTests(EmbeddedApp app) : IClassFixture<EmbeddedApp>
{
    /// <summary>Claims whose values differ between two sign-ins of one user (and <c>sub</c>, which the API does not expose).</summary>
    private static readonly string[] PerToken = ["sub", "jti", "iat", "nbf", "exp", "auth_time"];

    [Fact]
    public async Task AMintedTokenIsTheOneASignInAnswersInBothPools()
    {
        var tenant = await app.OnboardAndSignInAsync();
        var userName = "shape-" + tenant.TenantId[..8];
        var signedInUser = await app.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, userName);
        var signedInAdmin = await app.SystemAdminSignInAsync();

        foreach (var (signedIn, minted) in new[]
        {
            (tenant.AdminTokens, await app.TokensForAsync(tenant.AdminUserName)),
            (signedInUser, await app.TokensForAsync(userName)),
            (signedInAdmin, await app.TokensForAsync("admin", "operations")),
        })
        {
            AssertSameShape(signedIn.IdToken, minted.IdToken);
            AssertSameShape(signedIn.AccessToken, minted.AccessToken);
            Assert.Equal((signedIn.ExpiresIn, signedIn.TokenType), (minted.ExpiresIn, minted.TokenType));
        }

        using var user = app.Client((await app.TokensForAsync(userName)).IdToken);
        await (await user.GetAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);
        await (await user.GetAsync("/users")).ShouldBeProblem(HttpStatusCode.Forbidden);
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        await (await system.GetAsync("/tenants")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AMintedTokenIsRefusedOnceItsUserIsDisabledAndNoneIsMintedForAUserTheDirectoryDoesNotHold()
    {
        var tenant = await app.OnboardAsync();
        var userName = "minted-" + tenant.TenantId[..8];
        var user = await app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        using var client = app.Client(user.IdToken);
        await (await client.GetAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);

        using var admin = app.Client(tenant.AdminTokens.IdToken);
        await (await admin.DeleteAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);

        await (await client.GetAsync($"/user/{userName}")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.TokensForAsync(userName));
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.TokensForAsync("nobody-" + tenant.TenantId[..8]));
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.TokensForAsync(tenant.AdminUserName, "operations"));
    }

    private static void AssertSameShape(string signedIn, string minted)
    {
        var (signedInHeader, signedInPayload) = Decode(signedIn);
        var (mintedHeader, mintedPayload) = Decode(minted);
        Assert.Equal(Flat(signedInHeader), Flat(mintedHeader));
        Assert.Equal(
            signedInPayload.Keys.Order(StringComparer.Ordinal),
            mintedPayload.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, value) in signedInPayload.Where(claim => !PerToken.Contains(claim.Key)))
        {
            Assert.True(value.ToString() == mintedPayload[name].ToString(), $"{name}: signed in {value}, minted {mintedPayload[name]}");
        }

        foreach (var name in PerToken.Where(signedInPayload.ContainsKey))
        {
            Assert.Equal(signedInPayload[name].ValueKind, mintedPayload[name].ValueKind);
        }

        Assert.Equal(
            signedInPayload["exp"].GetInt64() - signedInPayload["iat"].GetInt64(),
            mintedPayload["exp"].GetInt64() - mintedPayload["iat"].GetInt64());
    }

    private static string[] Flat(Dictionary<string, JsonElement> claims) =>
        [.. claims.Select(claim => claim.Key + "=" + claim.Value).Order(StringComparer.Ordinal)];

    private static (Dictionary<string, JsonElement> Header, Dictionary<string, JsonElement> Payload) Decode(string token)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        return (
            JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(parts[0]))!,
            JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(parts[1]))!);
    }
}
