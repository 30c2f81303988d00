using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace SaasOnboarding.Api.Identity;

/// <summary>Who issues a pool's ID tokens, and the app client id they are issued to (their audience).</summary>
public sealed record PoolIssuer(UserPool Pool, string Issuer, string ClientId);

/// <summary>
/// Where the keys that verify a pool's tokens come from: one key the app holds (<see cref="Key"/>), or the key set
/// the provider publishes, read and refreshed by <see cref="Published"/>.
/// </summary>
public sealed record PoolSigningKeys(SecurityKey? Key, IConfigurationManager<OpenIdConnectConfiguration>? Published);

/// <summary>What token validation needs to know about each pool of the identity provider in use.</summary>
public interface ITokenIssuers
{
    PoolIssuer IssuerOf(UserPool pool);

    PoolSigningKeys SigningKeysOf(UserPool pool);
}
