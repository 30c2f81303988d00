using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using SaasOnboarding.Api.Auth;

namespace SaasOnboarding.Api.Tests.Hosting;

[Collection(SharedEmbeddedApp.Name)]
public sealed class ApiSurfaceTests(EmbeddedApp app)
{
    private static readonly string[] PublicRoutes =
    [
        "/registration/", "/auth/signin", "/auth/new-password", "/auth/refresh", "/auth/forgot-password", "/auth/confirm-forgot-password",
        "/auth/mfa", "/auth/mfa/setup", "/auth/mfa/setup/verify", "/health", "/health/ready",
        "/openapi/v1.json", "/dev/mailbox", "/local-idp/{poolId}/.well-known/jwks.json", "/local-idp/{poolId}/.well-known/openid-configuration",

        // No user's: only the Lambda Web Adapter's hand-on of a schedule's event runs it, anything else is a 404.
        "/internal/events",
    ];

    /// <summary>Claims whose values differ between two sign-ins of one user, and <c>sub</c>.</summary>
    private static readonly string[] PerToken = ["sub", "jti", "iat", "nbf", "exp", "auth_time"];

    [Fact]
    public void EveryEndpointNamesAPolicyOrIsDeliberatelyPublic()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            var route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                Assert.Contains(route, PublicRoutes);
                continue;
            }

            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(data => data.Policy).Where(policy => policy is not null).ToList();
            Assert.True(policies.Count > 0, $"{endpoint.DisplayName} ({route}) has no authorization policy");
            Assert.All(policies, policy => Assert.Contains(policy, PolicyNames));
            Assert.Empty(endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
            Assert.Empty(endpoint.Metadata.GetOrderedMetadata<IAuthorizationRequirementData>());
        }
    }

    /// <summary>
    /// What the authorization services built once rely on (<c>AuthSetup.AuthorizationOnce</c>): every policy an
    /// endpoint names is made of requirements that check themselves (assertions), so the one handler is the
    /// framework's pass-through one and no handler is bound to a request's services.
    /// </summary>
    [Fact]
    public async Task EveryPolicyChecksItselfAndThePassThroughIsTheOnlyHandler()
    {
        Assert.IsType<PassThroughAuthorizationHandler>(Assert.Single(app.Services.GetServices<IAuthorizationHandler>()));
        var provider = app.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        Assert.NotEmpty(PolicyNames);
        foreach (var name in PolicyNames)
        {
            var policy = await provider.GetPolicyAsync(name);
            Assert.NotNull(policy);
            Assert.All(policy.Requirements, requirement => Assert.IsAssignableFrom<IAuthorizationHandler>(requirement));
        }
    }

    private static IEnumerable<string> PolicyNames => typeof(Policies).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(constant => constant.IsLiteral)
        .Select(constant => (string)constant.GetRawConstantValue()!);

    [Fact]
    public async Task OpenApiDocumentDescribesEveryRouteAndTheBearerScheme()
    {
        using var client = app.CreateClient();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/registration", "/auth/signin", "/tenants", "/tenant/{tenantId}", "/tenant/activation/{tenantId}", "/user", "/users", "/user/{userName}", "/users/disable/{tenantId}", "/users/enable/{tenantId}" })
        {
            Assert.True(paths.TryGetProperty(path, out _) || paths.TryGetProperty(path + "/", out _), $"{path} is missing from the OpenAPI document");
        }

        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
        var listTenants = paths.GetProperty("/tenants").GetProperty("get");
        Assert.True(listTenants.TryGetProperty("security", out _));
        Assert.True(listTenants.GetProperty("responses").TryGetProperty("401", out _));
        var signIn = paths.GetProperty("/auth/signin").GetProperty("post");
        // Anonymous: one empty requirement, which asks for no credentials.
        var anonymous = Assert.Single(signIn.GetProperty("security").EnumerateArray());
        Assert.Empty(anonymous.EnumerateObject());
        Assert.True(signIn.TryGetProperty("requestBody", out _));
        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty("RegistrationRequest", out _));
    }

    /// <summary>Nothing protects data, so no key ring is loaded (or made and written) at start.</summary>
    [Fact]
    public void DataProtectionIsNotRegistered()
    {
        Assert.Null(app.Services.GetService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>());
        Assert.DoesNotContain(
            app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(),
            service => service.GetType().Assembly.GetName().Name!.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SwaggerUiIsServed()
    {
        using var client = app.CreateClient();
        var page = await client.GetAsync("/swagger/index.html");
        await page.ShouldBe(HttpStatusCode.OK);
        Assert.Contains("swagger", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task LocalProviderPublishesDiscoveryAndKeys()
    {
        using var client = app.CreateClient();
        var discovery = await client.GetFromJsonAsync<JsonElement>("/local-idp/local_tenant/.well-known/openid-configuration");
        Assert.Equal("http://localhost:5080/local-idp/local_tenant", discovery.GetProperty("issuer").GetString());
        var keys = await client.GetFromJsonAsync<JsonElement>("/local-idp/local_tenant/.well-known/jwks.json");
        var key = Assert.Single(keys.GetProperty("keys").EnumerateArray());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        await (await client.GetAsync("/local-idp/unknown/.well-known/jwks.json")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task IdTokenIsShapedLikeCognitos()
    {
        var tenant = await app.OnboardAndSignInAsync();
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(tenant.AdminTokens.IdToken);
        Assert.Equal("RS256", token.Alg);
        Assert.Equal("http://localhost:5080/local-idp/local_tenant", token.Issuer);
        Assert.Equal("local-tenant-client", Assert.Single(token.Audiences));
        Assert.Equal("id", token.GetClaim("token_use").Value);
        Assert.Equal(tenant.AdminUserName, token.GetClaim("cognito:username").Value);
        Assert.Equal(tenant.TenantId, token.GetClaim("custom:tenantId").Value);
        Assert.Equal("TenantAdmin", token.GetClaim("custom:userRole").Value);
        Assert.Contains(token.Claims, claim => claim.Type == "cognito:groups" && claim.Value == tenant.TenantId);
        Assert.InRange(token.ValidTo - token.IssuedAt, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
    }

    /// <summary>
    /// Most tests use minted tokens (<see cref="AppFactory.TokensForAsync"/>, with the benchmark's minter): they must be
    /// the tokens a sign-in answers, in both pools, apart from what differs between any two sign-ins of a user (and
    /// <c>sub</c>, which the API does not expose).
    /// </summary>
    [Fact]
    public async Task MintedTokensAreTheOnesASignInAnswersInBothPools()
    {
        var tenant = await app.OnboardAndSignInAsync();
        var system = await app.SystemAdminSignInAsync();

        foreach (var (signedIn, minted, path) in new[]
        {
            (tenant.AdminTokens, await app.TokensForAsync(tenant.AdminUserName), $"/tenant/{tenant.TenantId}"),
            (system, await app.SystemAdminAsync(), "/tenants"),
        })
        {
            AssertSameShape(signedIn.IdToken, minted.IdToken);
            AssertSameShape(signedIn.AccessToken, minted.AccessToken);
            Assert.Equal((signedIn.ExpiresIn, signedIn.TokenType), (minted.ExpiresIn, minted.TokenType));
            using var client = app.Client(minted.IdToken);
            await (await client.GetAsync(path)).ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task NoPasswordOrTokenReachesALogLine()
    {
        var tenant = await app.OnboardAndSignInAsync();
        var temporary = await app.TemporaryPasswordAsync(tenant.AdminUserName);
        await app.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, "logged-" + tenant.TenantId[..8]);
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/auth/signin", new { userName = tenant.AdminUserName, password = "Wrong-Passw0rd!" });

        // The recovery flows: an invitation sent again, a password changed, a forgotten one reset with its code.
        var invited = "reinvited-" + tenant.TenantId[..8];
        await app.AddUserAsync(tenant.AdminTokens.IdToken, invited);
        using var admin = app.Client(tenant.AdminTokens.IdToken);
        await (await admin.PostAsync($"/user/{invited}/invitation", null)).ShouldBe(HttpStatusCode.OK);
        var resent = await app.TemporaryPasswordAsync(invited);
        await (await admin.PostAsJsonAsync("/auth/change-password", new { previousPassword = ApiClient.NewPassword, newPassword = "Chang3d-Passw0rd!" }))
            .ShouldBe(HttpStatusCode.NoContent);
        await (await client.PostAsJsonAsync("/auth/forgot-password", new { userName = tenant.AdminUserName })).ShouldBe(HttpStatusCode.Accepted);
        // The code's mail leaves after the answer.
        MailboxMessage? mail = null;
        for (var attempt = 0; mail is null && attempt < 100; attempt++)
        {
            await Task.Delay(attempt == 0 ? 0 : 100);
            mail = (await client.GetFromJsonAsync<MailboxMessage[]>("/dev/mailbox?limit=500"))!
                .FirstOrDefault(m => m.UserName == tenant.AdminUserName && m.Subject == "Your password reset code");
        }

        Assert.NotNull(mail);
        var code = System.Text.RegularExpressions.Regex.Match(mail.Body, "\\b[0-9]{6}\\b").Value;
        await (await client.PostAsJsonAsync("/auth/confirm-forgot-password", new { userName = tenant.AdminUserName, code, newPassword = "R3set-Passw0rd!" }))
            .ShouldBe(HttpStatusCode.NoContent);

        string[] secrets =
        [
            temporary, ApiClient.NewPassword, AppFactory.AdminPassword, "Wrong-Passw0rd!", tenant.AdminTokens.IdToken, tenant.AdminTokens.RefreshToken!,
            resent, "Chang3d-Passw0rd!", "R3set-Passw0rd!", code,
        ];
        Assert.NotEmpty(app.Logs.Lines);
        foreach (var line in app.Logs.Lines)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
            }
        }
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
