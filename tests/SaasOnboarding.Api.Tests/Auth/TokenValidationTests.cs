using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Identity.Local;

namespace SaasOnboarding.Api.Tests.Auth;

/// <summary>Every kind of bad token is refused; roles are honoured only from the pool that may grant them.</summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class TokenValidationTests(EmbeddedApp app)
{
    private const string TenantIssuer = "http://localhost:5080/local-idp/local_tenant";
    private const string OperationsIssuer = "http://localhost:5080/local-idp/local_operations";
    private const string TenantClient = "local-tenant-client";
    private const string OperationsClient = "local-operations-client";

    public static TheoryData<string> ForgedTokenKinds() =>
    [
        "alg-none", "hs256-with-public-key", "bad-signature", "expired", "not-yet-valid", "wrong-issuer",
        "wrong-audience", "access-token", "unknown-kid", "other-pool-audience", "no-token-use", "other-pool-key",
        "no-expiry", "no-user-name",
    ];

    [Theory]
    [MemberData(nameof(ForgedTokenKinds))]
    public async Task ForgedOrInvalidTokenAnswers401(string kind)
    {
        var tenant = await app.OnboardAsync();
        var key = app.Services.GetRequiredService<LocalSigningKey>();
        var claims = TenantAdminClaims(tenant);
        var token = kind switch
        {
            "alg-none" => Unsigned(claims, TenantIssuer, TenantClient),
            "hs256-with-public-key" => Sign(claims, TenantIssuer, TenantClient, new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key.For(UserPool.Tenant).PublicKey.Rsa?.ExportSubjectPublicKeyInfoPem() ?? PublicPem(key))) { KeyId = key.For(UserPool.Tenant).KeyId },
                SecurityAlgorithms.HmacSha256)),
            "bad-signature" => Tamper(Sign(claims, TenantIssuer, TenantClient, key.For(UserPool.Tenant).Credentials)),
            "expired" => Sign(claims, TenantIssuer, TenantClient, key.For(UserPool.Tenant).Credentials, DateTime.UtcNow.AddHours(-3), DateTime.UtcNow.AddHours(-2)),
            "not-yet-valid" => Sign(claims, TenantIssuer, TenantClient, key.For(UserPool.Tenant).Credentials, DateTime.UtcNow.AddHours(1), DateTime.UtcNow.AddHours(2)),
            "wrong-issuer" => Sign(claims, "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_evil", TenantClient, key.For(UserPool.Tenant).Credentials),
            "wrong-audience" => Sign(claims, TenantIssuer, "someone-elses-client", key.For(UserPool.Tenant).Credentials),
            "access-token" => Sign(With(claims, "token_use", "access"), TenantIssuer, TenantClient, key.For(UserPool.Tenant).Credentials),
            "unknown-kid" => Sign(claims, TenantIssuer, TenantClient, OtherKey()),
            "other-pool-audience" => Sign(claims, TenantIssuer, OperationsClient, key.For(UserPool.Tenant).Credentials),
            "no-token-use" => Sign(Without(claims, "token_use"), TenantIssuer, TenantClient, key.For(UserPool.Tenant).Credentials),
            // The real system admin's claims and the operations pool's issuer, signed with the tenant pool's key.
            "other-pool-key" => Sign(SystemAdminClaims(), OperationsIssuer, OperationsClient, key.For(UserPool.Tenant).Credentials),
            // Signed by the pool, but without "exp": it would never expire.
            "no-expiry" => SignWithoutExpiry(claims, TenantIssuer, TenantClient, key.For(UserPool.Tenant).Credentials),
            // Signed by the pool, but naming no user the directory could be asked about.
            "no-user-name" => Sign(Without(claims, "cognito:username"), TenantIssuer, TenantClient, key.For(UserPool.Tenant).Credentials),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        // The same claims, properly signed, are accepted: so the refusal is about what was forged.
        using (var genuine = app.Client(Sign(claims, TenantIssuer, TenantClient, key.For(UserPool.Tenant).Credentials)))
        {
            await (await genuine.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);
        }

        using var client = app.Client(token);
        await (await client.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await client.GetAsync("/users")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        TestFigures.Write("token-" + kind, new { kind, status = 401 });
    }

    /// <summary>Requests without a token skip the JwtBearer handlers (a cheaper start), but are challenged by them.</summary>
    [Fact]
    public async Task MissingOrUnreadableTokenIsChallengedAsABearerScheme()
    {
        var tenant = await app.OnboardAsync();
        using var anonymous = app.CreateClient();
        var missing = await anonymous.GetAsync($"/tenant/{tenant.TenantId}");
        await missing.ShouldBeProblem(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(missing.Headers.WwwAuthenticate).ToString());

        using var garbage = app.Client("not-a-jwt");
        var unreadable = await garbage.GetAsync("/users");
        await unreadable.ShouldBeProblem(HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(unreadable.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenantPoolTokenClaimingSystemAdminIsForbiddenEverywhere()
    {
        var tenant = await app.OnboardAsync();
        var userName = "claims-sysadmin-" + tenant.TenantId[..8];
        await app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        var key = app.Services.GetRequiredService<LocalSigningKey>();
        var claims = With(With(TenantAdminClaims(tenant), "cognito:username", userName), "custom:userRole", "SystemAdmin");
        using var client = app.Client(Sign(claims, TenantIssuer, TenantClient, key.For(UserPool.Tenant).Credentials));

        // A tenant user's token, signed by the tenant pool, claiming SystemAdmin: it acts as the TenantUser the
        // directory says it is, and no SystemAdmin or admin route lets it in.
        await (await client.GetAsync("/tenants")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await client.PutAsync($"/tenant/activation/{tenant.TenantId}", null)).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await client.PutAsync($"/users/disable/{tenant.TenantId}", null)).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await client.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await client.GetAsync("/users")).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task OperationsPoolUserWithoutTheSystemAdminRoleIsForbidden()
    {
        // A staff user whose role in the operations pool is not SystemAdmin, with a token that claims SystemAdmin:
        // the directory's role is the one honoured.
        var userName = "support-" + Guid.NewGuid().ToString("N")[..8];
        var directory = app.Services.GetRequiredService<LocalUserDirectory>();
        Assert.True(await directory.TryCreateConfirmedUserAsync(
            UserPool.Operations,
            new NewDirectoryUser(userName, "support@example.com", "system_admins", "CustomerSupport"),
            AppFactory.AdminPassword,
            default));
        var key = app.Services.GetRequiredService<LocalSigningKey>();
        var claims = new Dictionary<string, object>
        {
            ["sub"] = Guid.NewGuid().ToString(),
            ["cognito:username"] = userName,
            ["token_use"] = "id",
            ["custom:tenantId"] = "system_admins",
            ["custom:userRole"] = "SystemAdmin",
        };
        using var client = app.Client(Sign(claims, OperationsIssuer, OperationsClient, key.For(UserPool.Operations).Credentials));
        await (await client.GetAsync("/tenants")).ShouldBeProblem(HttpStatusCode.Forbidden);

        // Its own token, from signing in, is forbidden too.
        using var signedIn = app.Client((await app.SignInAsync(userName, AppFactory.AdminPassword, "operations")).IdToken);
        await (await signedIn.GetAsync("/tenants")).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    /// <summary>The scheme is read case-insensitively and the token without the space around it, as JwtBearer reads them.</summary>
    [Fact]
    public async Task AStaffTokenIsHonouredWhateverTheCaseOfBearerAndTheSpaceAroundTheToken()
    {
        var system = await app.SystemAdminAsync();
        foreach (var header in new[] { $"bearer {system.IdToken}", $"BEARER   {system.IdToken}  " })
        {
            using var client = app.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/tenants");
            Assert.True(request.Headers.TryAddWithoutValidation("Authorization", header));
            await (await client.SendAsync(request)).ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task TenantTokenWithoutATenantIdIsRefused()
    {
        var tenant = await app.OnboardAsync();
        var key = app.Services.GetRequiredService<LocalSigningKey>();
        using var client = app.Client(Sign(Without(TenantAdminClaims(tenant), "custom:tenantId"), TenantIssuer, TenantClient, key.For(UserPool.Tenant).Credentials));

        // Signed by the pool, but naming no tenant: every tenant route is forbidden.
        foreach (var path in new[] { $"/tenant/{tenant.TenantId}", "/users", "/products", "/orders", $"/user/{tenant.AdminUserName}" })
        {
            await (await client.GetAsync(path)).ShouldBeProblem(HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task TenantTokenNamingAnotherTenantIsRefused()
    {
        var tenant = await app.OnboardAsync();
        var other = await app.OnboardAsync();
        var key = app.Services.GetRequiredService<LocalSigningKey>();
        using var client = app.Client(Sign(With(TenantAdminClaims(tenant), "custom:tenantId", other.TenantId), TenantIssuer, TenantClient, key.For(UserPool.Tenant).Credentials));

        // The user's mapping names its own tenant, not the one the token claims.
        await (await client.GetAsync($"/tenant/{other.TenantId}")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await client.GetAsync("/products")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TokenOfADeletedUserIsRefused()
    {
        var tenant = await app.OnboardAsync();
        var userName = "deleted-" + tenant.TenantId[..8];
        var user = await app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        var catalog = app.Services.GetRequiredService<SaasOnboarding.Api.Storage.ITenantCatalog>();
        await catalog.RemoveTenantUserAsync(userName, default);
        app.Services.GetRequiredService<SaasOnboarding.Api.Tenancy.TenantAccess>().ForgetUser(userName);

        using var client = app.Client(user.IdToken);
        await (await client.GetAsync($"/user/{userName}")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    private static Dictionary<string, object> TenantAdminClaims(OnboardedTenant tenant) => new()
    {
        ["sub"] = Guid.NewGuid().ToString(),
        ["cognito:username"] = tenant.AdminUserName,
        ["email"] = "owner@example.com",
        ["token_use"] = "id",
        ["custom:tenantId"] = tenant.TenantId,
        ["custom:userRole"] = "TenantAdmin",
    };

    private static Dictionary<string, object> SystemAdminClaims() => new()
    {
        ["sub"] = Guid.NewGuid().ToString(),
        ["cognito:username"] = "admin",
        ["token_use"] = "id",
        ["custom:tenantId"] = "system_admins",
        ["custom:userRole"] = "SystemAdmin",
    };

    private static Dictionary<string, object> With(Dictionary<string, object> claims, string name, object value) =>
        new(claims) { [name] = value };

    private static Dictionary<string, object> Without(Dictionary<string, object> claims, string name)
    {
        var copy = new Dictionary<string, object>(claims);
        copy.Remove(name);
        return copy;
    }

    private static string Sign(Dictionary<string, object> claims, string issuer, string audience, SigningCredentials credentials, DateTime? notBefore = null, DateTime? expires = null)
    {
        var start = notBefore ?? DateTime.UtcNow.AddMinutes(-1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = start,
            NotBefore = start,
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = credentials,
        });
    }

    private static string SignWithoutExpiry(Dictionary<string, object> claims, string issuer, string audience, SigningCredentials credentials)
    {
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            SigningCredentials = credentials,
        });
        Assert.False(new JsonWebToken(token).TryGetPayloadValue<long>("exp", out _));
        return token;
    }

    private static string Unsigned(Dictionary<string, object> claims, string issuer, string audience)
    {
        var payload = new Dictionary<string, object>(claims)
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
        };
        return Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload)) + ".";
    }

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, object>>(Base64UrlEncoder.Decode(parts[1]))!;
        payload["custom:userRole"] = "TenantAdmin";
        payload["email"] = "attacker@example.com";
        return parts[0] + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload)) + "." + parts[2];
    }

    private static SigningCredentials OtherKey() =>
        new(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "not-a-known-kid" }, SecurityAlgorithms.RsaSha256);

    private static string PublicPem(LocalSigningKey key)
    {
        using var rsa = RSA.Create(key.For(UserPool.Tenant).PublicKey.Parameters);
        return rsa.ExportSubjectPublicKeyInfoPem();
    }
}
