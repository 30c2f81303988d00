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

namespace SaasOnboarding.Testing;

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
