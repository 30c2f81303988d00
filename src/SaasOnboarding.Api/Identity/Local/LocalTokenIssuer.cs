using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>
/// The local provider's two pools as token issuers: who issues each pool's tokens, the key that verifies them, and
/// the RS256 ID and access tokens a sign-in answers with.
/// </summary>
public sealed class LocalTokenIssuer(IOptions<LocalIdentityOptions> options, LocalSigningKey signingKey, IServer? server = null) : ITokenIssuers
{
    private readonly LocalIdentityOptions _options = options.Value;
    private readonly JsonWebTokenHandler _tokens = new();
    private string? _listeningBaseUrl;

    /// <summary>How long an ID or access token is valid.</summary>
    public TimeSpan TokenLifetime => _options.TokenLifetime;

    public PoolIssuer IssuerOf(UserPool pool) => pool == UserPool.Operations
        ? new PoolIssuer(pool, LocalTokenClaims.Issuer(IssuerBaseUrl, _options.OperationsPoolId), _options.OperationsClientId)
        : new PoolIssuer(pool, LocalTokenClaims.Issuer(IssuerBaseUrl, _options.TenantPoolId), _options.TenantClientId);

    /// <summary>
    /// The configured base, else the address the server listens on (read once it listens, then kept: tokens already
    /// issued must keep validating), else <c>http://localhost</c> (an in-memory test server's address).
    /// </summary>
    private string IssuerBaseUrl =>
        _options.IssuerBaseUrl ?? (_listeningBaseUrl ??= ListeningAddress.BaseUrl(server)) ?? ListeningAddress.InMemoryBaseUrl;

    public PoolSigningKeys SigningKeysOf(UserPool pool) => new(signingKey.For(pool).PublicKey, null);

    /// <summary>The pool with this id, if it is one of the two.</summary>
    public UserPool? PoolById(string poolId) =>
        poolId == _options.OperationsPoolId ? UserPool.Operations : poolId == _options.TenantPoolId ? UserPool.Tenant : null;

    /// <summary>The ID and access tokens of a sign-in at <paramref name="now"/>, signed with the pool's key.</summary>
    internal (string IdToken, string AccessToken) Issue(UserPool pool, LocalStoredUser stored, DateTimeOffset now)
    {
        var issuer = IssuerOf(pool);
        var user = stored.User;
        var credentials = signingKey.For(pool).Credentials;
        var idClaims = LocalTokenClaims.Id(stored.Sub, user.UserName, user.Email, user.TenantId, user.UserRole, stored.Groups, now);
        var accessClaims = LocalTokenClaims.Access(stored.Sub, user.UserName, issuer.ClientId, now);
        return (Sign(issuer.Issuer, issuer.ClientId, idClaims, now, credentials), Sign(issuer.Issuer, audience: null, accessClaims, now, credentials));
    }

    private string Sign(string issuer, string? audience, Dictionary<string, object> claims, DateTimeOffset now, SigningCredentials credentials) =>
        _tokens.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + _options.TokenLifetime).UtcDateTime,
            SigningCredentials = credentials,
        });
}
