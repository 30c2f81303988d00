using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using SaasOnboarding.Api.Auth;

namespace SaasOnboarding.Api.Tests.Auth;

/// <summary>Remembering validated tokens saves the signature check, never a revocation or an expiry.</summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class ValidatedTokensTests(EmbeddedApp app) : IDisposable
{
    private const string Issuer = "https://issuer.test/pool";
    private const string Audience = "client";

    private static readonly string[] TwoRoles = ["TenantUser", "TenantAdmin"];

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ManualClock _clock = new() { Now = DateTimeOffset.UtcNow };

    [Fact]
    public async Task ATokenThatWorkedIsRefusedAtOnceWhenItsUserIsRemoved()
    {
        var tenant = await app.OnboardAsync();
        var userName = "cached-" + tenant.TenantId[..8];
        var user = await app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        using var client = app.Client(user.IdToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/user/{userName}")).StatusCode);

        await app.Services.GetRequiredService<SaasOnboarding.Api.Storage.ITenantCatalog>().RemoveTenantUserAsync(userName, default);
        app.Services.GetRequiredService<SaasOnboarding.Api.Tenancy.TenantAccess>().ForgetUser(userName);

        await (await client.GetAsync($"/user/{userName}")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AValidatedTokenIsNotVerifiedAgainBeforeItExpires()
    {
        using var tokens = new ValidatedTokens(_clock);
        var handler = tokens.HandlerFor("tenant");
        var token = Sign(expires: _clock.Now.AddMinutes(30));

        var first = await handler.ValidateTokenAsync(token, Parameters(Audience));
        // Parameters that would refuse it: the remembered result answers instead.
        var second = await handler.ValidateTokenAsync(token, Parameters("another-client"));

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal(first.ClaimsIdentity.FindFirst("custom:tenantId")?.Value, second.ClaimsIdentity.FindFirst("custom:tenantId")?.Value);
    }

    [Fact]
    public async Task TheSchemeOfATokenIsKnownOnlyWhileItIsRememberedAndUnexpired()
    {
        using var tokens = new ValidatedTokens(_clock);
        var token = Sign(expires: _clock.Now.AddMinutes(30));
        var refused = Sign(expires: _clock.Now.AddMinutes(29)); // another token: the same claims would sign to the same text
        Assert.True((await tokens.HandlerFor("operations").ValidateTokenAsync(token, Parameters(Audience))).IsValid);
        Assert.False((await tokens.HandlerFor("tenant").ValidateTokenAsync(refused, Parameters("another-client"))).IsValid);

        Assert.Equal("operations", tokens.SchemeOf(token));
        Assert.Null(tokens.SchemeOf(refused));
        // Remembered for one scheme, it is validated afresh (and here refused) by another.
        Assert.False((await tokens.HandlerFor("tenant").ValidateTokenAsync(token, Parameters("another-client"))).IsValid);

        _clock.Now = _clock.Now.AddMinutes(31);
        Assert.Null(tokens.SchemeOf(token));
    }

    [Fact]
    public async Task ARememberedTokenIsValidatedAfreshOnceItsSigningKeyIsRetired()
    {
        using var tokens = new ValidatedTokens(_clock);
        var handler = tokens.HandlerFor("tenant");
        var token = Sign(expires: _clock.Now.AddMinutes(30));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(Audience))).IsValid);

        // The pool rotated: its key set no longer holds the key that signed the token.
        using var rotated = System.Security.Cryptography.RSA.Create(2048);
        var parameters = Parameters(Audience);
        parameters.IssuerSigningKey = new RsaSecurityKey(rotated.ExportParameters(false)) { KeyId = "key-2" };

        Assert.False((await handler.ValidateTokenAsync(token, parameters)).IsValid);
    }

    [Fact]
    public async Task ARememberedTokenIsValidatedAfreshOnceItsExpiryHasPassed()
    {
        using var tokens = new ValidatedTokens(_clock);
        var handler = tokens.HandlerFor("tenant");
        var token = Sign(expires: _clock.Now.AddMinutes(30));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(Audience))).IsValid);

        _clock.Now = _clock.Now.AddMinutes(31);

        Assert.False((await handler.ValidateTokenAsync(token, Parameters("another-client"))).IsValid);
    }

    [Fact]
    public async Task AtTheExactSecondOfItsExpiryATokenIsNoLongerRemembered()
    {
        using var tokens = new ValidatedTokens(_clock);
        var handler = tokens.HandlerFor("tenant");
        var expires = DateTimeOffset.FromUnixTimeSeconds(_clock.Now.AddMinutes(30).ToUnixTimeSeconds());
        var token = Sign(expires);
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(Audience))).IsValid);
        _clock.Now = expires.AddTicks(-1);
        Assert.Equal("tenant", tokens.SchemeOf(token));

        _clock.Now = expires;

        Assert.Null(tokens.SchemeOf(token));
        Assert.False((await handler.ValidateTokenAsync(token, Parameters("another-client"))).IsValid);
    }

    [Fact]
    public async Task ARefusedTokenIsNotRemembered()
    {
        using var tokens = new ValidatedTokens(_clock);
        var handler = tokens.HandlerFor("tenant");
        var token = Sign(expires: _clock.Now.AddMinutes(30));

        Assert.False((await handler.ValidateTokenAsync(token, Parameters("another-client"))).IsValid);
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(Audience))).IsValid);
    }

    [Fact]
    public async Task SchemesDoNotShareRememberedTokens()
    {
        using var tokens = new ValidatedTokens(_clock);
        var token = Sign(expires: _clock.Now.AddMinutes(30));
        Assert.True((await tokens.HandlerFor("tenant").ValidateTokenAsync(token, Parameters(Audience))).IsValid);

        Assert.False((await tokens.HandlerFor("operations").ValidateTokenAsync(token, Parameters("another-client"))).IsValid);
    }

    [Fact]
    public async Task ARememberedTokenIsHonouredWhileItsKeyIsInThePoolsKeySetAndNotOnceItLeavesIt()
    {
        using var tokens = new ValidatedTokens(_clock);
        var handler = tokens.HandlerFor("tenant");
        var token = Sign(expires: _clock.Now.AddMinutes(30));
        using var other = RSA.Create(2048);
        var otherKey = new RsaSecurityKey(other.ExportParameters(false)) { KeyId = "key-2" };
        var published = Parameters(Audience);
        published.IssuerSigningKey = null;
        published.IssuerSigningKeys = [otherKey, new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = "key-1" }];
        Assert.True((await handler.ValidateTokenAsync(token, published)).IsValid);

        // Parameters that would refuse it, with key-1 still published: the remembered result answers.
        var stillPublished = Parameters("another-client");
        stillPublished.IssuerSigningKey = null;
        stillPublished.IssuerSigningKeys = published.IssuerSigningKeys;
        Assert.True((await handler.ValidateTokenAsync(token, stillPublished)).IsValid);

        // key-1 retired from the published set: validated afresh, and refused.
        var retired = Parameters(Audience);
        retired.IssuerSigningKey = null;
        retired.IssuerSigningKeys = [otherKey];
        Assert.False((await handler.ValidateTokenAsync(token, retired)).IsValid);
    }

    /// <summary>
    /// The keys as a provider publishes them (Cognito's JWKS): JwtBearer hands the handler the configuration
    /// manager, not the keys.
    /// </summary>
    [Fact]
    public async Task ARememberedTokenIsHonouredWhileItsKeyIsInThePublishedConfigurationAndNotOnceItLeavesIt()
    {
        using var tokens = new ValidatedTokens(_clock);
        var handler = tokens.HandlerFor("tenant");
        var token = Sign(expires: _clock.Now.AddMinutes(30));
        using var other = RSA.Create(2048);
        var otherKey = new RsaSecurityKey(other.ExportParameters(false)) { KeyId = "key-2" };
        var keys = new PublishedKeys(otherKey, new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = "key-1" });
        Assert.True((await handler.ValidateTokenAsync(token, Published(Audience, keys))).IsValid);

        // Parameters that would refuse it, with key-1 still published: the remembered result answers.
        Assert.True((await handler.ValidateTokenAsync(token, Published("another-client", keys))).IsValid);

        // key-1 retired from the published set: validated afresh, and refused.
        keys.Publish(otherKey);
        Assert.False((await handler.ValidateTokenAsync(token, Published(Audience, keys))).IsValid);
    }

    [Fact]
    public async Task ARememberedTokenIsValidatedAfreshWhenThePublishedConfigurationCannotBeRead()
    {
        using var tokens = new ValidatedTokens(_clock);
        var handler = tokens.HandlerFor("tenant");
        var token = Sign(expires: _clock.Now.AddMinutes(30));
        var keys = new PublishedKeys(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = "key-1" });
        Assert.True((await handler.ValidateTokenAsync(token, Published(Audience, keys))).IsValid);

        keys.Unreachable = true;

        Assert.False((await handler.ValidateTokenAsync(token, Published("another-client", keys))).IsValid);
    }

    [Fact]
    public async Task ATokenWithoutAKeyIdIsAlwaysValidatedAfresh()
    {
        using var tokens = new ValidatedTokens(_clock);
        var handler = tokens.HandlerFor("tenant");
        var token = Sign(expires: _clock.Now.AddMinutes(30), keyId: null);
        var parameters = Parameters(Audience);
        parameters.IssuerSigningKey = new RsaSecurityKey(_rsa.ExportParameters(false));
        Assert.True((await handler.ValidateTokenAsync(token, parameters)).IsValid);

        var refusing = Parameters("another-client");
        refusing.IssuerSigningKey = parameters.IssuerSigningKey;
        Assert.False((await handler.ValidateTokenAsync(token, refusing)).IsValid);
    }

    [Fact]
    public async Task NoMoreTokensThanTheCapacityAreRemembered()
    {
        using var tokens = new ValidatedTokens(_clock, capacity: 2);
        var handler = tokens.HandlerFor("tenant");
        var first = Sign(expires: _clock.Now.AddMinutes(30));
        var second = Sign(expires: _clock.Now.AddMinutes(29));
        var third = Sign(expires: _clock.Now.AddMinutes(28));
        Assert.True((await handler.ValidateTokenAsync(first, Parameters(Audience))).IsValid);
        Assert.True((await handler.ValidateTokenAsync(second, Parameters(Audience))).IsValid);
        Assert.Equal("tenant", tokens.SchemeOf(second));

        // Beyond the capacity a token is still validated, but not remembered.
        Assert.True((await handler.ValidateTokenAsync(third, Parameters(Audience))).IsValid);
        Assert.Null(tokens.SchemeOf(third));
        Assert.False((await handler.ValidateTokenAsync(third, Parameters("another-client"))).IsValid);
    }

    /// <summary>A token the pool signed that states a claim twice is refused with the claim named (for the log), and not remembered.</summary>
    [Fact]
    public async Task ATokenStatingAClaimTwiceIsRefusedNamingTheClaimAndIsNotRemembered()
    {
        using var tokens = new ValidatedTokens(_clock);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = new Dictionary<string, object> { ["token_use"] = "id", ["custom:userRole"] = TwoRoles },
            Expires = _clock.Now.AddMinutes(30).UtcDateTime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = "key-1" }, SecurityAlgorithms.RsaSha256),
        });

        var result = await tokens.HandlerFor("tenant").ValidateTokenAsync(token, Parameters(Audience));

        Assert.False(result.IsValid);
        var error = Assert.IsType<SecurityTokenValidationException>(result.Exception);
        Assert.Equal("The token states the claim 'custom:userRole' more than once.", error.Message);
        Assert.Null(tokens.SchemeOf(token));
    }

    public void Dispose() => _rsa.Dispose();

    private string Sign(DateTimeOffset expires, string? keyId = "key-1") => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Claims = new Dictionary<string, object> { ["token_use"] = "id", ["custom:tenantId"] = "t1" },
        IssuedAt = DateTime.UtcNow,
        NotBefore = DateTime.UtcNow,
        Expires = expires.UtcDateTime,
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = keyId }, SecurityAlgorithms.RsaSha256),
    });

    private TokenValidationParameters Parameters(string audience) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = audience,
        IssuerSigningKey = new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = "key-1" },
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
    };

    /// <summary>Parameters as JwtBearer passes them when the keys come from a configuration manager.</summary>
    private static TokenValidationParameters Published(string audience, PublishedKeys keys) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = audience,
        ConfigurationManager = keys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
    };

    /// <summary>A provider's published key set, as a configuration manager that already read it: no fetch, no refresh.</summary>
    private sealed class PublishedKeys : BaseConfigurationManager
    {
        private BaseConfiguration _current = new OpenIdConnectConfiguration();

        public PublishedKeys(params SecurityKey[] keys)
        {
            // As the app's managers: a key set replaced is not consulted again.
            UseLastKnownGoodConfiguration = false;
            Publish(keys);
        }

        public bool Unreachable { get; set; }

        public void Publish(params SecurityKey[] keys)
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
            foreach (var key in keys)
            {
                configuration.SigningKeys.Add(key);
            }

            _current = configuration;
        }

        public override Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel) =>
            Unreachable ? Task.FromException<BaseConfiguration>(new InvalidOperationException("The key set cannot be read.")) : Task.FromResult(_current);

        public override void RequestRefresh()
        {
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
