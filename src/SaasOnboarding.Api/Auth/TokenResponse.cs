namespace SaasOnboarding.Api.Auth;

public sealed record TokenResponse(string IdToken, string AccessToken, string? RefreshToken, int ExpiresIn, string TokenType);
