using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tests.Infrastructure;

namespace SaasOnboarding.Api.Tests.Identity.Cognito;

/// <summary>
/// A Cognito-shaped token issuer on a loopback port: per-pool JWKS at <c>/{poolId}/.well-known/jwks.json</c>,
/// whose keys a test can rotate, ID tokens signed the way Cognito signs them, and <c>AdminGetUser</c> for the
/// users a test adds (the app reads every caller's user, its role included, from the directory).
/// </summary>
public sealed class FakeTokenIssuer : IAsyncDisposable
{
    public const string OperationsPool = "local_operations";
    public const string TenantPool = "local_tenant";
    public const string OperationsClient = "operationsclient";
    public const string TenantClient = "tenantclient";

    private readonly WebApplication _server;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Pool, string UserName), (string Role, string TenantId)> _users = new();
    private volatile RsaSecurityKey[] _published;

    private FakeTokenIssuer(WebApplication server, RsaSecurityKey first)
    {
        _server = server;
        _published = [first];
        Current = first;
    }

    public string Url { get; private set; } = string.Empty;

    /// <summary>The key new tokens are signed with.</summary>
    public RsaSecurityKey Current { get; private set; }

    private int _jwksRequests;

    /// <summary>How often a JWKS was fetched.</summary>
    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public static async Task<FakeTokenIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = builder.Build();
        var issuer = new FakeTokenIssuer(server, NewKey());
        server.MapGet("/{poolId}/.well-known/jwks.json", (string poolId) =>
        {
            Interlocked.Increment(ref issuer._jwksRequests);
            return poolId is OperationsPool or TenantPool
                ? Results.Json(new { keys = issuer._published.Select(Jwk).ToArray() })
                : Results.NotFound();
        });
        server.MapPost("/", async (HttpRequest request) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
            var pool = body.GetProperty("UserPoolId").GetString()!;
            var userName = body.GetProperty("Username").GetString()!;
            if (request.Headers["X-Amz-Target"] != "AWSCognitoIdentityProviderService.AdminGetUser" || !issuer._users.TryGetValue((pool, userName), out var user))
            {
                return Results.Text("""{"__type":"UserNotFoundException","message":"User does not exist."}""", "application/x-amz-json-1.1", statusCode: 400);
            }

            return Results.Text(
                JsonSerializer.Serialize(new
                {
                    Username = userName,
                    UserAttributes = new[]
                    {
                        new { Name = "email", Value = userName + "@example.com" },
                        new { Name = "custom:tenantId", Value = user.TenantId },
                        new { Name = "custom:userRole", Value = user.Role },
                    },
                    Enabled = true,
                    UserStatus = "CONFIRMED",
                    UserCreateDate = 1.7e9,
                }),
                "application/x-amz-json-1.1");
        });
        issuer.AddUser(OperationsPool, "admin", Roles.SystemAdmin, Roles.SystemAdminsTenantId);
        await server.StartAsync();
        issuer.Url = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return issuer;
    }

    /// <summary>A user <c>AdminGetUser</c> answers, enabled and confirmed.</summary>
    public void AddUser(string pool, string userName, string role, string tenantId) => _users[(pool, userName)] = (role, tenantId);

    /// <summary>Cognito's rotation: a new key signs from now on, and the JWKS names only it.</summary>
    public void Rotate()
    {
        Current = NewKey();
        _published = [Current];
    }

    public Dictionary<string, string?> Settings() => new()
    {
        ["Identity:Provider"] = "Cognito",
        ["Identity:Cognito:Region"] = "eu-west-1",
        ["Identity:Cognito:OperationsUserPoolId"] = OperationsPool,
        ["Identity:Cognito:OperationsClientId"] = OperationsClient,
        ["Identity:Cognito:TenantUserPoolId"] = TenantPool,
        ["Identity:Cognito:TenantClientId"] = TenantClient,
        ["Identity:Cognito:ServiceUrl"] = Url,
        ["Identity:Cognito:RetryBaseDelay"] = "00:00:00.005",
    };

    /// <summary>An ID token as Cognito issues it; each argument changes one thing a validator must check.</summary>
    public string IdToken(
        string pool,
        string userName,
        string role,
        string tenantId,
        string? audience = null,
        string tokenUse = "id",
        TimeSpan? expiresIn = null,
        RsaSecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromHours(1));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = $"{Url}/{pool}",
            Audience = audience ?? (pool == OperationsPool ? OperationsClient : TenantClient),
            IssuedAt = expires < now ? expires.AddHours(-1) : now,
            NotBefore = expires < now ? expires.AddHours(-1) : now,
            Expires = expires,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = Guid.NewGuid().ToString(),
                ["cognito:username"] = userName,
                ["token_use"] = tokenUse,
                ["custom:userRole"] = role,
                ["custom:tenantId"] = tenantId,
            },
            SigningCredentials = new SigningCredentials(key ?? Current, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    private static object Jwk(RsaSecurityKey key)
    {
        var parameters = key.Rsa.ExportParameters(false);
        return new { kty = "RSA", alg = "RS256", use = "sig", kid = key.KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) };
    }
}

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
