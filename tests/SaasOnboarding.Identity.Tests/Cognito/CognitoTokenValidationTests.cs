using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SaasOnboarding.Api.Auth;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Identity.Tests.Cognito;

/// <summary>
/// JwtBearer with Cognito as the provider: ID tokens of both pools checked for signature (keys from the pool's
/// JWKS, rotation picked up without a restart), issuer, audience, token use and lifetime; SystemAdmin honoured
/// only from the operations pool. Tokens come from <see cref="FakeTokenIssuer"/>, which can rotate keys.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it once, through IAsyncLifetime.DisposeAsync.")]
public sealed class CognitoTokenValidationTests : IAsyncLifetime
{
    private FakeTokenIssuer _issuer = null!;
    private AppFactory _app = null!;

    public async Task InitializeAsync()
    {
        _issuer = await FakeTokenIssuer.StartAsync();
        _app = new AppFactory(null, _issuer.Settings(), services => CognitoLocalFixture.UseTestCredentials(services));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task AKeyRotatedAtThePoolIsPickedUpWithoutARestart()
    {
        var before = _issuer.IdToken(FakeTokenIssuer.OperationsPool, "admin", Roles.SystemAdmin, Roles.SystemAdminsTenantId);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(before));

        _issuer.Rotate();
        var after = _issuer.IdToken(FakeTokenIssuer.OperationsPool, "admin", Roles.SystemAdmin, Roles.SystemAdminsTenantId);

        // The unknown key id makes JwtBearer read the JWKS again, in the background: the request that triggers
        // it may lose, and a loaded machine may need a moment more.
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 50 && statuses.LastOrDefault() != HttpStatusCode.OK; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(100);
            }

            statuses.Add(await StatusAsync(after));
        }

        Assert.Equal(HttpStatusCode.OK, statuses[^1]);
        Assert.All(statuses.SkipLast(1), status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.True(_issuer.JwksRequests >= 2, $"JWKS read {_issuer.JwksRequests} time(s)");

        // The retired key is gone from the pool's JWKS, so its tokens no longer pass.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(before));
    }

    [Fact]
    public async Task ATokenValidatedOnceIsRememberedWhileItsKeyIsPublished()
    {
        var token = _issuer.IdToken(FakeTokenIssuer.OperationsPool, "admin", Roles.SystemAdmin, Roles.SystemAdminsTenantId);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(token));

        // From now on full validation refuses every token of the pool (no audience matches): only a remembered one passes.
        var options = _app.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(AuthSetup.OperationsScheme);
        options.TokenValidationParameters.ValidAudience = "another-client";

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(token));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(_issuer.IdToken(FakeTokenIssuer.OperationsPool, "admin", Roles.SystemAdmin, Roles.SystemAdminsTenantId)));
    }

    [Fact]
    public async Task OnlyWellFormedIdTokensOfThePoolsAreAccepted()
    {
        string Token(string? audience = null, string tokenUse = "id", TimeSpan? expiresIn = null, RsaSecurityKey? key = null) =>
            _issuer.IdToken(FakeTokenIssuer.OperationsPool, "admin", Roles.SystemAdmin, Roles.SystemAdminsTenantId, audience, tokenUse, expiresIn, key);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Token()));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(Token(audience: FakeTokenIssuer.TenantClient)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(Token(audience: "someotherclient")));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(Token(tokenUse: "access")));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(Token(expiresIn: TimeSpan.FromMinutes(-5))));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(Token(key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = _issuer.Current.KeyId })));

        // An issuer outside the two pools, even when signed with the pools' key.
        var foreign = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other",
            Audience = FakeTokenIssuer.OperationsClient,
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object> { ["cognito:username"] = "admin", ["token_use"] = "id", ["custom:userRole"] = Roles.SystemAdmin },
            SigningCredentials = new SigningCredentials(_issuer.Current, SecurityAlgorithms.RsaSha256),
        });
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(foreign));
    }

    [Fact]
    public async Task SystemAdminIsHonouredOnlyFromTheOperationsPool()
    {
        // A real, active tenant whose mapped user claims SystemAdmin in the tenant pool: the token authenticates
        // (signature, issuer, mapping all fine), but the role is not honoured there.
        var tenantId = TenantIds.New();
        var catalog = _app.Services.GetRequiredService<ITenantCatalog>();
        var now = DateTimeOffset.UtcNow;
        Assert.True(await catalog.TryInsertTenantAsync(new Tenant(tenantId, "Claims " + tenantId[..8], "c@example.com", null, null, "Basic", TenantStatus.Active, now, now), default));
        await catalog.UpsertTenantUserAsync(new TenantUserMapping(tenantId, "mallory", true), default);
        _issuer.AddUser(FakeTokenIssuer.TenantPool, "mallory", Roles.SystemAdmin, tenantId);
        _issuer.AddUser(FakeTokenIssuer.OperationsPool, "mallory", Roles.SystemAdmin, tenantId);

        var fromTenantPool = _issuer.IdToken(FakeTokenIssuer.TenantPool, "mallory", Roles.SystemAdmin, tenantId);
        var fromOperationsPool = _issuer.IdToken(FakeTokenIssuer.OperationsPool, "mallory", Roles.SystemAdmin, tenantId);

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(fromTenantPool));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(fromOperationsPool));
    }

    /// <summary>GET /tenants, which only a SystemAdmin may call.</summary>
    private async Task<HttpStatusCode> StatusAsync(string idToken)
    {
        using var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", idToken);
        using var response = await client.GetAsync("/tenants");
        return response.StatusCode;
    }
}
