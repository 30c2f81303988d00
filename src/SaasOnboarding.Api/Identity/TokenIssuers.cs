using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace SaasOnboarding.Api.Identity;

/// <summary>Who issues a pool's ID tokens, and the app client id they are issued to (their audience).</summary>
public sealed record PoolIssuer(UserPool Pool, string Issuer, string ClientId);

/// <summary>What JwtBearer needs to know about each pool of the identity provider in use.</summary>
public interface ITokenIssuers
{
    PoolIssuer IssuerOf(UserPool pool);

    /// <summary>Points JwtBearer at the pool's signing keys (a static key set, or discovery and JWKS).</summary>
    void ConfigureSigningKeys(UserPool pool, JwtBearerOptions options);
}
