namespace SaasOnboarding.Api.Identity.Local;

public sealed record JwksDocument(IReadOnlyList<PublicJwk> Keys);

/// <summary>An RSA public key as a JWKS document lists it (RFC 7517): base64url modulus and exponent.</summary>
public sealed record PublicJwk(string Kty, string Alg, string Use, string Kid, string N, string E);
