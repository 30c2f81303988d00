namespace SaasOnboarding.Api.Identity;

/// <summary>Who issues a pool's ID tokens, and the app client id they are issued to (their audience).</summary>
public sealed record PoolIssuer(UserPool Pool, string Issuer, string ClientId);
