namespace SaasOnboarding.Api.Identity;

/// <summary>Tokens from a successful sign-in.</summary>
public sealed record TokenSet(string IdToken, string AccessToken, string? RefreshToken, int ExpiresIn);
