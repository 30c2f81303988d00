namespace SaasOnboarding.Api.Identity;

/// <summary>What token validation needs to know about each pool of the identity provider in use.</summary>
public interface ITokenIssuers
{
    PoolIssuer IssuerOf(UserPool pool);

    PoolSigningKeys SigningKeysOf(UserPool pool);
}
